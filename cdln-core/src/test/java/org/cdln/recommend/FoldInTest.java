package org.cdln.recommend;

import static org.cdln.recommend.DeepMatrixCompletion.MAX_STEPS;
import static org.cdln.recommend.DeepMatrixCompletion.PATIENCE;
import static org.cdln.recommend.DeepMatrixCompletion.RANK_HAT;
import static org.cdln.recommend.DeepMatrixCompletion.VALIDATION_FRACTION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.cdln.data.Ratings;
import org.junit.jupiter.api.Test;

/**
 * Fold-in of a user held out of the fit against a refit that included them: 300 users × 60 items,
 * rank 2 plus noise 0.1, half observed; AltMin k = 2, λ = 5, 25 sweeps, and a C-DLN r̂ = 4, 300 steps,
 * both without a validation share.
 */
class FoldInTest {
    private static final double LAMBDA = 5.0;

    private static AltMin altMin() {
        return new AltMin(new AltMin.Settings(2, LAMBDA, 25, 0.0, Centering.BIASES, 5.0, true, 0L));
    }

    @Test
    void foldInIsCloseToARefitThatIncludedTheUser() {
        double[] d = worstDifferences(altMin(), LAMBDA);
        // measured: RMS 0.0026, max 0.0066 over the 60 items, worst of the 3 users (the refit moves V a little too)
        assertTrue(d[0] < 0.01, "RMS difference fold-in vs refit " + d[0]);
        assertTrue(d[1] < 0.02, "max difference fold-in vs refit " + d[1]);
    }

    @Test
    void foldInIntoACompressedNetworkIsCloseToItsRefit() {
        RatingsEstimator cdln = DeepMatrixCompletion.builder().set(RANK_HAT, 4).set(VALIDATION_FRACTION, 0.0)
                .set(MAX_STEPS, 300L).set(PATIENCE, 0).build();
        double[] d = worstDifferences(cdln, Double.NaN);
        // automatic λ = σ̂²/s_u² ≈ 0.40 here; measured: RMS 0.0118, max 0.053 (λ = 1 gives 0.0065 and 0.033): the
        // refit's item side moves more than AltMin's, since its spectral start and its steps see the user too
        assertTrue(d[0] < 0.025, "RMS difference fold-in vs refit " + d[0]);
        assertTrue(d[1] < 0.1, "max difference fold-in vs refit " + d[1]);
    }

    @Test
    void automaticLambdaIsResidualVarianceOverUserRowVariance() {
        CompletionModel m = DeepMatrixCompletion.builder().set(RANK_HAT, 3).set(MAX_STEPS, 200L).build()
                .fit(SyntheticRatings.generate(80, 50, 2, 0.8, 0.3, 0.5, 4).ratings());
        double rmse = Double.parseDouble(m.settings().get("best_validation_rmse"));
        double ss = 0;
        int n = 0;
        for (int u = 0; u < m.users().size(); u++) {
            if (m.ratingCount(u) > 0) {
                for (int c = 0; c < m.rank(); c++) {
                    ss += m.userFactors().get(u, c) * m.userFactors().get(u, c);
                }
                n++;
            }
        }
        assertEquals(rmse * rmse / (ss / (n * m.rank())), FoldIn.autoLambda(m), 1e-9);
        CompletionModel a = new AltMin(AltMin.DEFAULTS.with(2, 7.0)).fit(SyntheticRatings.standardSplit().train());
        assertEquals(7.0, FoldIn.autoLambda(a), "AltMin's own λ");
    }

    /** {worst RMS, worst max} difference between fold-in and refit predictions over 3 held-out users. */
    private static double[] worstDifferences(RatingsEstimator est, double lambda) {
        Ratings all = SyntheticRatings.generate(300, 60, 2, 0.8, 0.1, 0.5, 21).ratings();
        CompletionModel full = est.fit(all);
        double worstRms = 0;
        double worstMax = 0;
        for (String held : new String[] {"0", "17", "123"}) {
            int hu = all.users().indexOf(held);
            List<Integer> keep = new ArrayList<>();
            List<String> items = new ArrayList<>();
            List<Double> ratings = new ArrayList<>();
            for (int k = 0; k < all.size(); k++) {
                if (all.userIndex(k) == hu) {
                    items.add(all.items().id(all.itemIndex(k)));
                    ratings.add(all.rating(k));
                } else {
                    keep.add(k);
                }
            }
            Ratings without = all.subset(keep.stream().mapToInt(Integer::intValue).toArray(), "without " + held);
            CompletionModel reduced = est.fit(without);
            CompletionModel folded = reduced.foldIn(held, items.toArray(new String[0]),
                    ratings.stream().mapToDouble(Double::doubleValue).toArray(),
                    Double.isNaN(lambda) ? FoldIn.autoLambda(reduced) : lambda);
            int fu = folded.userIndex(held);
            int ru = full.userIndex(held);
            double ss = 0;
            double max = 0;
            for (int i = 0; i < all.numItems(); i++) {
                double d = folded.predict(fu, i) - full.predict(ru, i);
                ss += d * d;
                max = Math.max(max, Math.abs(d));
            }
            worstRms = Math.max(worstRms, Math.sqrt(ss / all.numItems()));
            worstMax = Math.max(worstMax, max);
            assertEquals(items.size(), folded.ratingCount(fu), "the folded-in items count as seen");
            String other = held.equals("0") ? "1" : "0";
            assertEquals(reduced.predict(other, "5"), folded.predict(other, "5"), "other users are unchanged");
        }
        return new double[] {worstRms, worstMax};
    }

    @Test
    void aNewUserIsAppendedWithTheBiasFormulaAndBadInputIsRefused() {
        CompletionModel m = ColdStartTest.model();
        // rank 1, V = (0.1, 0.2, 0), μ = 3, b_i = (0.25, −0.25, 0), λ_b = 5; the new user rates x 5, y 4
        // b_u = ((5 − 3 − 0.25) + (4 − 3 + 0.25))/(2 + 5) = 3/7
        // residuals e = (5 − 3 − 3/7 − 0.25, 4 − 3 − 3/7 + 0.25); u = (0.1·e1 + 0.2·e2)/(0.01 + 0.04 + λ)
        CompletionModel f = m.foldIn("new", new String[] {"x", "y", "unknown-item"}, new double[] {5, 4, 1}, 1.0);
        assertEquals(4, f.users().size());
        int u = f.userIndex("new");
        assertEquals(3.0 / 7, f.baseline().userBiasAt(u), 1e-15);
        double e1 = 5 - 3 - 3.0 / 7 - 0.25;
        double e2 = 4 - 3 - 3.0 / 7 + 0.25;
        double row = (0.1 * e1 + 0.2 * e2) / (0.05 + 1.0);
        assertEquals(row, f.userFactors().get(u, 0), 1e-14);
        assertEquals(2, f.ratingCount(u), "the unknown item is ignored");
        assertEquals(m.predict("a", "y"), f.predict("a", "y"));
        assertEquals("1", f.settings().get("folded_in_users"));
        assertEquals(FoldIn.DEFAULT_LAMBDA, FoldIn.autoLambda(m), "the model's kind says altmin but it has no lambda");
        CompletionModel again = f.foldIn("new", new String[] {"x"}, new double[] {1});
        assertEquals(4, again.users().size(), "a known user is replaced, not added");
        assertEquals(1, again.ratingCount(again.userIndex("new")));
        assertThrows(IllegalArgumentException.class, () -> m.foldIn("n", new String[] {"x"}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> m.foldIn("n", new String[] {"x", "x"}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> m.foldIn("n", new String[] {"x"}, new double[] {1}, -1));
    }
}
