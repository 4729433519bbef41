package org.cdln.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Rng;
import org.cdln.model.DeepLinearNetwork;
import org.cdln.model.Initialization;
import org.cdln.problem.FactorizationProblem;
import org.cdln.problem.SyntheticTarget;
import org.cdln.train.Checkpoint;
import org.cdln.train.CheckpointListener;
import org.cdln.train.StopSignal;
import org.cdln.train.TrainResult;
import org.cdln.train.Trainer;
import org.cdln.train.TrainerConfig;
import org.cdln.train.TrainingContext;
import org.cdln.train.TrainingInterruptedException;
import org.cdln.train.TrainingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The recorders of {@code cdln analyze} and {@code cdln reproduce parsimony} keep their state in
 * the run's checkpoint: a run stopped (as by SIGTERM) before or after the dynamics' reference step
 * and resumed records exactly the points, reference steps, products and comparisons of the
 * uninterrupted run; a damaged state is refused.
 */
class RecorderResumeTest {
    private static final LinearAlgebra LA = LinearAlgebra.java();
    private static final int D = 16;
    private static final long STEPS = 600;

    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        StopSignal.clear();
    }

    private static SyntheticTarget target() {
        return SyntheticTarget.generate(D, D, 2, new Rng(3), LA);
    }

    private static DeepLinearNetwork wide() {
        return DeepLinearNetwork.wide(D, D, D, 3, Initialization.ORTH, 1e-2, new Rng(4), LA);
    }

    private static TrainingListener stopAt(long at) {
        return new TrainingListener() {
            @Override
            public void onStep(long step, double loss, TrainingContext context) {
                if (step == at) {
                    StopSignal.request("test signal");
                }
            }
        };
    }

    private static Trainer trainer() {
        return new Trainer(TrainerConfig.gd(20, STEPS, 0, 10), LA);
    }

    /** Stops the run at {@code at}, then resumes it with a fresh listener from {@code make}. */
    private <L extends TrainingListener> L interruptedAndResumed(java.util.function.Supplier<L> make, long at,
                                                                  DeepLinearNetwork net, FactorizationProblem p,
                                                                  TrainerConfig config, String name) {
        Path file = dir.resolve(name + ".ckpt");
        L first = make.get();
        Trainer t = new Trainer(config, LA).addListener(first).addListener(stopAt(at))
                .addListener(new CheckpointListener(file, 1e9));
        assertThrows(TrainingInterruptedException.class, () -> t.fit(name, net, p));
        StopSignal.clear();
        L second = make.get();
        TrainResult r = new Trainer(config, LA).addListener(second).addListener(new CheckpointListener(file, 1e9))
                .resume(Checkpoint.load(file), p);
        assertEquals(at + 1, r.provenance().resumedFromStep());
        return second;
    }

    private static void assertSamePoints(List<DynamicsPoint> a, List<DynamicsPoint> b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            DynamicsPoint x = a.get(i);
            DynamicsPoint y = b.get(i);
            assertEquals(x.step(), y.step());
            assertEquals(x.trainLoss(), y.trainLoss(), 0.0);
            assertEquals(x.recoveryError(), y.recoveryError(), 0.0);
            for (int m = 0; m < x.matrices().size(); m++) {
                MatrixDynamics u = x.matrices().get(m);
                MatrixDynamics v = y.matrices().get(m);
                String at = u.name() + " at step " + x.step();
                assertEquals(u.name(), v.name());
                assertArrayEquals(u.singularValues(), v.singularValues(), 0.0, at);
                assertEquals(u.updateRank(), v.updateRank(), at);
                assertEquals(u.updateTail(), v.updateTail(), 0.0, at);
                assertArrayEquals(u.leftAngles(), v.leftAngles(), 0.0, at);
                assertArrayEquals(u.rightAngles(), v.rightAngles(), 0.0, at);
                assertArrayEquals(u.leftAlignment(), v.leftAlignment(), 0.0, at);
                assertArrayEquals(u.rightAlignment(), v.rightAlignment(), 0.0, at);
            }
        }
    }

    /** Before the reference step (10: W(0) = ε·O has no distinct singular values), and well after it. */
    @ParameterizedTest
    @ValueSource(longs = {5, 333})
    void theDynamicsRecorderResumesIntoTheUninterruptedRecord(long at) {
        SyntheticTarget t = target();
        FactorizationProblem p = new FactorizationProblem(t.y());
        DynamicsRecorder full = DynamicsRecorder.forTarget(t, 1e-6, LA);
        trainer().addListener(full).fit("original", wide(), p);
        DynamicsRecorder resumed = interruptedAndResumed(() -> DynamicsRecorder.forTarget(t, 1e-6, LA), at, wide(), p,
                trainer().config(), "dynamics");
        assertEquals(STEPS / 10 + 1, full.points().size());
        assertArrayEquals(full.referenceSteps(), resumed.referenceSteps());
        assertEquals(full.names(), resumed.names());
        assertSamePoints(full.points(), resumed.points());
    }

    @Test
    void productRecordingAndComparisonResumeIntoTheUninterruptedOnes() {
        SyntheticTarget t = target();
        FactorizationProblem p = new FactorizationProblem(t.y());
        TrainerConfig other = TrainerConfig.gd(15, STEPS, 0, 10);
        ProductTrajectory rec = ProductTrajectory.recording(LA);
        trainer().addListener(rec).fit("wide", wide(), p);
        ProductTrajectory fol = ProductTrajectory.following(rec, LA);
        new Trainer(other, LA).addListener(fol).fit("other", wide(), p);

        ProductTrajectory rec2 = interruptedAndResumed(() -> ProductTrajectory.recording(LA), 205, wide(), p,
                trainer().config(), "recording");
        assertEquals(rec.steps(), rec2.steps());
        for (long s : rec.steps()) {
            assertArrayEquals(rec.at(s).data(), rec2.at(s).data(), 0.0, "P at step " + s);
        }
        ProductTrajectory fol2 = interruptedAndResumed(() -> ProductTrajectory.following(rec2, LA), 388, wide(), p,
                other, "following");
        assertEquals(fol.deviations(), fol2.deviations());
        assertEquals(STEPS / 10 + 1, fol2.deviations().size());
    }

    @Test
    void aDamagedStateIsRefusedWithAMessage() {
        SyntheticTarget t = target();
        DynamicsRecorder r = DynamicsRecorder.forTarget(t, 1e-6, LA);
        new Trainer(TrainerConfig.gd(20, 30, 0, 10), LA).addListener(r).fit("x", wide(), new FactorizationProblem(t.y()));
        double[] state = r.saveState();
        for (double[] bad : new double[][] {Arrays.copyOf(state, state.length - 1),
            Arrays.copyOf(state, state.length + 1), {2.5}, {4, 1e12}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DynamicsRecorder.forTarget(t, 1e-6, LA).restoreState(bad));
            assertTrue(e.getMessage().contains("dynamics recorder is damaged"), e.getMessage());
        }
        ProductTrajectory rec = ProductTrajectory.recording(LA);
        assertThrows(IllegalArgumentException.class, () -> rec.restoreState(new double[] {1, 0, 3, 3, 1}));
    }
}
