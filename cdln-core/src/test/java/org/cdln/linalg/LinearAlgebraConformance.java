package org.cdln.linalg;

import static org.cdln.Oracle.maxAbs;
import static org.cdln.Oracle.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.cdln.Oracle;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance suite every {@link LinearAlgebra} backend must pass (in the manner of EJML's
 * {@code StandardSvdChecks_DDRM}). Expected values come from EJML or from hand-written loops, never
 * from the backend under test.
 *
 * <p>Tolerances are relative to the scale of the data: {@code TOL·n·scale} with
 * {@code TOL = 64·u ≈ 1.4e-14} (u = 2⁻⁵³ the unit roundoff) and n the largest dimension involved,
 * the usual backward-error bound of Householder-based LAPACK routines with a generous constant.
 * Orthonormality (UᵀU = I etc.) is checked to {@code TOL·n} absolutely. Structural zeros (R below
 * the diagonal) are checked exactly.
 */
abstract class LinearAlgebraConformance {
    /** 64 units of roundoff. */
    static final double TOL = 64 * Math.ulp(1.0) / 2;
    /** Scale factor of the tiny-scale case: 2⁻⁶⁶⁴ ≈ 1.2e-200, exact in binary. */
    static final int TINY_EXPONENT = -664;

    /** The backend under test. */
    abstract LinearAlgebra backend();

    /** A named test matrix; {@code exponent} is the power of two it was scaled by (0 if none). */
    record Case(String name, Matrix a, Matrix unscaled, int exponent) {
        @Override
        public String toString() {
            return name + " " + a.shape();
        }
    }

    static Stream<Case> matrices() {
        Matrix rankTwo = Oracle.times(Oracle.gaussian(6, 2, 11), Oracle.gaussian(2, 5, 12));
        Matrix base = Oracle.gaussian(5, 4, 13);
        return Stream.of(
                plain("empty", new Matrix(0, 0)),
                plain("no rows", new Matrix(0, 3)),
                plain("no columns", new Matrix(3, 0)),
                plain("single entry", Matrix.ofRows(new double[] {-2.5})),
                plain("row", Oracle.gaussian(1, 6, 1)),
                plain("column", Oracle.gaussian(6, 1, 2)),
                plain("tall", Oracle.gaussian(8, 3, 3)),
                plain("wide", Oracle.gaussian(3, 8, 4)),
                plain("square", Oracle.gaussian(6, 6, 5)),
                plain("rank-deficient (rank 2)", rankTwo),
                plain("zero", new Matrix(4, 3)),
                new Case("tiny scale (2^-664 ≈ 1e-200)", scalb(base, TINY_EXPONENT), base, TINY_EXPONENT));
    }

    private static Case plain(String name, Matrix a) {
        return new Case(name, a, a, 0);
    }

    static Matrix scalb(Matrix a, int exponent) {
        Matrix s = a.copy();
        double[] d = s.data();
        for (int k = 0; k < d.length; k++) {
            d[k] = Math.scalb(d[k], exponent);
        }
        return s;
    }

    private static void assertOrthonormalColumns(Matrix q, String what) {
        int k = q.cols();
        double tol = TOL * Math.max(1, q.rows());
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                double dot = 0.0;
                for (int i = 0; i < q.rows(); i++) {
                    dot += q.get(i, a) * q.get(i, b);
                }
                assertEquals(a == b ? 1.0 : 0.0, dot, tol, what + " not orthonormal at (" + a + ", " + b + ")");
            }
        }
    }

    // ------------------------------------------------------------------ SVD

    @ParameterizedTest(name = "{0}")
    @MethodSource("matrices")
    void svdHasThinShapesAndNonIncreasingNonNegativeValues(Case c) {
        Svd svd = backend().svd(c.a());
        int m = c.a().rows();
        int n = c.a().cols();
        int k = Math.min(m, n);
        assertEquals(m, svd.u().rows());
        assertEquals(k, svd.u().cols());
        assertEquals(k, svd.s().length);
        assertEquals(k, svd.vt().rows());
        assertEquals(n, svd.vt().cols());
        for (int i = 0; i < k; i++) {
            assertTrue(svd.s()[i] >= 0.0, "σ_" + i + " = " + svd.s()[i] + " is negative");
            if (i > 0) {
                assertTrue(svd.s()[i] <= svd.s()[i - 1], "σ increases at " + i);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matrices")
    void svdReconstructsTheMatrix(Case c) {
        Matrix a = c.a();
        Svd svd = backend().svd(a);
        Matrix usvt = new Matrix(a.rows(), a.cols());
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                double v = 0.0;
                for (int l = 0; l < svd.rank(); l++) {
                    v += svd.u().get(i, l) * svd.s()[l] * svd.vt().get(l, j);
                }
                usvt.set(i, j, v);
            }
        }
        double scale = maxAbs(a);
        double tol = TOL * Math.max(1, Math.max(a.rows(), a.cols())) * scale;
        assertTrue(maxAbsDiff(usvt, a) <= tol, "‖A − UΣVᵀ‖_max = " + maxAbsDiff(usvt, a) + " > " + tol);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matrices")
    void svdFactorsAreOrthonormal(Case c) {
        Svd svd = backend().svd(c.a());
        assertOrthonormalColumns(svd.u(), "U");
        // VᵀV = I_k for V n×k, i.e. the rows of Vᵀ are orthonormal
        assertOrthonormalColumns(Oracle.transpose(svd.vt()), "V");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matrices")
    void singularValuesAgreeWithEjml(Case c) {
        // the tiny case is compared at unit scale: EJML's expected values are computed on the
        // unscaled matrix and scaled back exactly by 2^exponent
        double[] expected = Oracle.singularValues(c.unscaled());
        for (int i = 0; i < expected.length; i++) {
            expected[i] = Math.scalb(expected[i], c.exponent());
        }
        double scale = expected.length == 0 ? 0.0 : expected[0];
        double tol = TOL * Math.max(1, Math.max(c.a().rows(), c.a().cols())) * scale;
        assertArrayEquals(expected, backend().svd(c.a()).s(), tol, "svd().s()");
        assertArrayEquals(expected, backend().singularValues(c.a()), tol, "singularValues()");
    }

    @Test
    void svdDoesNotModifyItsArgument() {
        Matrix a = Oracle.gaussian(5, 3, 21);
        Matrix before = a.copy();
        backend().svd(a);
        backend().singularValues(a);
        backend().qr(a);
        assertArrayEquals(before.data(), a.data(), 0.0);
    }

    // ------------------------------------------------------------------ QR

    @ParameterizedTest(name = "{0}")
    @MethodSource("matrices")
    void qrIsOrthonormalTimesUpperTriangular(Case c) {
        Matrix a = c.a();
        int m = a.rows();
        int n = a.cols();
        int k = Math.min(m, n);
        Qr qr = backend().qr(a);
        assertEquals(m, qr.q().rows());
        assertEquals(k, qr.q().cols());
        assertEquals(k, qr.r().rows());
        assertEquals(n, qr.r().cols());
        assertOrthonormalColumns(qr.q(), "Q");
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < Math.min(i, n); j++) {
                assertEquals(0.0, qr.r().get(i, j), 0.0, "R(" + i + ", " + j + ") below the diagonal");
            }
        }
        Matrix product = new Matrix(m, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double v = 0.0;
                for (int l = 0; l < k; l++) {
                    v += qr.q().get(i, l) * qr.r().get(l, j);
                }
                product.set(i, j, v);
            }
        }
        double tol = TOL * Math.max(1, Math.max(m, n)) * maxAbs(a);
        assertTrue(maxAbsDiff(product, a) <= tol, "‖QR − A‖_max = " + maxAbsDiff(product, a) + " > " + tol);
    }

    // ------------------------------------------------------------------ GEMM

    /**
     * op(A) m×k, op(B) k×n for every transpose combination, including empty dimensions, and the
     * two sides of the bound below which Aᵀ·B goes through a copy of Aᵀ (m·k = 2000 and 2100).
     */
    static Stream<int[]> gemmShapes() {
        return Stream.of(new int[] {4, 3, 5}, new int[] {1, 6, 2}, new int[] {6, 1, 3}, new int[] {3, 4, 1},
                new int[] {0, 3, 2}, new int[] {3, 0, 2}, new int[] {3, 2, 0}, new int[] {7, 7, 7},
                new int[] {20, 300, 100}, new int[] {21, 40, 100});
    }

    @ParameterizedTest(name = "m,n,k = {0}")
    @MethodSource("gemmShapes")
    void gemmMatchesEjmlForAllTransposesAlphaAndBeta(int[] mnk) {
        int m = mnk[0];
        int n = mnk[1];
        int k = mnk[2];
        long seed = 100 + m * 49L + n * 7L + k;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                Matrix opA = Oracle.gaussian(m, k, seed);
                Matrix opB = Oracle.gaussian(k, n, seed + 1);
                Matrix a = ta ? Oracle.transpose(opA) : opA;
                Matrix b = tb ? Oracle.transpose(opB) : opB;
                Matrix c0 = Oracle.gaussian(m, n, seed + 2);
                double alpha = 1.5;
                double beta = -0.75;
                // expected: alpha·op(A)·op(B) + beta·C by EJML
                DMatrixRMaj expected = Oracle.ejml(c0);
                CommonOps_DDRM.scale(beta, expected);
                if (k > 0) {
                    CommonOps_DDRM.multAdd(alpha, Oracle.ejml(opA), Oracle.ejml(opB), expected);
                }
                Matrix c = c0.copy();
                backend().gemm(ta, tb, alpha, a, b, beta, c);
                String what = "gemm(" + (ta ? "T" : "N") + (tb ? "T" : "N") + ") " + m + "×" + n + "×" + k;
                assertTrue(maxAbsDiff(c, Oracle.cdln(expected)) <= TOL * Math.max(1, k) * 4,
                        what + " differs from EJML by " + maxAbsDiff(c, Oracle.cdln(expected)));
            }
        }
    }

    @Test
    void gemmWithBetaZeroOverwritesNaN() {
        // BLAS contract: with beta = 0, C is not read, so NaN in C must not propagate
        Matrix a = Oracle.gaussian(3, 4, 31);
        Matrix b = Oracle.gaussian(4, 2, 32);
        for (int k : new int[] {4, 0}) {
            Matrix ak = a.columns(0, k);
            Matrix bk = b.rowRange(0, k);
            Matrix c = new Matrix(3, 2);
            c.fill(Double.NaN);
            backend().gemm(false, false, 1.0, ak, bk, 0.0, c);
            assertTrue(c.isFinite(), "NaN survived beta = 0 with k = " + k);
            assertTrue(maxAbsDiff(c, Oracle.times(ak, bk)) <= TOL * 4);
        }
    }

    @Test
    void gemmRejectsMismatchedShapesNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> backend().gemm(false, false,
                1.0, new Matrix(2, 3), new Matrix(4, 5), 0.0, new Matrix(2, 5)));
        assertTrue(e.getMessage().contains("2×3") && e.getMessage().contains("4×5"), e.getMessage());
    }

    // ------------------------------------------------------------------ GEMV

    @Test
    void gemvMatchesEjmlBothWaysWithOffsets() {
        Matrix a = Oracle.gaussian(5, 3, 41);
        double alpha = -1.25;
        double beta = 0.5;
        for (boolean trans : new boolean[] {false, true}) {
            int lenX = trans ? 5 : 3;
            int lenY = trans ? 3 : 5;
            int xOff = 2;
            int yOff = 3;
            double[] x = new double[xOff + lenX + 2];
            double[] y = new double[yOff + lenY + 2];
            java.util.Arrays.fill(x, 99.0);
            java.util.Arrays.fill(y, -77.0);
            DMatrixRMaj xv = new DMatrixRMaj(lenX, 1);
            DMatrixRMaj yv = new DMatrixRMaj(lenY, 1);
            for (int i = 0; i < lenX; i++) {
                x[xOff + i] = 0.3 * i - 0.4;
                xv.set(i, 0, x[xOff + i]);
            }
            for (int i = 0; i < lenY; i++) {
                y[yOff + i] = 1.0 + 0.1 * i;
                yv.set(i, 0, y[yOff + i]);
            }
            double[] yBefore = y.clone();
            DMatrixRMaj expected = yv.copy();
            CommonOps_DDRM.scale(beta, expected);
            if (trans) {
                CommonOps_DDRM.multAddTransA(alpha, Oracle.ejml(a), xv, expected);
            } else {
                CommonOps_DDRM.multAdd(alpha, Oracle.ejml(a), xv, expected);
            }
            backend().gemv(trans, alpha, a, x, xOff, beta, y, yOff);
            for (int i = 0; i < y.length; i++) {
                if (i >= yOff && i < yOff + lenY) {
                    assertEquals(expected.get(i - yOff, 0), y[i], TOL * 8, "gemv trans=" + trans + " y[" + i + "]");
                } else {
                    assertEquals(yBefore[i], y[i], 0.0, "gemv trans=" + trans + " wrote outside y's slice at " + i);
                }
            }
            for (int i = 0; i < x.length; i++) {
                if (i < xOff || i >= xOff + lenX) {
                    assertEquals(99.0, x[i], 0.0, "x modified");
                }
            }
        }
    }

    @Test
    void gemvOnEmptyMatricesScalesYByBeta() {
        double[] y = {1.0, 2.0, 3.0};
        backend().gemv(false, 1.0, new Matrix(3, 0), new double[0], 2.0, y);
        assertArrayEquals(new double[] {2.0, 4.0, 6.0}, y, 0.0);
        double[] z = {Double.NaN, Double.NaN};
        backend().gemv(true, 1.0, new Matrix(0, 2), new double[0], 0.0, z);
        assertArrayEquals(new double[] {0.0, 0.0}, z, 0.0);
    }

    @Test
    void gemvRejectsShortVectors() {
        assertThrows(IllegalArgumentException.class,
                () -> backend().gemv(false, 1.0, new Matrix(3, 4), new double[4], 1, 0.0, new double[3], 0));
    }

    // ------------------------------------------------------------------ SPD solve

    static Stream<Integer> spdSizes() {
        return Stream.of(0, 1, 2, 6);
    }

    @ParameterizedTest(name = "n = {0}")
    @MethodSource("spdSizes")
    void solveSpdMatchesEjml(int n) {
        Matrix b = Oracle.gaussian(n + 2, n, 50 + n);
        Matrix spd = Oracle.times(Oracle.transpose(b), b);
        for (int i = 0; i < n; i++) {
            spd.set(i, i, spd.get(i, i) + 1.0);
        }
        Matrix rhs = Oracle.gaussian(n, 3, 60 + n);
        Matrix spdBefore = spd.copy();
        Matrix rhsBefore = rhs.copy();
        Matrix x = backend().solveSpd(spd, rhs);
        assertEquals(n, x.rows());
        assertEquals(3, x.cols());
        assertArrayEquals(spdBefore.data(), spd.data(), 0.0, "A modified");
        assertArrayEquals(rhsBefore.data(), rhs.data(), 0.0, "B modified");
        if (n == 0) {
            return;
        }
        DMatrixRMaj expected = new DMatrixRMaj(n, 3);
        assertTrue(CommonOps_DDRM.solveSPD(Oracle.ejml(spd), Oracle.ejml(rhs), expected));
        // the condition number of BᵀB + I is modest (< 1e3 here), so the forward error is small
        double scale = Math.max(1.0, maxAbs(Oracle.cdln(expected)));
        assertTrue(maxAbsDiff(x, Oracle.cdln(expected)) <= 1e-12 * scale,
                "solveSpd differs from EJML by " + maxAbsDiff(x, Oracle.cdln(expected)));
        // tiny-scale system: (2^-664·A)·X = B has the solution 2^664·X, exactly scaled
        Matrix xTiny = backend().solveSpd(scalb(spd, TINY_EXPONENT), rhs);
        assertTrue(maxAbsDiff(scalb(xTiny, TINY_EXPONENT), Oracle.cdln(expected)) <= 1e-12 * scale,
                "tiny-scale solveSpd is off");
    }

    @Test
    void solveSpdRejectsIndefiniteAndMismatchedMatrices() {
        Matrix indefinite = Matrix.ofRows(new double[] {1.0, 0.0}, new double[] {0.0, -1.0});
        assertThrows(ArithmeticException.class, () -> backend().solveSpd(indefinite, new Matrix(2, 1)));
        assertThrows(IllegalArgumentException.class, () -> backend().solveSpd(new Matrix(2, 3), new Matrix(2, 1)));
        assertThrows(IllegalArgumentException.class, () -> backend().solveSpd(Matrix.identity(2), new Matrix(3, 1)));
    }
}
