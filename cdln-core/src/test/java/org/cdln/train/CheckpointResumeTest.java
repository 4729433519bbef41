package org.cdln.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Rng;
import org.cdln.model.DeepLinearNetwork;
import org.cdln.model.Initialization;
import org.cdln.optim.OptimizerConfig;
import org.cdln.problem.CompletionProblem;
import org.cdln.problem.SyntheticTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checkpoint and resume: N steps with a {@link CheckpointListener}, then {@link Trainer#resume} to
 * 2N, must give exactly the network and trajectory of an uninterrupted 2N-step run (the pure-Java
 * backend is used so that bit-for-bit equality does not depend on native BLAS threading).
 */
class CheckpointResumeTest {
    private static final LinearAlgebra LA = LinearAlgebra.java();
    private static final int N = 60;
    private static final int EVERY = 10;

    @TempDir
    Path dir;

    private static CompletionProblem problem() {
        return CompletionProblem.sample(SyntheticTarget.generate(12, 12, 2, new Rng(1), LA).y(), 0.5, new Rng(2), "");
    }

    private static DeepLinearNetwork network() {
        return DeepLinearNetwork.wide(12, 12, 12, 3, Initialization.ORTH, 0.1, new Rng(3), LA);
    }

    static Stream<OptimizerConfig> optimizers() {
        return Stream.of(OptimizerConfig.gd(10), OptimizerConfig.adam(0.01));
    }

    private static TrainerConfig config(OptimizerConfig o, long steps) {
        return TrainerConfig.gd(1, steps, 0, EVERY).withOptimizer(o);
    }

    private static void assertSameRun(TrainResult expected, TrainResult actual) {
        assertEquals(expected.steps(), actual.steps());
        assertEquals(expected.stopReason(), actual.stopReason());
        assertEquals(expected.trajectory().size(), actual.trajectory().size());
        for (int i = 0; i < expected.trajectory().size(); i++) {
            EvalPoint e = expected.trajectory().get(i);
            EvalPoint a = actual.trajectory().get(i);
            assertEquals(e.step(), a.step());
            assertEquals(e.trainLoss(), a.trainLoss(), 0.0, "loss at step " + e.step());
            assertEquals(e.recoveryError(), a.recoveryError(), 0.0, "error at step " + e.step());
        }
        for (int l = 1; l <= expected.network().depth(); l++) {
            assertArrayEquals(expected.network().layer(l).data(), actual.network().layer(l).data(), 0.0, "W" + l);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void resumedRunEqualsUninterruptedRun(OptimizerConfig optimizer) {
        CompletionProblem p = problem();
        Path file = dir.resolve("run.ckpt");
        new Trainer(config(optimizer, N), LA).addListener(new CheckpointListener(file, 1e9)).fit("wide", network(), p);

        Checkpoint cp = Checkpoint.load(file);
        assertEquals("wide", cp.label());
        assertEquals(N, cp.step());
        assertEquals(N, cp.optimizerSteps());
        assertEquals(N / EVERY + 1, cp.trajectory().size());
        assertEquals(optimizer.kind() == OptimizerConfig.Kind.ADAM ? 6 : 0, cp.optimizerState().length);

        TrainResult full = new Trainer(config(optimizer, 2 * N), LA).fit("wide", network(), p);
        TrainResult resumed = new Trainer(config(optimizer, 2 * N), LA).resume(cp, p);
        assertEquals(2 * N, full.steps());
        assertSameRun(full, resumed);
        // resuming twice from the same checkpoint gives the same run again
        assertSameRun(full, new Trainer(config(optimizer, 2 * N), LA).resume(cp, p));
    }

    @Test
    void adamStateInTheCheckpointMatters() {
        // the same checkpoint with Adam's moments zeroed continues differently: the equality above
        // is not an accident of a stateless update
        CompletionProblem p = problem();
        Path file = dir.resolve("adam.ckpt");
        OptimizerConfig adam = OptimizerConfig.adam(0.01);
        new Trainer(config(adam, N), LA).addListener(new CheckpointListener(file, 1e9)).fit("wide", network(), p);
        Checkpoint cp = Checkpoint.load(file);
        double[][] zeros = new double[cp.optimizerState().length][];
        for (int i = 0; i < zeros.length; i++) {
            zeros[i] = new double[cp.optimizerState()[i].length];
        }
        Checkpoint wiped = new Checkpoint(cp.label(), cp.settings(), cp.step(), cp.seconds(), cp.trajectory(),
                cp.network(), zeros, 0);
        TrainResult full = new Trainer(config(adam, 2 * N), LA).fit("wide", network(), p);
        TrainResult r = new Trainer(config(adam, 2 * N), LA).resume(wiped, p);
        assertFalse(Arrays.equals(full.network().layer(1).data(), r.network().layer(1).data()));
    }

    @Test
    void periodicCheckpointsHoldTheNetworkAtTheirStep() {
        CompletionProblem p = problem();
        Path file = dir.resolve("periodic.ckpt");
        // interval 0: a checkpoint at every evaluation; the last one written wins
        new Trainer(config(OptimizerConfig.gd(10), N), LA).addListener(new CheckpointListener(file, 0.0))
                .fit("wide", network(), p);
        Checkpoint cp = Checkpoint.load(file);
        assertEquals(N, cp.step());
        TrainResult reference = new Trainer(config(OptimizerConfig.gd(10), N), LA).fit("wide", network(), p);
        assertArrayEquals(reference.network().layer(2).data(), cp.network().layer(2).data(), 0.0);
    }

    @Test
    void aDivergedRunKeepsItsLastGoodCheckpoint() {
        CompletionProblem p = problem();
        Path file = dir.resolve("diverged.ckpt");
        DivergenceException e = assertThrows(DivergenceException.class,
                () -> new Trainer(TrainerConfig.gd(1000, 1000, 0, 1), LA).addListener(new CheckpointListener(file, 0.0))
                        .fit("wide", network(), p));
        Checkpoint cp = Checkpoint.load(file);
        assertEquals(e.step() - 1, cp.step());
        assertTrue(cp.network().isFinite());
    }

    @Test
    void truncatedCheckpointIsReportedAsTruncated() throws IOException {
        CompletionProblem p = problem();
        Path file = dir.resolve("full.ckpt");
        new Trainer(config(OptimizerConfig.adam(0.01), 10), LA).addListener(new CheckpointListener(file, 1e9))
                .fit("wide", network(), p);
        byte[] bytes = Files.readAllBytes(file);
        for (int length : new int[] {0, 5, 12, 40, bytes.length / 2, bytes.length - 1}) {
            Path cut = dir.resolve("cut-" + length + ".ckpt");
            Files.write(cut, Arrays.copyOf(bytes, length));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(cut),
                    "a checkpoint cut to " + length + " bytes");
            assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains(cut.toString()),
                    e.getMessage());
        }
        Path junk = dir.resolve("junk.ckpt");
        Files.writeString(junk, "not a checkpoint at all");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(junk));
        assertTrue(e.getMessage().contains("not a cdln checkpoint"), e.getMessage());
    }
}
