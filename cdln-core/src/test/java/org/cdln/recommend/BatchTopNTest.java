package org.cdln.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.cdln.data.Splits;
import org.junit.jupiter.api.Test;

/** Batch top-N gives, user by user, the lists of the one-user {@link CompletionModel#recommend}. */
class BatchTopNTest {
    private static final Splits.Split SPLIT = SyntheticRatings.standardSplit();
    private static final CompletionModel MODEL = new AltMin(AltMin.DEFAULTS.with(3, 1.0)).fit(SPLIT.train());

    @Test
    void sameListsAsOneUserAtATimeForEveryBlockSize() {
        int d1 = MODEL.users().size();
        int[] users = new int[d1];
        for (int u = 0; u < d1; u++) {
            users[u] = (u * 7) % d1;       // a permuted order: results must come back in it
        }
        for (int block : new int[] {1, 3, 64, 0}) {
            for (int k : new int[] {1, 5, MODEL.items().size() + 3}) {
                for (boolean exclude : new boolean[] {true, false}) {
                    List<UserRecommendations> got = new ArrayList<>();
                    new BatchTopN(MODEL, k, exclude, block).run(users, got::add);
                    assertEquals(d1, got.size());
                    for (int q = 0; q < d1; q++) {
                        UserRecommendations ur = got.get(q);
                        assertEquals(users[q], ur.userIndex());
                        List<Recommendation> want = MODEL.recommend(ur.userId(), k, exclude);
                        assertEquals(want.size(), ur.items().size(), "block " + block + " k " + k);
                        for (int j = 0; j < want.size(); j++) {
                            assertEquals(want.get(j).itemIndex(), ur.items().get(j).itemIndex(),
                                    "user " + ur.userId() + " position " + j + " (block " + block + ", k " + k + ")");
                            assertEquals(want.get(j).score(), ur.items().get(j).score(), 1e-12);
                            assertEquals(want.get(j).predictedRating(), ur.items().get(j).predictedRating(), 1e-12);
                        }
                    }
                }
            }
        }
    }

    @Test
    void recommendForAllCoversEveryUserInOrder() {
        List<UserRecommendations> all = MODEL.recommendForAll(4);
        assertEquals(MODEL.users().size(), all.size());
        for (int u = 0; u < all.size(); u++) {
            assertEquals(u, all.get(u).userIndex());
            assertEquals(4, all.get(u).items().size());
        }
        assertThrows(IllegalArgumentException.class, () -> MODEL.recommendForAll(0));
        assertThrows(IllegalArgumentException.class, () -> MODEL.recommendFor(new int[] {-1}, 3, true, r -> { }));
    }

    @Test
    void rankZeroModelsRankByItemBias() {
        CompletionModel b = BaselineEstimator.biases().fit(SPLIT.train(), SPLIT.train().subset(new int[0], "none"));
        UserRecommendations r = new ArrayList<UserRecommendations>() {
            {
                b.recommendFor(new int[] {2}, 3, true, this::add);
            }
        }.get(0);
        List<Recommendation> want = b.recommend(b.users().id(2), 3, true);
        for (int j = 0; j < 3; j++) {
            assertEquals(want.get(j).itemIndex(), r.items().get(j).itemIndex());
            assertEquals(want.get(j).score(), r.items().get(j).score(), 1e-12);
        }
    }
}
