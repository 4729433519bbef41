package org.cdln.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.cdln.data.IdMapping;
import org.cdln.data.Ratings;
import org.cdln.linalg.Matrix;
import org.junit.jupiter.api.Test;

/** The cold-start strategies on a hand-built rank-1 model whose predictions are known exactly. */
class ColdStartTest {
    /**
     * Users a, b, u0 (u0 has no training rating), items x, y, i0 (i0 has none); μ = 3, b_u = (0.5, −0.5, 0),
     * b_i = (0.25, −0.25, 0), U = (1, 2, 0)ᵀ, V = (0.1, 0.2, 0), clip [1, 5].
     */
    static CompletionModel model() {
        IdMapping users = IdMapping.of(List.of("a", "b", "u0"));
        IdMapping items = IdMapping.of(List.of("x", "y", "i0"));
        Ratings train = Ratings.of(users, items, new int[] {0, 1, 1}, new int[] {0, 0, 1}, new double[] {4, 3, 2}, null,
                "train");
        RatingBaseline base = new RatingBaseline(Centering.BIASES, 3.0, new double[] {0.5, -0.5, 0},
                new double[] {0.25, -0.25, 0}, 5);
        return CompletionModel.of(ModelKind.ALTMIN, base, Matrix.wrap(3, 1, new double[] {1, 2, 0}),
                Matrix.wrap(1, 3, new double[] {0.1, 0.2, 0}), 1, 5, train, Map.of());
    }

    @Test
    void baselineGivesTheKnownPartOfTheBaseline() {
        CompletionModel m = model();
        assertEquals(3 + 0.5 + 0.25 + 0.1, m.predict("a", "x", ColdStart.BASELINE), 1e-15, "warm pair: the model");
        assertEquals(3 + 0.25, m.predict("new", "x", ColdStart.BASELINE), 1e-15, "unknown user: μ + b_i");
        assertEquals(3 + 0.25, m.predict("u0", "x", ColdStart.BASELINE), 1e-15, "unrated user: μ + b_i");
        assertEquals(3 - 0.5, m.predict("b", "new", ColdStart.BASELINE), 1e-15, "unknown item: μ + b_u");
        assertEquals(3 - 0.5, m.predict("b", "i0", ColdStart.BASELINE), 1e-15, "unrated item: μ + b_u");
        assertEquals(3.0, m.predict("new", "other", ColdStart.BASELINE), 1e-15, "both: μ");
        assertTrue(Double.isNaN(m.predict("new", "x", ColdStart.NAN)));
    }

    @Test
    void evaluationCountsColdPairsAndEachStrategyScoresThemItsWay() {
        CompletionModel m = model();
        Ratings.Builder b = Ratings.builder("test");
        b.add("a", "y", 4);       // warm: 3 + 0.5 − 0.25 + 0.2 = 3.45, error −0.55
        b.add("new", "x", 4);     // cold user: 3.25, error −0.75
        b.add("b", "i0", 2);      // cold item: 2.5, error 0.5
        b.add("u0", "new", 1);    // both: 3, error 2
        Ratings test = b.build();
        RatingEvaluation base = m.evaluate(test, ColdStart.BASELINE);
        assertEquals(4, base.total());
        assertEquals(4, base.scored());
        assertEquals(1, base.coldUserOnly());
        assertEquals(1, base.coldItemOnly());
        assertEquals(1, base.coldBoth());
        assertEquals(Math.sqrt((0.55 * 0.55 + 0.75 * 0.75 + 0.25 + 4) / 4), base.rmse(), 1e-12);
        assertEquals((0.55 + 0.75 + 0.5 + 2) / 4, base.mae(), 1e-12);
        RatingEvaluation drop = m.evaluate(test, ColdStart.DROP);
        assertEquals(1, drop.scored());
        assertEquals(3, drop.cold());
        assertEquals(0.55, drop.rmse(), 1e-12);
        RatingEvaluation nan = m.evaluate(test, ColdStart.NAN);
        assertTrue(Double.isNaN(nan.rmse()) && Double.isNaN(nan.mae()));
        assertEquals(ColdStart.BASELINE, ColdStart.parse(" Baseline "));
        assertThrows(IllegalArgumentException.class, () -> ColdStart.parse("zero"));
    }

    @Test
    void theEvaluationSettingsAreDeclaredOnceWithTheirDefaults() {
        assertEquals(ColdStart.BASELINE, EvaluationSettings.COLD_START.defaultValue());
        assertEquals(ColdStart.DROP, EvaluationSettings.COLD_START.parse("drop"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EvaluationSettings.COLD_START.parse("zero"));
        assertTrue(e.getMessage().contains("baseline, nan or drop"), e.getMessage());
        assertEquals(10, EvaluationSettings.RANKING_K.defaultValue());
        assertEquals(4.0, EvaluationSettings.RELEVANCE_THRESHOLD.defaultValue());
        assertThrows(IllegalArgumentException.class, () -> EvaluationSettings.RANKING_K.check(0));
        assertThrows(IllegalArgumentException.class, () -> EvaluationSettings.RELEVANCE_THRESHOLD.check(Double.NaN));
        CompletionModel m = model();
        assertEquals(FoldIn.autoLambda(m), EvaluationSettings.foldInLambda(m,
                EvaluationSettings.FOLD_IN_LAMBDA.parse("auto")));
        assertEquals(2.5, EvaluationSettings.foldInLambda(m, 2.5));
        assertThrows(IllegalArgumentException.class, () -> EvaluationSettings.FOLD_IN_LAMBDA.parse("-1"));
        assertEquals(CrossValidation.Protocol.DEFAULT, new CrossValidation.Protocol(10, 4.0, ColdStart.BASELINE));
    }

    @Test
    void noNanReachesAMetricUnderTheDefaultOnAFittedModel() {
        var split = SyntheticRatings.standardSplit();
        CompletionModel m = new AltMin(AltMin.DEFAULTS.with(3, 1.0)).fit(split.train());
        Ratings.Builder b = Ratings.builder("mixed");
        for (int k = 0; k < 20; k++) {
            b.add(split.test().users().id(split.test().userIndex(k)), split.test().items().id(split.test().itemIndex(k)),
                    split.test().rating(k));
        }
        b.add("stranger", "0", 4);
        b.add("0", "new-item", 2);
        b.add("stranger", "new-item", 5);
        RatingEvaluation e = m.evaluate(b.build(), ColdStart.DEFAULT);
        assertEquals(3, e.cold());
        assertTrue(Double.isFinite(e.rmse()) && Double.isFinite(e.mae()), e.toString());
    }
}
