package org.cdln.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import org.cdln.data.Ratings;
import org.cdln.data.Splits;
import org.cdln.recommend.CompletionModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Spark fit recovers from a diverging automatic step size as the library does: the same
 * halvings, the same final η, and predictions that agree to 1e-9. The rule is made to diverge by
 * the library's test-only factor on it (16×, set by reflection; the automatic η is computed on the
 * driver, so local mode sees it).
 */
class AutoStepRecoveryAgreementTest {
    private static final Ratings ALL = SparkTestSession.lowRank(40, 30, 3, 0.5, 7);
    private static final Splits.Split SPLIT = Splits.random(ALL, 0.1, 3);

    private static void setFactor(double f) throws ReflectiveOperationException {
        Field field = org.cdln.recommend.DeepMatrixCompletion.class.getDeclaredField("autoStepFactor");
        field.setAccessible(true);
        field.setDouble(null, f);
    }

    @BeforeEach
    void makeTheRuleDiverge() throws ReflectiveOperationException {
        setFactor(16.0);
    }

    @AfterEach
    void resetFactor() throws ReflectiveOperationException {
        setFactor(1.0);
    }

    @Test
    void sparkHalvesTheAutomaticStepAsTheLibraryDoes() {
        CompletionModel lib = org.cdln.recommend.DeepMatrixCompletion.builder()
                .set(org.cdln.recommend.DeepMatrixCompletion.RANK_HAT, 4)
                .set(org.cdln.recommend.DeepMatrixCompletion.DEPTH, 3)
                .set(org.cdln.recommend.DeepMatrixCompletion.MAX_STEPS, 80L)
                .set(org.cdln.recommend.DeepMatrixCompletion.EVAL_EVERY, 2)
                .set(org.cdln.recommend.DeepMatrixCompletion.PATIENCE, 5)
                .set(org.cdln.recommend.DeepMatrixCompletion.SEED, 11L).build().fit(SPLIT.train(), SPLIT.test());
        CompletionModel sp = new DeepMatrixCompletion().setRankHat(4).setDepth(3).setMaxSteps(80).setEvalEvery(2)
                .setPatience(5).setSeed(11).setValidationCol("val").setNumBlocks(3).setNumItemBlocks(2)
                .fit(SparkTestSession.frame(SPLIT.train(), SPLIT.test())).toCompletionModel();
        int halvings = Integer.parseInt(lib.settings().get("step_size_halvings"));
        assertTrue(halvings >= 1, "the library's halvings: " + halvings);
        assertEquals(lib.settings().get("step_size_halvings"), sp.settings().get("step_size_halvings"));
        // the Spark provenance prints η to 6 significant digits
        assertEquals(Double.parseDouble(lib.settings().get("step_size")), Double.parseDouble(sp.settings().get("step")),
                1e-5 * Double.parseDouble(lib.settings().get("step_size")));
        assertTrue(sp.settings().get("step_rule").contains("halved " + halvings + "× after divergence"),
                sp.settings().get("step_rule"));
        assertEquals(lib.settings().get("best_step"), sp.settings().get("best_step"));
        assertEquals(lib.settings().get("steps"), sp.settings().get("steps"));
        double worst = 0;
        for (String u : ALL.users().ids()) {
            for (String i : ALL.items().ids()) {
                double a = lib.predict(u, i);
                double b = sp.predict(u, i);
                assertTrue(Double.isFinite(b), "a prediction of the Spark fit is " + b);
                worst = Math.max(worst, Math.abs(a - b) / Math.max(1e-300, Math.abs(a)));
            }
        }
        assertTrue(worst <= 1e-9, "largest relative difference of a prediction: " + worst);
    }
}
