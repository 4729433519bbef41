package org.cdln.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Rng;
import org.cdln.model.DeepLinearNetwork;
import org.cdln.model.Initialization;
import org.cdln.optim.OptimizerConfig;
import org.cdln.problem.CompletionProblem;
import org.cdln.problem.SyntheticTarget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run stopped by {@link StopSignal} (what SIGTERM/SIGINT do in the CLI) at any step, then
 * resumed from the checkpoint it saved, equals the uninterrupted run bit for bit — with early
 * stopping too, whose state travels in the checkpoint — and a run that had early stopped stays
 * stopped when resumed again.
 */
class InterruptAndResumeTest {
    private static final LinearAlgebra LA = LinearAlgebra.java();
    private static final long STEPS = 400;

    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        StopSignal.clear();
    }

    private static CompletionProblem problem() {
        return CompletionProblem.sample(SyntheticTarget.generate(12, 12, 2, new Rng(1), LA).y(), 0.5, new Rng(2), "");
    }

    private static DeepLinearNetwork network() {
        return DeepLinearNetwork.wide(12, 12, 12, 3, Initialization.ORTH, 0.1, new Rng(3), LA);
    }

    private static Trainer trainer(boolean stall) {
        Trainer t = new Trainer(TrainerConfig.gd(1, STEPS, 0, 5).withOptimizer(OptimizerConfig.adam(0.01)), LA);
        if (stall) {
            t.addListener(new EarlyStopping(3, 0.5, true));
        }
        return t;
    }

    /** Requests a stop once the run reaches {@code at}. */
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

    private static void assertSameRun(TrainResult expected, TrainResult actual) {
        assertEquals(expected.steps(), actual.steps());
        assertEquals(expected.stopReason(), actual.stopReason());
        assertEquals(expected.stopMessage(), actual.stopMessage());
        assertEquals(expected.trajectory().size(), actual.trajectory().size());
        for (int i = 0; i < expected.trajectory().size(); i++) {
            assertEquals(expected.trajectory().get(i).step(), actual.trajectory().get(i).step());
            assertEquals(expected.trajectory().get(i).trainLoss(), actual.trajectory().get(i).trainLoss(), 0.0);
        }
        for (int l = 1; l <= expected.network().depth(); l++) {
            assertArrayEquals(expected.network().layer(l).data(), actual.network().layer(l).data(), 0.0, "W" + l);
        }
    }

    @ParameterizedTest(name = "stall-stop {0}")
    @ValueSource(booleans = {false, true})
    void interruptedAndResumedRunEqualsTheUninterruptedOne(boolean stall) {
        CompletionProblem p = problem();
        TrainResult full = trainer(stall).fit("wide", network(), p);
        if (stall) {
            assertEquals(StopReason.EARLY_STOPPED, full.stopReason(), "the fixture must early-stop: " + full.stopMessage());
        }
        // interrupt between two evaluations and on one
        for (long at : new long[] {full.steps() / 2 + 2, full.steps() / 2 - full.steps() / 2 % 5}) {
            Path file = dir.resolve("run-" + stall + "-" + at + ".ckpt");
            TrainingInterruptedException e = assertThrows(TrainingInterruptedException.class,
                    () -> trainer(stall).addListener(stopAt(at)).addListener(new CheckpointListener(file, 1e9))
                            .fit("wide", network(), p));
            assertEquals(at + 1, e.step(), "the stop takes effect before the next step");
            assertEquals(file, e.checkpoint());
            StopSignal.clear();
            Checkpoint cp = Checkpoint.load(file);
            assertEquals(at + 1, cp.step());
            assertEquals(null, cp.stopReason());
            TrainResult resumed = trainer(stall).addListener(new CheckpointListener(file, 1e9)).resume(cp, p);
            assertSameRun(full, resumed);
            // the finished run's checkpoint resumes into the same result, without training further
            Checkpoint done = Checkpoint.load(file);
            assertEquals(full.stopReason(), done.stopReason());
            assertSameRun(full, trainer(stall).resume(done, p));
        }
    }

    @Test
    void earlyStoppingStateIsInTheCheckpoint() {
        CompletionProblem p = problem();
        Path file = dir.resolve("es.ckpt");
        TrainResult full = trainer(true).addListener(new CheckpointListener(file, 1e9)).fit("wide", network(), p);
        Checkpoint cp = Checkpoint.load(file);
        double[] state = cp.listenerStates().get("early-stopping");
        assertNotNull(state, "listener states: " + cp.listenerStates().keySet());
        assertEquals(3.0, state[1], "stale count at the stop");
        assertTrue(cp.listenerStates().containsKey("divergence-guard"));
        assertEquals(StopReason.EARLY_STOPPED, cp.stopReason());
        assertEquals(full.steps(), cp.step());
    }

    @Test
    void aCheckpointOfOtherSettingsIsRefused() {
        CompletionProblem p = problem();
        Path file = dir.resolve("other.ckpt");
        trainer(false).addListener(new CheckpointListener(file, 1e9)).fit("wide", network(), p);
        Trainer other = new Trainer(TrainerConfig.gd(1, STEPS, 0, 5).withOptimizer(OptimizerConfig.adam(0.02)), LA);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> other.resume(Checkpoint.load(file), p));
        assertTrue(e.getMessage().contains("other training settings"), e.getMessage());
    }
}
