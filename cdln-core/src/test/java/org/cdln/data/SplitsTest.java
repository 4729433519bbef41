package org.cdln.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Train/test splits: sizes, disjointness, shared mappings, reproducibility. */
class SplitsTest {

    /** 30 users × 20 items, user u rates items 0..u%20 (so user 0 has 1 rating, user 19 has 20). */
    static Ratings ratings() {
        Ratings.Builder b = Ratings.builder("synthetic");
        for (int u = 0; u < 30; u++) {
            for (int i = 0; i <= u % 20; i++) {
                b.add("u" + u, "i" + i, 1 + (u + i) % 5);
            }
        }
        return b.build();
    }

    static Set<Long> pairs(Ratings r) {
        Set<Long> s = new HashSet<>();
        for (int k = 0; k < r.size(); k++) {
            s.add(Ratings.pairKey(r.userIndex(k), r.itemIndex(k)));
        }
        return s;
    }

    @Test
    void randomHoldOutPartitionsTheRatingsAndIsSeeded() {
        Ratings all = ratings();
        Splits.Split a = Splits.random(all, 0.2, 7);
        assertEquals((int) Math.floor(0.2 * all.size()), a.test().size());
        assertEquals(all.size(), a.train().size() + a.test().size());
        Set<Long> tr = pairs(a.train());
        Set<Long> te = pairs(a.test());
        tr.retainAll(te);
        assertTrue(tr.isEmpty(), "train and test share no pair");
        assertSame(all.users(), a.test().users(), "both halves keep the mappings");
        assertEquals(pairs(a.test()), pairs(Splits.random(all, 0.2, 7).test()), "same seed, same split");
        assertNotEquals(pairs(a.test()), pairs(Splits.random(all, 0.2, 8).test()));
    }

    @Test
    void perUserHoldOutTakesNPerUserAndLeavesOneForTraining() {
        Ratings all = ratings();
        Splits.Split s = Splits.perUser(all, 3, 1);
        int[] test = s.test().countsPerUser();
        int[] train = s.train().countsPerUser();
        int[] total = all.countsPerUser();
        for (int u = 0; u < all.numUsers(); u++) {
            assertEquals(Math.min(3, total[u] - 1), test[u], "user " + all.users().id(u));
            assertTrue(train[u] >= 1);
        }
    }

    @Test
    void badFractionsAndCountsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Splits.random(ratings(), 1.0, 0));
        assertThrows(IllegalArgumentException.class, () -> Splits.random(ratings(), 0.0, 0));
        assertThrows(IllegalArgumentException.class, () -> Splits.perUser(ratings(), 0, 0));
    }

    @Test
    void groupLensFilesShareOneMappingOfBothHalves(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("u1.base"), "1\t1\t5\t1\n2\t1\t3\t2\n");
        Files.writeString(dir.resolve("u1.test"), "2\t7\t4\t3\n3\t1\t1\t4\n");
        Splits.Split s = Splits.groupLens(dir, "u1");
        assertEquals(2, s.train().size());
        assertEquals(2, s.test().size());
        assertEquals(java.util.List.of("1", "2", "3"), s.train().users().ids(), "user 3 only rates in the test file");
        assertEquals(s.train().items(), s.test().items());
        assertEquals("7", s.test().items().id(s.test().itemIndex(0)));
    }

    @Test
    void missingGroupLensFilesSayWhatToPointAt(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Splits.groupLens(dir, "u2"));
        assertTrue(e.getMessage().contains("no u2.base in"), e.getMessage());
        assertTrue(e.getMessage().contains("ml-100k"), e.getMessage());
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class, () -> Splits.groupLens(dir, "u9"));
        assertTrue(name.getMessage().contains("u1, u2, u3, u4, u5, ua, ub"), name.getMessage());
    }
}
