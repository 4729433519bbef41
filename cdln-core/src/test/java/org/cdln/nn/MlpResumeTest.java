package org.cdln.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.cdln.data.ImageDataset;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.train.StopSignal;
import org.cdln.train.TrainingContext;
import org.cdln.train.TrainingInterruptedException;
import org.cdln.train.TrainingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mini-batch MLP run stopped by {@link StopSignal} mid-epoch or at an epoch's end and resumed
 * from its {@link MlpCheckpoint} equals the uninterrupted run bit for bit (same batches, same
 * updates, same per-epoch metrics), and a finished run's checkpoint resumes into the same result.
 */
class MlpResumeTest {
    private static final LinearAlgebra LA = LinearAlgebra.java();

    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        StopSignal.clear();
    }

    private static MlpTrainer trainer() {
        return new MlpTrainer(MlpTrainerConfig.adam(3e-3, 16, 4, 3), LA);
    }

    private static void assertSameRun(MlpResult a, MlpResult b) {
        assertEquals(a.steps(), b.steps());
        assertEquals(a.trajectory().size(), b.trajectory().size());
        for (int i = 0; i < a.trajectory().size(); i++) {
            EpochPoint x = a.trajectory().get(i);
            EpochPoint y = b.trajectory().get(i);
            assertEquals(x.epoch(), y.epoch());
            assertEquals(x.step(), y.step());
            assertEquals(x.trainLoss(), y.trainLoss(), 0.0, "train loss of epoch " + x.epoch());
            assertEquals(x.trainAccuracy(), y.trainAccuracy(), 0.0);
            assertEquals(x.testLoss(), y.testLoss(), 0.0, "test loss of epoch " + x.epoch());
            assertEquals(x.testAccuracy(), y.testAccuracy(), 0.0);
        }
        for (int l = 0; l < a.network().depth(); l++) {
            Matrix[] pa = a.network().layerParameters(l);
            Matrix[] pb = b.network().layerParameters(l);
            for (int k = 0; k < pa.length; k++) {
                assertArrayEquals(pa[k].data(), pb[k].data(), 0.0, "layer " + l + " parameter " + k);
            }
        }
    }

    @Test
    void anInterruptedRunResumesIntoTheUninterruptedOne() {
        ImageDataset train = MlpTrainerTest.synthetic(150, 1);
        ImageDataset test = MlpTrainerTest.synthetic(40, 2);
        MlpArchitecture arch = MlpArchitecture.withCdlnBlock(64, new int[] {24}, 4, 3, 6, 0.1, 2.0);
        Mlp initial = Mlp.initialize(arch, 5, LA);
        MlpResult full = trainer().fit("c-dln", initial, train, test);
        int perEpoch = (150 + 15) / 16;
        for (long at : new long[] {perEpoch + 3, 2L * perEpoch - 1}) {
            Path file = dir.resolve("run-" + at + ".mlpckpt");
            TrainingListener stopper = new TrainingListener() {
                @Override
                public void onStep(long step, double loss, TrainingContext context) {
                    if (step == at) {
                        StopSignal.request("test");
                    }
                }
            };
            TrainingInterruptedException e = assertThrows(TrainingInterruptedException.class,
                    () -> trainer().addListener(stopper).checkpoint(file, 1e9).fit("c-dln", initial, train, test));
            assertEquals(file, e.checkpoint());
            StopSignal.clear();
            MlpCheckpoint cp = MlpCheckpoint.load(file);
            assertEquals(at + 1, cp.step());
            MlpResult resumed = trainer().checkpoint(file, 1e9).resume(cp, initial, train, test);
            assertSameRun(full, resumed);
            assertEquals(at + 1, resumed.provenance().resumedFromStep(), "the provenance names the step resumed from");
            assertEquals(0, full.provenance().resumedFromStep());
            MlpResult again = trainer().resume(MlpCheckpoint.load(file), initial, train, test);
            assertSameRun(full, again);
        }
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> new MlpTrainer(MlpTrainerConfig.adam(1e-3, 16, 4, 3), LA).resume(
                        MlpCheckpoint.load(dir.resolve("run-" + (perEpoch + 3) + ".mlpckpt")), initial, train, test));
        assertTrue(other.getMessage().contains("another run"), other.getMessage());
    }

    /** {@code cdln analyze mlp}'s recorder: the snapshots of a resumed run are those of the uninterrupted one. */
    @Test
    void theUpdateRankRecorderResumesIntoTheUninterruptedSnapshots() {
        ImageDataset train = MlpTrainerTest.synthetic(150, 1);
        ImageDataset test = MlpTrainerTest.synthetic(40, 2);
        MlpArchitecture arch = MlpArchitecture.withCdlnBlock(64, new int[] {24}, 4, 3, 6, 0.1, 2.0);
        Mlp initial = Mlp.initialize(arch, 5, LA);
        UpdateRankRecorder full = new UpdateRankRecorder(3, LA);
        trainer().addListener(full).fit("c-dln", initial, train, test);
        int perEpoch = (150 + 15) / 16;
        long at = perEpoch + 4;
        Path file = dir.resolve("recorded.mlpckpt");
        TrainingListener stopper = new TrainingListener() {
            @Override
            public void onStep(long step, double loss, TrainingContext context) {
                if (step == at) {
                    StopSignal.request("test");
                }
            }
        };
        UpdateRankRecorder first = new UpdateRankRecorder(3, LA);
        assertThrows(TrainingInterruptedException.class, () -> trainer().addListener(first).addListener(stopper)
                .checkpoint(file, 1e9).fit("c-dln", initial, train, test));
        StopSignal.clear();
        UpdateRankRecorder resumed = new UpdateRankRecorder(3, LA);
        trainer().addListener(resumed).checkpoint(file, 1e9).resume(MlpCheckpoint.load(file), initial, train, test);
        assertEquals(full.names(), resumed.names());
        assertEquals(full.snapshots().size(), resumed.snapshots().size());
        assertTrue(full.snapshots().size() > 5);
        for (int i = 0; i < full.snapshots().size(); i++) {
            UpdateRankRecorder.Snapshot a = full.snapshots().get(i);
            UpdateRankRecorder.Snapshot b = resumed.snapshots().get(i);
            assertEquals(a.step(), b.step());
            assertEquals(a.epochs(), b.epochs(), 0.0);
            for (int k = 0; k < a.singularValues().size(); k++) {
                assertArrayEquals(a.singularValues().get(k), b.singularValues().get(k), 0.0, "step " + a.step());
            }
        }
        // another snapshot interval cannot continue this record
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer()
                .addListener(new UpdateRankRecorder(5, LA)).resume(MlpCheckpoint.load(file), initial, train, test));
        assertTrue(e.getMessage().contains("snapshot every 3 steps"), e.getMessage());
    }
}
