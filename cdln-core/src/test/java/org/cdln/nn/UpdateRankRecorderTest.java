package org.cdln.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cdln.data.ImageDataset;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.optim.OptimizerConfig;
import org.junit.jupiter.api.Test;

/** Rank measures on known spectra, and the recorder on a run whose update ranks are bounded. */
class UpdateRankRecorderTest {
    @Test
    void ranksOfKnownSpectra() {
        double[] s = {10, 5, 0.05, 0.001};
        assertEquals(3, org.cdln.linalg.Svd.numericalRank(s, 0.001 * 1.5));
        assertEquals(2, org.cdln.linalg.Svd.numericalRank(s, 0.01));
        assertEquals(0, org.cdln.linalg.Svd.numericalRank(new double[] {0, 0}, 0.01));
        // energies 16 and 9 of 25
        assertEquals(1, UpdateRankRecorder.energyRank(new double[] {4, 3}, 0.5));
        assertEquals(2, UpdateRankRecorder.energyRank(new double[] {4, 3}, 0.9));
        assertEquals(1.25, UpdateRankRecorder.stableRank(new double[] {2, 1}), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> org.cdln.linalg.Svd.numericalRank(s, 1.0));
    }

    @Test
    void gradientDescentUpdatesOfTheFirstLayerHaveRankAtMostTheImagesSeen() {
        // ΔW_1 = −η·Σ_t D_t·X_tᵀ: each batch adds rank ≤ B; 2 steps of 3 images → rank ≤ 6 of min(40, 64)
        LinearAlgebra la = LinearAlgebra.instance();
        ImageDataset train = MlpTrainerTest.synthetic(6, 8);
        MlpArchitecture arch = MlpArchitecture.withDlnBlock(64, new int[] {40}, 4, 3, 0.5);
        UpdateRankRecorder rec = new UpdateRankRecorder(1, la);
        MlpTrainerConfig cfg = new MlpTrainerConfig(OptimizerConfig.gd(0.5), 3, 1, 1, 100,
                org.cdln.optim.LearningRateSchedule.CONSTANT);
        new MlpTrainer(cfg, la).addListener(rec).fit("gd", Mlp.initialize(arch, 4, la), train, train);
        assertEquals(List.of("hidden1", "block1", "block2", "block3", "output", UpdateRankRecorder.BLOCK_PRODUCT),
                rec.names());
        List<UpdateRankRecorder.Snapshot> snaps = rec.snapshots();
        assertEquals(2, snaps.size());
        double[] first = snaps.get(0).singularValues().get(0);
        double[] second = snaps.get(1).singularValues().get(0);
        assertEquals(40, first.length);
        assertTrue(first[0] > 0);
        assertTrue(org.cdln.linalg.Svd.numericalRank(first, 1e-9) <= 3, "rank after one batch of 3");
        assertTrue(org.cdln.linalg.Svd.numericalRank(second, 1e-9) <= 6, "rank after two batches of 3");
        // the output layer's update has rank ≤ classes − 1 per batch (softmax − onehot columns sum to 0)
        assertTrue(org.cdln.linalg.Svd.numericalRank(snaps.get(0).singularValues().get(4), 1e-9) <= 3);
        assertEquals(1.0, snaps.get(1).epochs(), 1e-15);
    }
}
