package org.cdln.problem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The factorization oracle's residual pass: the vector pass gives the scalar pass's bits, and both the definition. */
class ScaledResidualsTest {
    @Test
    void theVectorPassGivesTheScalarPassesBitsAtEveryLength() {
        ScaledResiduals vector = ScaledResiduals.preferred();
        Assumptions.assumeTrue(vector != ScaledResiduals.scalar(), "the jdk.incubator.vector module is not in this JVM");
        SplittableRandom rng = new SplittableRandom(3);
        for (int n = 0; n <= 41; n++) {
            double[] p = new double[n];
            double[] y = new double[n];
            for (int e = 0; e < n; e++) {
                p[e] = rng.nextDouble(-2, 2);
                y[e] = rng.nextDouble(-2, 2) * Math.pow(10, rng.nextInt(-8, 3));
            }
            double scale = 1.0 / (n + 7);
            double[] gs = new double[n];
            double[] gv = new double[n];
            double ss = ScaledResiduals.scalar().apply(p, y, gs, scale, n);
            double sv = vector.apply(p, y, gv, scale, n);
            assertEquals(Double.doubleToLongBits(ss), Double.doubleToLongBits(sv), "Σr² at n = " + n);
            assertArrayEquals(gs, gv, 0.0, "g at n = " + n);
            double sum = 0.0;
            for (int e = 0; e < n; e++) {
                double r = p[e] - y[e];
                sum += r * r;
                assertEquals(r * scale, gs[e], 0.0, "g[" + e + "] at n = " + n);
            }
            assertEquals(sum, ss, 1e-13 * Math.max(1.0, sum), "Σr² at n = " + n);
        }
    }
}
