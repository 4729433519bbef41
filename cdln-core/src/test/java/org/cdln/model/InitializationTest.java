package org.cdln.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cdln.Oracle;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Layer initialisations (docs/method.md §1) and the network's shape bookkeeping. */
class InitializationTest {
    private static final LinearAlgebra LA = LinearAlgebra.instance();

    @ParameterizedTest(name = "{0}×{1}")
    @CsvSource({"6, 6", "7, 3", "3, 7", "1, 5"})
    void orthLayerIsEpsTimesATruncatedOrthogonalMatrix(int rows, int cols) {
        double eps = 0.01;
        Matrix w = Initialization.ORTH.sample(rows, cols, eps, new Rng(1), LA);
        assertEquals(rows, w.rows());
        assertEquals(cols, w.cols());
        // the shorter side is orthonormal up to ε: WᵀW = ε²I (tall) or WWᵀ = ε²I (wide)
        Matrix gram = rows >= cols ? Oracle.times(Oracle.transpose(w), w) : Oracle.times(w, Oracle.transpose(w));
        Matrix expected = Matrix.identity(Math.min(rows, cols));
        expected.scaleInPlace(eps * eps);
        assertTrue(Oracle.maxAbsDiff(gram, expected) < 1e-15 * eps * eps * 10);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"NORM", "UNIF", "ORTH"})
    void everyInitialisationHasFrobeniusNormAboutEpsSqrtMin(Initialization init) {
        // E‖W‖² = ε²·min(rows, cols) for all three; 60×40 entries give a few percent spread
        double eps = 0.5;
        Matrix w = init.sample(60, 40, eps, new Rng(2), LA);
        double sq = Math.pow(frobenius(w), 2);
        assertEquals(eps * eps * 40, sq, 0.1 * eps * eps * 40, init + " ‖W‖² = " + sq);
    }

    private static double frobenius(Matrix w) {
        double s = 0;
        for (double v : w.data()) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    @Test
    void networkChainsShapesAndCountsParameters() {
        DeepLinearNetwork net = DeepLinearNetwork.initialize(new int[] {5, 4, 7, 3}, Initialization.NORM, 0.5,
                new Rng(3), LA);
        assertArrayEquals(new int[] {5, 4, 7, 3}, net.widths());
        assertEquals(3, net.depth());
        assertEquals(5, net.inputDim());
        assertEquals(3, net.outputDim());
        assertEquals(4 * 5 + 7 * 4 + 3 * 7, net.parameterCount());
        Matrix expected = Oracle.times(net.layer(3), Oracle.times(net.layer(2), net.layer(1)));
        assertTrue(Oracle.maxAbsDiff(net.product(LA), expected) < 1e-14);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeepLinearNetwork.of(List.of(new Matrix(4, 5), new Matrix(3, 6)), "bad"));
        assertTrue(e.getMessage().contains("W2") && e.getMessage().contains("4 columns"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DeepLinearNetwork.of(List.of(new Matrix(4, 5)), "one"));
        assertThrows(IllegalArgumentException.class, () -> DeepLinearNetwork.wide(3, 3, 3, 3, Initialization.ORTH,
                0.0, new Rng(1), LA));
        assertEquals(Initialization.UNIF, Initialization.parse(" Unif "));
    }
}
