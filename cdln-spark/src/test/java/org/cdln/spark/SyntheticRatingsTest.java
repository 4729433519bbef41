package org.cdln.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's MovieLens-25M-shaped generator at a small scale: seeded (two runs are equal),
 * ratings in 0.5…5 on the half-point grid, no repeated (user, item) pair, about 10 % test and
 * 4.5 % validation rows.
 */
class SyntheticRatingsTest {
    @Test
    void generatesSeededHalfPointRatingsWithoutRepeats() {
        List<Row> a = SparkBench.Synthetic.generate(SparkTestSession.get(), 0.002, 3).collectAsList();
        List<Row> b = SparkBench.Synthetic.generate(SparkTestSession.get(), 0.002, 3).collectAsList();
        assertEquals(a, b);
        assertTrue(a.size() > 10_000, "rows: " + a.size());
        java.util.Set<Long> pairs = new java.util.HashSet<>();
        int test = 0;
        for (Row r : a) {
            double v = r.getDouble(2);
            assertTrue(v >= 0.5 && v <= 5.0 && v * 2 == Math.rint(v * 2), "rating " + v);
            assertTrue(pairs.add(((long) r.getInt(0) << 32) | r.getInt(1)), "repeated pair " + r);
            test += r.getInt(3) == 2 ? 1 : 0;
        }
        assertEquals(0.1, test / (double) a.size(), 0.02);
    }
}
