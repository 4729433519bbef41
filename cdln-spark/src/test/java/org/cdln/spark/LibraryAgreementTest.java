package org.cdln.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cdln.data.Ratings;
import org.cdln.data.Splits;
import org.cdln.recommend.CompletionModel;
import org.junit.jupiter.api.Test;

/**
 * The Spark fit is the library's fit, distributed: on a small problem, from the same data, split
 * and settings (so the same spectral initialisation), every prediction agrees to 1e-9 relative,
 * in the broadcast path and in the out-block path.
 */
class LibraryAgreementTest {
    private static final Ratings ALL = SparkTestSession.lowRank(40, 30, 3, 0.5, 7);
    private static final Splits.Split SPLIT = Splits.random(ALL, 0.1, 3);

    private static CompletionModel library(int depth) {
        return org.cdln.recommend.DeepMatrixCompletion.builder().set(org.cdln.recommend.DeepMatrixCompletion.RANK_HAT, 4).set(org.cdln.recommend.DeepMatrixCompletion.DEPTH, depth).set(org.cdln.recommend.DeepMatrixCompletion.MAX_STEPS, 80L).set(org.cdln.recommend.DeepMatrixCompletion.EVAL_EVERY, 2)
                .set(org.cdln.recommend.DeepMatrixCompletion.PATIENCE, 5).set(org.cdln.recommend.DeepMatrixCompletion.SEED, 11L).build().fit(SPLIT.train(), SPLIT.test());
    }

    private static CompletionModel spark(int depth, long broadcastLimit) {
        return new DeepMatrixCompletion().setRankHat(4).setDepth(depth).setMaxSteps(80).setEvalEvery(2).setPatience(5)
                .setSeed(11).setValidationCol("val").setNumBlocks(3).setNumItemBlocks(2)
                .setBroadcastLimit(broadcastLimit)
                .fit(SparkTestSession.frame(SPLIT.train(), SPLIT.test())).toCompletionModel();
    }

    private static void assertAgree(CompletionModel lib, CompletionModel sp) {
        assertEquals(lib.settings().get("best_step"), sp.settings().get("best_step"));
        assertEquals(lib.settings().get("steps"), sp.settings().get("steps"));
        double worst = 0;
        for (String u : ALL.users().ids()) {
            for (String i : ALL.items().ids()) {
                double a = lib.predict(u, i);
                double b = sp.predict(u, i);
                worst = Math.max(worst, Math.abs(a - b) / Math.max(1e-300, Math.abs(a)));
            }
        }
        assertTrue(worst <= 1e-9, "largest relative difference of a prediction: " + worst);
    }

    @Test
    void broadcastPathAgreesWithTheLibrary() {
        assertAgree(library(3), spark(3, 1L << 24));
    }

    @Test
    void outBlockPathAgreesWithTheLibrary() {
        CompletionModel sp = spark(3, 1);
        assertTrue(sp.settings().get("engine").contains("out-block"), sp.settings().get("engine"));
        assertAgree(library(3), sp);
    }

    @Test
    void depthTwoAndFourAgreeToo() {
        assertAgree(library(2), spark(2, 1L << 24));
        assertAgree(library(4), spark(4, 1));
    }
}
