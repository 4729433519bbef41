package org.cdln.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** GEMM and GEMV split into blocks over Java threads give the unsplit results, for every transpose. */
class SplitBlasTest {
    private static final LinearAlgebra LA = LinearAlgebra.instance();
    private static final LinearAlgebra SPLIT = LA.withSplitting(3, 1.0);

    @ParameterizedTest(name = "{0}×{1}×{2} transA={3} transB={4}")
    @CsvSource({
        "17, 23, 9, false, false", "17, 23, 9, true, false", "17, 23, 9, false, true", "17, 23, 9, true, true",
        "31, 4, 12, false, false", "31, 4, 12, true, true",    // too few columns: split by rows
        "3, 2, 5, false, false",                               // too small for either: one call
    })
    void splitGemmEqualsUnsplit(int m, int n, int k, boolean transA, boolean transB) {
        Rng rng = new Rng(m * 31L + n);
        Matrix a = transA ? rng.gaussianMatrix(k, m, 1.0) : rng.gaussianMatrix(m, k, 1.0);
        Matrix b = transB ? rng.gaussianMatrix(n, k, 1.0) : rng.gaussianMatrix(k, n, 1.0);
        Matrix c0 = rng.gaussianMatrix(m, n, 1.0);
        Matrix c1 = c0.copy();
        LA.gemm(transA, transB, 0.7, a, b, 0.3, c0);
        SPLIT.gemm(transA, transB, 0.7, a, b, 0.3, c1);
        assertTrue(c1.distance(c0) <= 1e-13 * c0.frobeniusNorm(), "differs by " + c1.distance(c0));
    }

    @ParameterizedTest(name = "{0}×{1} transA={2}")
    @CsvSource({"40, 13, false", "40, 13, true", "7, 50, true", "7, 50, false"})
    void splitGemvEqualsUnsplit(int m, int n, boolean transA) {
        Rng rng = new Rng(m + 7L * n);
        Matrix a = rng.gaussianMatrix(m, n, 1.0);
        int lenX = transA ? m : n;
        int lenY = transA ? n : m;
        double[] x = new double[lenX + 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.gaussian();
        }
        double[] y0 = new double[lenY + 3];
        for (int i = 0; i < y0.length; i++) {
            y0[i] = rng.gaussian();
        }
        double[] y1 = y0.clone();
        LA.gemv(transA, 1.5, a, x, 2, -0.5, y0, 3);
        SPLIT.gemv(transA, 1.5, a, x, 2, -0.5, y1, 3);
        for (int i = 0; i < y0.length; i++) {
            assertEquals(y0[i], y1[i], 1e-13 * (1 + Math.abs(y0[i])), "entry " + i);
        }
    }

    @ParameterizedTest(name = "{0}×{1}×{2}")
    @CsvSource({"40, 36, 30", "41, 3, 50"})
    void gemmPairEqualsTwoUnsplitProductsWhicheverWayItRuns(int m, int n, int k) {
        Rng rng = new Rng(m + 13L * k);
        // shaped like a layer's two gradient products: C1 = ½·A·Bᵀ and C2 = −2·Wᵀ·A
        Matrix a = rng.gaussianMatrix(m, k, 1.0);
        Matrix b = rng.gaussianMatrix(n, k, 1.0);
        Matrix w = rng.gaussianMatrix(m, n, 1.0);
        Matrix c1Ref = new Matrix(m, n);
        Matrix c2Ref = new Matrix(n, k);
        LA.withSplitting(1, 1.0).gemm(false, true, 0.5, a, b, 0.0, c1Ref);
        LA.withSplitting(1, 1.0).gemm(true, false, -2.0, w, a, 0.0, c2Ref);
        LinearAlgebra split = LA.withSplitting(2, 1.0);
        // the first call measures both ways (concurrently, and one after the other each split),
        // the later ones run the faster: every call must give the unsplit products
        for (int call = 0; call < 3; call++) {
            Matrix c1 = rng.gaussianMatrix(m, n, 1.0);
            Matrix c2 = rng.gaussianMatrix(n, k, 1.0);
            split.gemmPair(false, true, 0.5, a, b, c1, true, false, -2.0, w, a, c2);
            assertTrue(c1.distance(c1Ref) <= 1e-13 * c1Ref.frobeniusNorm(), "C1 differs by " + c1.distance(c1Ref));
            assertTrue(c2.distance(c2Ref) <= 1e-13 * c2Ref.frobeniusNorm(), "C2 differs by " + c2.distance(c2Ref));
        }
        assertEquals(1, split.pairChoices().size(), split.pairChoices().toString());
        assertTrue(split.pairChoices().get(0).startsWith(m + "×" + n + "×" + k + " and " + n + "×" + k + "×" + m + ": "),
                split.pairChoices().get(0));
        // one thread: no measurement, two plain products
        LinearAlgebra one = LA.withSplitting(1, 1.0);
        Matrix c1 = new Matrix(m, n);
        Matrix c2 = new Matrix(n, k);
        one.gemmPair(false, true, 0.5, a, b, c1, true, false, -2.0, w, a, c2);
        assertEquals(0.0, c1.distance(c1Ref));
        assertEquals(0.0, c2.distance(c2Ref));
        assertTrue(one.pairChoices().isEmpty());
    }

    @Test
    void threadingDescriptionSaysWhoSplitsTheWork() {
        assertEquals("3 threads (Java BLAS, cdln splits large products over 3)",
                LinearAlgebra.java().withSplitting(3, 1.0).threadingDescription());
        assertEquals("1 thread (Java BLAS)", LinearAlgebra.java().withSplitting(1, 1.0).threadingDescription());
        LinearAlgebra.nativeBackend().ifPresent(n -> assertEquals(
                "2 threads (OpenBLAS runs 1, cdln splits large products over 2)",
                n.withSplitting(2, 1.0).threadingDescription()));
    }
}
