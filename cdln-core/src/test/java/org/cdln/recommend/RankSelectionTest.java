package org.cdln.recommend;

import static org.cdln.recommend.DeepMatrixCompletion.MAX_STEPS;
import static org.cdln.recommend.DeepMatrixCompletion.RANK_HAT;
import static org.cdln.recommend.DeepMatrixCompletion.VALIDATION_FRACTION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cdln.data.Ratings;
import org.cdln.data.Splits;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.SparseMatrix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The automatic width on synthetic ratings of known rank r (100 users × 150 items, r equal
 * singular values, entry RMS 0.8, noise sd 0.1, 40 % observed): parallel analysis finds r, and the
 * validation sweep starts from r̂ = 2r.
 */
class RankSelectionTest {

    private static SparseMatrix centredResiduals(Ratings r) {
        RatingBaseline b = RatingBaseline.fit(r, Centering.BIASES, 5.0);
        return r.toSparse(b.residuals(r));
    }

    @ParameterizedTest(name = "rank {0}")
    @ValueSource(ints = {1, 2, 4, 6})
    void parallelAnalysisRecoversTheKnownRank(int rank) {
        Ratings r = SyntheticRatings.generate(100, 150, rank, 0.8, 0.1, 0.4, 100 + rank).ratings();
        RankSelection.Result res = RankSelection.parallelAnalysis(centredResiduals(r), 3, LinearAlgebra.instance());
        assertEquals(rank, res.rank(), res.describe());
        assertEquals(2 * rank, res.rankHat());
        assertTrue(res.singularValues()[rank] < res.noiseEdge() && res.singularValues()[rank - 1] > res.noiseEdge());
    }

    @ParameterizedTest(name = "rank {0}")
    @ValueSource(ints = {2, 4})
    void validationSweepStartsAtTwiceTheKnownRankAndKeepsTheBestWidth(int rank) {
        Splits.Split s = Splits.random(SyntheticRatings.generate(100, 150, rank, 0.8, 0.1, 0.4, 200 + rank).ratings(),
                0.2, 1);
        CompletionModel m = DeepMatrixCompletion.builder().auto(RANK_HAT).set(VALIDATION_FRACTION, 0.1).set(MAX_STEPS, 3000L).build()
                .fit(s.train());
        String rule = m.settings().get("rank_hat_rule");
        assertTrue(rule.startsWith("validation sweep from sign-flip parallel analysis: " + rank + " singular value"), rule);
        assertTrue(rule.contains(": r̂=" + 2 * rank + " → "), "the sweep starts at 2r: " + rule);
        assertTrue(m.rank() >= 2 * rank, rule);
        assertTrue(m.evaluate(s.test()).rmse() < 0.25, "held-out RMSE " + m.evaluate(s.test()).rmse() + "; " + rule);
    }
}
