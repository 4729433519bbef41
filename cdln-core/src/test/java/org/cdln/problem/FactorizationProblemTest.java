package org.cdln.problem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cdln.Oracle;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.junit.jupiter.api.Test;

/** Matrix factorization (docs/method.md §2): loss = recovery error = (1/(2·d1·d2))·‖P − Y‖_F². */
class FactorizationProblemTest {
    private static final LinearAlgebra LA = LinearAlgebra.instance();

    /**
     * Hand case: Y = [[1, 2], [3, 4]], P = [1; 2]·[1, 1] = [[1, 1], [2, 2]], P − Y = [[0, −1], [−1, −2]],
     * ‖P − Y‖² = 6, loss = 6/(2·4) = 0.75; G = (P − Y)/4, G·rightᵀ = [−1/4; −3/4], leftᵀ·G = [−2/4, −5/4].
     */
    @Test
    void lossRecoveryAndGradientOnAHandComputedCase() {
        FactorizationProblem f = new FactorizationProblem(Matrix.ofRows(new double[] {1, 2}, new double[] {3, 4}));
        Matrix left = Matrix.ofRows(new double[] {1}, new double[] {2});
        Matrix right = Matrix.ofRows(new double[] {1, 1});
        LossGradientOracle ev = f.newOracle(1, LA);
        assertEquals(0.75, ev.loss(left, right), 1e-15);
        assertEquals(0.75, ev.lossAndGradient(left, right), 1e-15);
        assertEquals(0.75, ev.lastRecoveryError(), 1e-15);
        Matrix gbt = new Matrix(2, 1);
        ev.gradientTimesTransposed(right, gbt);
        assertArrayEquals(new double[] {-0.25, -0.75}, gbt.data(), 1e-15);
        Matrix atg = new Matrix(1, 2);
        ev.transposedTimesGradient(left, atg);
        assertArrayEquals(new double[] {-0.5, -1.25}, atg.data(), 1e-15);
    }

    @Test
    void lossMatchesTheDefinitionOnARectangularRandomInstance() {
        Matrix y = Oracle.gaussian(4, 7, 1);
        Matrix left = Oracle.gaussian(4, 3, 2);
        Matrix right = Oracle.gaussian(3, 7, 3);
        Matrix p = Oracle.times(left, right);
        double ss = 0;
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 7; j++) {
                ss += (p.get(i, j) - y.get(i, j)) * (p.get(i, j) - y.get(i, j));
            }
        }
        LossGradientOracle ev = new FactorizationProblem(y).newOracle(3, LA);
        assertEquals(ss / (2 * 28), ev.lossAndGradient(left, right), 1e-13);
        assertEquals(ss / (2 * 28), ev.lastRecoveryError(), 1e-13);
    }

    @Test
    void rejectsNonFiniteTargetsAndMismatchedFactors() {
        Matrix bad = new Matrix(2, 2);
        bad.set(0, 1, Double.NaN);
        assertThrows(IllegalArgumentException.class, () -> new FactorizationProblem(bad));
        LossGradientOracle ev = new FactorizationProblem(Matrix.identity(3)).newOracle(2, LA);
        assertThrows(IllegalArgumentException.class, () -> ev.lossAndGradient(new Matrix(3, 3), new Matrix(3, 3)));
    }

    /**
     * A thin left factor, as in the compressed network: every call of the fused evaluation gives
     * Lᵀ·G and G·Rᵀ of the definition G = (L·R − Y)/(d1·d2), and the loss (four partial sums) to
     * the last bits' rounding.
     */
    @Test
    void gradientProductsOfAThinLeftFactorMatchTheDefinition() {
        int d1 = 60;
        int d2 = 45;
        int k = 5;
        Matrix y = Oracle.gaussian(d1, d2, 3);
        Matrix left = Oracle.gaussian(d1, k, 4);
        Matrix right = Oracle.gaussian(k, d2, 5);
        Matrix g = LA.multiply(left, right);
        g.addScaledInPlace(-1.0, y);
        double loss = 0.5 * g.frobeniusNorm() * g.frobeniusNorm() / (d1 * d2);
        g.scaleInPlace(1.0 / (d1 * d2));
        Matrix ltg = LA.multiply(true, left, false, g);
        Matrix grt = LA.multiply(false, g, true, right);
        LossGradientOracle ev = new FactorizationProblem(y).newOracle(k, LA.withSplitting(1, 1.0));
        for (int call = 0; call < 40; call++) {
            Matrix a = new Matrix(k, d2);
            Matrix b = new Matrix(d1, k);
            assertEquals(loss, ev.lossAndGradientProducts(left, right, b, a), 1e-13 * loss);
            assertArrayEquals(ltg.data(), a.data(), 1e-13 * ltg.frobeniusNorm(), "Lᵀ·G, call " + call);
            assertArrayEquals(grt.data(), b.data(), 1e-13 * grt.frobeniusNorm(), "G·Rᵀ, call " + call);
        }
    }
}
