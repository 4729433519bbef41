package org.cdln.problem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.cdln.Oracle;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.cdln.linalg.SparseMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Matrix completion (docs/method.md §2): the mask, the loss on Ω and the recovery error on Ωᶜ. */
class CompletionProblemTest {
    private static final LinearAlgebra LA = LinearAlgebra.instance();

    @ParameterizedTest(name = "{0}×{1}, p = {2} observes {3}")
    @CsvSource({
        // ⌊0.3·63⌋ = ⌊18.9⌋ = 18
        "7, 9, 0.3, 18",
        // ⌊0.5·20⌋ = 10
        "4, 5, 0.5, 10",
        // ⌊0.01·63⌋ = ⌊0.63⌋ = 0 is refused (see below); ⌊0.02·63⌋ = 1
        "7, 9, 0.02, 1",
        "7, 9, 1.0, 63"})
    void sampleObservesExactlyFloorPd1d2DistinctEntriesAndHoldsOutTheRest(int d1, int d2, double p, int expected) {
        Matrix y = Oracle.gaussian(d1, d2, 5);
        CompletionProblem c = CompletionProblem.sample(y, p, new Rng(6), "test");
        assertEquals(expected, c.observed().nonZeros());
        assertEquals(d1 * d2 - expected, c.heldOut().nonZeros());
        Set<Long> seen = new HashSet<>();
        for (SparseMatrix s : new SparseMatrix[] {c.observed(), c.heldOut()}) {
            int[] ptr = s.rowPointers();
            int[] col = s.columnIndices();
            for (int i = 0; i < d1; i++) {
                for (int e = ptr[i]; e < ptr[i + 1]; e++) {
                    assertTrue(seen.add((long) i * d2 + col[e]), "entry (" + i + ", " + col[e] + ") appears twice");
                    assertEquals(y.get(i, col[e]), s.values()[e], 0.0, "stored value is not Y's");
                }
            }
        }
        assertEquals(d1 * d2, seen.size(), "observed ∪ held-out must cover every entry");
        assertEquals(expected / (double) (d1 * d2), c.observedFraction(), 1e-15);
    }

    @Test
    void sampleIsSeededAndVariesWithTheSeed() {
        Matrix y = Oracle.gaussian(10, 10, 5);
        int[] a = CompletionProblem.sample(y, 0.3, new Rng(1), "").observed().columnIndices();
        int[] b = CompletionProblem.sample(y, 0.3, new Rng(1), "").observed().columnIndices();
        int[] c = CompletionProblem.sample(y, 0.3, new Rng(2), "").observed().columnIndices();
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -0.1, 1.5, Double.NaN, 0.01})
    void sampleRejectsFractionsOutsideTheRangeOrObservingNothing(double p) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CompletionProblem.sample(Oracle.gaussian(7, 9, 5), p, new Rng(6), "test"));
        assertTrue(e.getMessage().contains("p"), e.getMessage());
    }

    /**
     * Hand case: Y = [[1, 2], [3, 4]], Ω = {(0,0), (1,1)}, P = left·right = [1; 2]·[1, 1] =
     * [[1, 1], [2, 2]]. Residuals on Ω: 0, −2 → loss = (0 + 4)/(2·2) = 1. On Ωᶜ = {(0,1), (1,0)}:
     * −1, −1 → recovery = (1 + 1)/(2·2) = 0.5. G = P_Ω(P − Y)/|Ω| = [[0, 0], [0, −1]], so
     * G·rightᵀ = [0; −1] and leftᵀ·G = [0, −2].
     */
    @ParameterizedTest(name = "dense path: {0}")
    @ValueSource(booleans = {false, true})
    void lossRecoveryAndGradientOnAHandComputedCase(boolean dense) {
        Matrix y = Matrix.ofRows(new double[] {1, 2}, new double[] {3, 4});
        Matrix mask = Matrix.ofRows(new double[] {1, 0}, new double[] {0, 1});
        CompletionProblem c = CompletionProblem.withMask(y, mask, "hand");
        if (dense) {
            c = c.withDenseGradient();
        }
        assertEquals(dense, c.denseGradient());
        Matrix left = Matrix.ofRows(new double[] {1}, new double[] {2});
        Matrix right = Matrix.ofRows(new double[] {1, 1});
        LossGradientOracle ev = c.newOracle(1, LA);
        assertEquals(1.0, ev.loss(left, right), 1e-15);
        assertEquals(1.0, ev.lossAndGradient(left, right), 1e-15);
        assertEquals(0.5, ev.lastRecoveryError(), 1e-15);
        Matrix gbt = new Matrix(2, 1);
        ev.gradientTimesTransposed(right, gbt);
        assertArrayEquals(new double[] {0, -1}, gbt.data(), 1e-15);
        Matrix atg = new Matrix(1, 2);
        ev.transposedTimesGradient(left, atg);
        assertArrayEquals(new double[] {0, -2}, atg.data(), 1e-15);
        // a different A than the recorded left factor: [1; 1]ᵀ·G = [0, −1]
        ev.transposedTimesGradient(Matrix.ofRows(new double[] {1}, new double[] {1}), atg);
        assertArrayEquals(new double[] {0, -1}, atg.data(), 1e-15);
    }

    @Test
    void fullyObservedProblemHasNoRecoveryError() {
        Matrix y = Oracle.gaussian(3, 3, 1);
        CompletionProblem c = CompletionProblem.sample(y, 1.0, new Rng(1), "");
        LossGradientOracle ev = c.newOracle(3, LA);
        ev.lossAndGradient(Matrix.identity(3), y);
        assertTrue(Double.isNaN(ev.lastRecoveryError()));
    }

    @Test
    void lossMatchesTheDefinitionOnARandomInstance() {
        Matrix y = Oracle.gaussian(6, 5, 8);
        CompletionProblem c = CompletionProblem.sample(y, 0.4, new Rng(9), "");
        Matrix left = Oracle.gaussian(6, 3, 10);
        Matrix right = Oracle.gaussian(3, 5, 11);
        Matrix p = Oracle.times(left, right);
        double obs = 0;
        double held = 0;
        int nObs = 0;
        int nHeld = 0;
        Set<Long> omega = new HashSet<>();
        int[] ptr = c.observed().rowPointers();
        for (int i = 0; i < 6; i++) {
            for (int e = ptr[i]; e < ptr[i + 1]; e++) {
                omega.add(i * 5L + c.observed().columnIndices()[e]);
            }
        }
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 5; j++) {
                double r = p.get(i, j) - y.get(i, j);
                if (omega.contains(i * 5L + j)) {
                    obs += r * r;
                    nObs++;
                } else {
                    held += r * r;
                    nHeld++;
                }
            }
        }
        for (CompletionProblem path : new CompletionProblem[] {c, c.withDenseGradient()}) {
            LossGradientOracle ev = path.newOracle(3, LA);
            assertEquals(obs / (2 * nObs), ev.lossAndGradient(left, right), 1e-13);
            assertEquals(held / (2 * nHeld), ev.lastRecoveryError(), 1e-13);
        }
    }

    @Test
    void surrogateIsTheRescaledObservedMatrix() {
        Matrix y = Oracle.gaussian(5, 4, 2);
        Matrix mask = Matrix.ofRows(new double[] {1, 0, 0, 1}, new double[] {0, 1, 0, 0},
                new double[] {0, 0, 1, 0}, new double[] {1, 1, 1, 0}, new double[] {0, 0, 0, 1});
        // |Ω| = 8 of 20 → p = 0.4, S = P_Ω(Y)/0.4
        Matrix s = CompletionProblem.withMask(y, mask, "").surrogate().toDense();
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(mask.get(i, j) * y.get(i, j) / 0.4, s.get(i, j), 1e-15);
            }
        }
    }
}
