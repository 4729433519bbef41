package org.cdln.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.cdln.data.Ratings;
import org.cdln.data.Splits;
import org.junit.jupiter.api.Test;

/** k-fold splits, grid selection on validation only, and the cross-validation summary. */
class CrossValidationTest {
    private static final Ratings RATINGS = SyntheticRatings.generate(60, 90, 3, 0.8, 0.1, 0.5, 11).ratings();

    @Test
    void kFoldTestsEveryRatingExactlyOnce() {
        List<Splits.Split> folds = Splits.kFold(RATINGS, 4, 7);
        assertEquals(4, folds.size());
        Set<Long> tested = new HashSet<>();
        int total = 0;
        for (Splits.Split s : folds) {
            assertEquals(RATINGS.size(), s.train().size() + s.test().size());
            assertTrue(Math.abs(s.test().size() - RATINGS.size() / 4.0) <= 1);
            for (int k = 0; k < s.test().size(); k++) {
                tested.add((long) s.test().userIndex(k) << 32 | s.test().itemIndex(k));
            }
            total += s.test().size();
        }
        assertEquals(RATINGS.size(), total);
        assertEquals(RATINGS.size(), tested.size(), "no rating tested twice");
        assertEquals(folds.get(2).test().size(), Splits.kFold(RATINGS, 4, 7).get(2).test().size(), "seeded");
        assertThrows(IllegalArgumentException.class, () -> Splits.kFold(RATINGS, 1, 0));
    }

    @Test
    void gridSearchPicksTheBestValidationCandidateWithoutSeeingTheTest() {
        Splits.Split s = Splits.random(RATINGS, 0.2, 3);
        Splits.Split inner = Splits.random(s.train(), 0.1, 9);
        List<RatingsEstimator> cands = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        String bestLabel = null;
        for (double lambda : new double[] {0.01, 3, 1000}) {
            AltMin a = new AltMin(AltMin.DEFAULTS.with(3, lambda));
            cands.add(a);
            labels.add("lambda=" + lambda);
            double v = a.fit(inner.train(), inner.test()).evaluate(inner.test(), ColdStart.BASELINE).rmse();
            if (v < best) {
                best = v;
                bestLabel = "lambda=" + lambda;
            }
        }
        CompletionModel m = new GridSearch(cands, labels, 0.1, 9).fit(s.train());
        assertEquals(bestLabel, m.settings().get("grid_choice"));
        assertTrue(m.settings().get("grid").contains("lambda=1000.0 → "), m.settings().get("grid"));
        assertThrows(IllegalArgumentException.class, () -> new GridSearch(List.of(), List.of(), 0.1, 0));
    }

    @Test
    void summaryIsTheMeanAndSampleSdOfTheFolds() {
        List<CrossValidation.Fold> folds = new ArrayList<>();
        List<Splits.Split> ss = Splits.kFold(RATINGS, 3, 1);
        for (int f = 0; f < ss.size(); f++) {
            folds.add(new CrossValidation.Fold("f" + f, ss.get(f)));
        }
        List<String> lines = new ArrayList<>();
        CrossValidation.Result r = CrossValidation.run(folds, List.of(
                new CrossValidation.Candidate("biases", BaselineEstimator.biases()),
                new CrossValidation.Candidate("altmin", new AltMin(AltMin.DEFAULTS.with(3, 3.0)))),
                CrossValidation.Protocol.DEFAULT, lines::add);
        assertEquals(6, lines.size(), "one line per fit");
        assertEquals(List.of("f0", "f1", "f2"), r.folds());
        for (CrossValidation.ModelResult m : r.models()) {
            double[] v = m.folds().stream().mapToDouble(f -> f.rating().rmse()).toArray();
            double mean = (v[0] + v[1] + v[2]) / 3;
            double sd = Math.sqrt(((v[0] - mean) * (v[0] - mean) + (v[1] - mean) * (v[1] - mean)
                    + (v[2] - mean) * (v[2] - mean)) / 2);
            assertEquals(mean, m.summary(f -> f.rating().rmse()).mean(), 1e-15);
            assertEquals(sd, m.summary(f -> f.rating().rmse()).sd(), 1e-15);
            for (CrossValidation.FoldResult f : m.folds()) {
                assertTrue(Double.isFinite(f.ranking().ndcg()) && Double.isFinite(f.rating().mae()), f.toString());
                assertTrue(f.ranking().users() > 0);
            }
        }
        double biases = r.models().get(0).summary(f -> f.rating().rmse()).mean();
        double altmin = r.models().get(1).summary(f -> f.rating().rmse()).mean();
        assertTrue(altmin < biases, "the rank-3 model beats biases on rank-3 data: " + altmin + " vs " + biases);
    }
}
