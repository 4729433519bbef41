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

/** Ranking metrics on tiny cases computed by hand (the arithmetic is in the comments). */
class RankingMetricsTest {
    private static final double LOG2_3 = Math.log(3) / Math.log(2);

    @Test
    void twoUsersByHand() {
        RankingMetrics acc = new RankingMetrics(3, 5);
        // user A: list (0, 1, 2), relevant {1, 4}: one hit at position 2
        //   P = 1/3, R = 1/2, HR = 1, DCG = 1/log2(3), IDCG = 1 + 1/log2(3), AP = (1/2)/min(3, 2) = 1/4
        acc.add(new int[] {0, 1, 2}, new int[] {4, 1});
        // user B: list (3), relevant {3}: P = 1/3 (k = 3), R = 1, HR = 1, NDCG = 1, AP = 1
        acc.add(new int[] {3}, new int[] {3});
        RankingMetrics.Result r = acc.result();
        double ndcgA = (1 / LOG2_3) / (1 + 1 / LOG2_3);
        assertEquals(2, r.users());
        assertEquals(1.0 / 3, r.precision(), 1e-15);
        assertEquals(0.75, r.recall(), 1e-15);
        assertEquals(1.0, r.hitRate(), 1e-15);
        assertEquals((ndcgA + 1) / 2, r.ndcg(), 1e-15);
        assertEquals((0.25 + 1) / 2, r.map(), 1e-15);
        assertEquals(4.0 / 5, r.coverage(), 1e-15, "items 0, 1, 2, 3 of 5 were recommended");
    }

    @Test
    void aMissCountsZeroAndOnlyTheFirstKCount() {
        RankingMetrics acc = new RankingMetrics(2, 4);
        // list (0, 1, 2) cut to (0, 1); relevant {2, 3}: no hit
        acc.add(new int[] {0, 1, 2}, new int[] {2, 3});
        // list (2, 3), relevant {3, 0, 1}: hit at 2 → P = 1/2, R = 1/3, DCG = 1/log2(3), IDCG = 1 + 1/log2(3),
        // AP = (1/2)/min(2, 3) = 1/4
        acc.add(new int[] {2, 3}, new int[] {3, 0, 1});
        RankingMetrics.Result r = acc.result();
        assertEquals(0.25, r.precision(), 1e-15);
        assertEquals(1.0 / 6, r.recall(), 1e-15);
        assertEquals(0.5, r.hitRate(), 1e-15);
        assertEquals((1 / LOG2_3) / (1 + 1 / LOG2_3) / 2, r.ndcg(), 1e-15);
        assertEquals(0.125, r.map(), 1e-15);
        assertEquals(1.0, r.coverage(), 1e-15);
    }

    @Test
    void poisonedOrEmptyResultsAreNanAndBadInputIsRefused() {
        RankingMetrics acc = new RankingMetrics(2, 3);
        assertTrue(Double.isNaN(acc.result().precision()));
        acc.add(new int[] {0}, new int[] {0});
        acc.poison();
        assertTrue(Double.isNaN(acc.result().ndcg()));
        assertThrows(IllegalArgumentException.class, () -> acc.add(new int[] {0}, new int[0]));
        assertThrows(IllegalArgumentException.class, () -> acc.add(new int[] {7}, new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> new RankingMetrics(0, 3));
    }

    /**
     * A biases-only model of 2 users × 4 items, item biases (0.5, 0.1, 0.3, −0.2): a warm user's list
     * is the unseen items by bias; a cold user is ranked by μ + b_i under the baseline strategy.
     */
    @Test
    void evaluateFollowsTheProtocol() {
        IdMapping users = IdMapping.of(List.of("a", "b"));
        IdMapping items = IdMapping.of(List.of("w", "x", "y", "z"));
        // training: a rated w; b has no training rating (a cold user)
        Ratings train = Ratings.of(users, items, new int[] {0}, new int[] {0}, new double[] {4}, null, "train");
        RatingBaseline base = new RatingBaseline(Centering.BIASES, 3.0, new double[] {0, 0},
                new double[] {0.5, 0.1, 0.3, -0.2}, 5);
        CompletionModel m = CompletionModel.of(ModelKind.BIASES, base, new Matrix(2, 0), new Matrix(0, 4), 1, 5, train, Map.of());
        // test: a rates x 5 and y 2 (relevant {x}); b rates w 4 and z 5 (relevant {w, z}); "c" unknown rates y 3
        Ratings.Builder tb = Ratings.builder("test");
        tb.add("a", "x", 5);
        tb.add("a", "y", 2);
        tb.add("b", "w", 4);
        tb.add("b", "z", 5);
        tb.add("c", "y", 3);
        Ratings test = tb.build();
        // k = 2. a: candidates x, y, z by bias → (y, x): hit at 2 → P 1/2, R 1, NDCG (1/log2 3)/1, AP 1/2.
        // b (cold, baseline): only items with training ratings carry a bias: (w, then y by index… ) → w first.
        //   ranked by μ + b_i over warm items: w only warm → list (w, x): hit at 1 → P 1/2, R 1/2, NDCG 1/(1 + 1/log2 3),
        //   AP (1/1)/2 = 1/2. c has no relevant rating (3 < 4): not ranked.
        RankingMetrics.Result r = RankingMetrics.evaluate(m, test, 2, 4.0, ColdStart.BASELINE);
        assertEquals(2, r.users());
        assertEquals(1, r.coldUsers());
        assertEquals(0.5, r.precision(), 1e-15);
        assertEquals(0.75, r.recall(), 1e-15);
        assertEquals((1 / LOG2_3 + 1 / (1 + 1 / LOG2_3)) / 2, r.ndcg(), 1e-15);
        assertEquals(0.5, r.map(), 1e-15);
        RankingMetrics.Result dropped = RankingMetrics.evaluate(m, test, 2, 4.0, ColdStart.DROP);
        assertEquals(1, dropped.users());
        assertEquals(0.5, dropped.precision(), 1e-15);
        assertTrue(Double.isNaN(RankingMetrics.evaluate(m, test, 2, 4.0, ColdStart.NAN).precision()));
    }
}
