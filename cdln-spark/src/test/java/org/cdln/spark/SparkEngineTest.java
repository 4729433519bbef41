package org.cdln.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cdln.data.Ratings;
import org.cdln.recommend.CompletionModel;
import org.junit.jupiter.api.Test;

/**
 * What {@code cdln complete --engine spark} runs: the library's fit(Ratings) — same seeded
 * validation split, same settings — on Spark, with the same seen items; predictions agree with
 * the single-machine fit to 1e-9 relative (ids are ordered differently, so only rounding differs).
 */
class SparkEngineTest {
    @Test
    void fitsLikeTheLibrarysFitOfAllRatings() {
        Ratings all = SparkTestSession.lowRank(25, 20, 2, 0.6, 17);
        org.cdln.recommend.DeepMatrixCompletion lib = org.cdln.recommend.DeepMatrixCompletion.builder().set(org.cdln.recommend.DeepMatrixCompletion.RANK_HAT, 3)
                .set(org.cdln.recommend.DeepMatrixCompletion.MAX_STEPS, 40L).set(org.cdln.recommend.DeepMatrixCompletion.VALIDATION_FRACTION, 0.1).set(org.cdln.recommend.DeepMatrixCompletion.SEED, 6L).build();
        CompletionModel a = lib.fit(all);
        CompletionModel b = SparkEngine.fit(SparkTestSession.get(), all, lib.settings(), 2, null);
        assertEquals(a.settings().get("best_step"), b.settings().get("best_step"));
        for (int u = 0; u < all.numUsers(); u++) {
            String user = all.users().id(u);
            for (String item : all.items().ids()) {
                double x = a.predict(user, item);
                assertEquals(x, b.predict(user, item), 1e-9 * Math.abs(x));
            }
            assertEquals(a.ratingCount(a.userIndex(user)), b.ratingCount(b.userIndex(user)));
        }
        assertTrue(b.settings().get("engine").startsWith("spark"));
    }
}
