package org.cdln.recommend;

import static org.cdln.recommend.DeepMatrixCompletion.MAX_STEPS;
import static org.cdln.recommend.DeepMatrixCompletion.RANK_HAT;
import static org.cdln.recommend.DeepMatrixCompletion.SEED;
import static org.cdln.recommend.DeepMatrixCompletion.STEP_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cdln.data.Splits;
import org.cdln.train.DivergenceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An automatic step size whose training loss diverges is halved and the fit restarted from the
 * same initialisation, at most {@link DeepMatrixCompletion#AUTO_STEP_MAX_HALVINGS} times; a given
 * step size fails at once with the advice. The rule is made to diverge by a factor on it, on the
 * synthetic rank-3 set (60 × 90): there 1×, 2× and 4× the rule converge, 8× diverges at step 25.
 */
class AutoStepRecoveryTest {
    private static final Splits.Split SPLIT = SyntheticRatings.standardSplit();

    @AfterEach
    void resetFactor() {
        DeepMatrixCompletion.autoStepFactor = 1.0;
    }

    private static DeepMatrixCompletion.Builder builder() {
        return DeepMatrixCompletion.builder().set(RANK_HAT, 4).set(MAX_STEPS, 150L).set(SEED, 5L);
    }

    @Test
    void aDivergingAutomaticStepIsHalvedAndTheFitIsTheFitAtTheHalvedStep() {
        DeepMatrixCompletion.autoStepFactor = 4.0;
        CompletionModel atFour = builder().build().fit(SPLIT.train());
        assertEquals("0", atFour.settings().get("step_size_halvings"));
        DeepMatrixCompletion.autoStepFactor = 16.0;
        CompletionModel recovered = builder().build().fit(SPLIT.train());
        assertEquals("2", recovered.settings().get("step_size_halvings"));
        assertTrue(recovered.settings().get("step_size_rule").contains("halved 2× after divergence"),
                recovered.settings().get("step_size_rule"));
        // restarted from the same initialisation with η/4: exactly the fit at 4× the rule
        assertEquals(Double.parseDouble(atFour.settings().get("step_size")),
                Double.parseDouble(recovered.settings().get("step_size")), 0.0);
        assertEquals(atFour.settings().get("steps"), recovered.settings().get("steps"));
        double rmse = recovered.evaluate(SPLIT.test()).rmse();
        assertTrue(Double.isFinite(rmse) && rmse < 0.3, "held-out RMSE " + rmse);
        assertEquals(atFour.evaluate(SPLIT.test()).rmse(), rmse, 0.0);
    }

    @Test
    void aGivenStepSizeStillFailsWithTheAdvice() {
        DeepMatrixCompletion.autoStepFactor = 16.0;
        double diverging = Double.parseDouble(builder().set(MAX_STEPS, 1L).build().fit(SPLIT.train()).settings()
                .get("step_size"));
        DeepMatrixCompletion.autoStepFactor = 1.0;
        DivergenceException e = assertThrows(DivergenceException.class,
                () -> builder().set(STEP_SIZE, diverging).build().fit(SPLIT.train()));
        assertTrue(e.getMessage().contains("lower the step size"), e.getMessage());
    }

    @Test
    void afterTheLastHalvingTheFitFailsWithTheAdvice() {
        DeepMatrixCompletion.autoStepFactor = 1e4;
        DivergenceException e = assertThrows(DivergenceException.class, () -> builder().build().fit(SPLIT.train()));
        assertTrue(e.getMessage().contains("lower the step size"), e.getMessage());
    }

    @Test
    void aResumedFitReplaysTheHalvings(@TempDir Path dir) throws Exception {
        DeepMatrixCompletion.autoStepFactor = 16.0;
        CompletionModel first = builder().checkpoints(dir, false, 3600).build().fit(SPLIT.train());
        try (var files = Files.list(dir)) {
            // a diverged attempt writes no checkpoint (the listener saves only interrupted runs on failure)
            assertEquals(1, files.count(), "the checkpoint of the attempt that finished");
        }
        CompletionModel resumed = builder().checkpoints(dir, true, 3600).build().fit(SPLIT.train());
        assertEquals(first.settings().get("step_size_halvings"), resumed.settings().get("step_size_halvings"));
        assertEquals(first.settings().get("steps"), resumed.settings().get("steps"));
        assertEquals(first.evaluate(SPLIT.test()).rmse(), resumed.evaluate(SPLIT.test()).rmse(), 0.0);
        assertFalse(first.settings().get("step_size_rule").isEmpty());
    }
}
