package org.cdln.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cdln.data.IdMapping;
import org.cdln.data.Ratings;
import org.cdln.data.Splits;
import org.cdln.linalg.Matrix;
import org.junit.jupiter.api.Test;

/** The AltMin baseline: its ridge updates, recovery on synthetic ratings, overfitting at λ → 0. */
class AltMinTest {

    @Test
    void oneSweepOfRankOneOnAFullTwoByTwoMatrixMatchesTheRidgeFormulas() {
        // Y = [[1, 2], [2, 4]] (rank 1), all observed, no centering, λ = 0.5, one sweep.
        Ratings r = Ratings.of(IdMapping.of(java.util.List.of("a", "b")), IdMapping.of(java.util.List.of("x", "y")),
                new int[] {0, 0, 1, 1}, new int[] {0, 1, 0, 1}, new double[] {1, 2, 2, 4}, null, "2×2");
        AltMin.Settings s = new AltMin.Settings(1, 0.5, 1, 0.0, Centering.NONE, 0.0, false, 0);
        CompletionModel m = new AltMin(s).fit(r);
        // V0 = √σ1·v1 with σ1 = 5, v1 = (1, 2)/√5 (up to sign): V0 = (1, 2).
        // users: u_a = (1·1 + 2·2)/(1 + 4 + 0.5) = 5/5.5, u_b = (2·1 + 4·2)/5.5 = 10/5.5
        // items: v_x = (u_a·1 + u_b·2)/(u_a² + u_b² + 0.5), v_y = (u_a·2 + u_b·4)/(u_a² + u_b² + 0.5)
        double ua = 5 / 5.5;
        double ub = 10 / 5.5;
        double den = ua * ua + ub * ub + 0.5;
        double vx = (ua + 2 * ub) / den;
        double vy = (2 * ua + 4 * ub) / den;
        Matrix u = m.userFactors();
        Matrix v = m.itemFactors();
        double sign = Math.signum(u.get(0, 0));
        assertEquals(ua, sign * u.get(0, 0), 1e-12);
        assertEquals(ub, sign * u.get(1, 0), 1e-12);
        assertEquals(vx, sign * v.get(0, 0), 1e-12);
        assertEquals(vy, sign * v.get(0, 1), 1e-12);
    }

    @Test
    void recoversSyntheticLowRankRatings() {
        Splits.Split s = SyntheticRatings.standardSplit();
        CompletionModel m = new AltMin(new AltMin.Settings(3, 1.0, 20, 0.0, Centering.BIASES, 5.0, true, 0))
                .fit(s.train(), s.test());
        // measured 0.25 with rank k = r = 3 and λ = 1
        assertTrue(m.evaluate(s.test()).rmse() < 0.3, "held-out RMSE " + m.evaluate(s.test()).rmse());
        assertEquals(20, m.trajectory().size(), "one evaluation per sweep");
    }

    @Test
    void withoutRegularisationAHighRankOverfits() {
        Splits.Split s = SyntheticRatings.standardSplit();
        CompletionModel m = new AltMin(new AltMin.Settings(20, 1e-3, 15, 0.0, Centering.BIASES, 5.0, true, 0))
                .fit(s.train(), s.test());
        FitPoint last = m.trajectory().get(m.trajectory().size() - 1);
        double best = m.trajectory().stream().mapToDouble(FitPoint::validationRmse).min().orElseThrow();
        assertTrue(last.trainLoss() < 0.2 * 0.5 * 0.1 * 0.1, "fits the training noise: " + last.trainLoss());
        assertTrue(last.validationRmse() > 1.5 * best || best > 0.5, "held-out error " + last.validationRmse()
                + " vs best " + best);
    }

    @Test
    void settingsAreValidated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AltMin.Settings(0, 1, 1, 0, Centering.NONE, 0, true, 0));
        assertEquals("AltMin rank k must be ≥ 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AltMin.Settings(2, -1, 1, 0, Centering.NONE, 0, true, 0));
        assertTrue(e.getMessage().contains("λ must be a finite number ≥ 0, got -1.0"), e.getMessage());
    }
}
