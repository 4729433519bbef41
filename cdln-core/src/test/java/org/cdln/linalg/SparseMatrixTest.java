package org.cdln.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** CSR construction and products with dense blocks, against dense arithmetic. */
class SparseMatrixTest {
    private static final LinearAlgebra LA = LinearAlgebra.instance();

    @Test
    void unsortedCoordinatesBuildTheSameMatrixAsTheDenseDefinition() {
        Rng rng = new Rng(1);
        int m = 31;
        int n = 19;
        long[] picked = rng.sampleWithoutReplacement((long) m * n, 150);
        int[] order = new int[picked.length];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        rng.shuffle(order);
        int[] i = new int[picked.length];
        int[] j = new int[picked.length];
        double[] v = new double[picked.length];
        Matrix dense = new Matrix(m, n);
        for (int k = 0; k < picked.length; k++) {
            long idx = picked[order[k]];
            i[k] = (int) (idx % m);
            j[k] = (int) (idx / m);
            v[k] = rng.gaussian();
            dense.set(i[k], j[k], v[k]);
        }
        SparseMatrix s = SparseMatrix.fromCoordinates(m, n, i, j, v);
        assertEquals(0.0, s.toDense().distance(dense));
        for (int r = 0; r < m; r++) {
            for (int e = s.rowPointers()[r] + 1; e < s.rowPointers()[r + 1]; e++) {
                assertTrue(s.columnIndices()[e] > s.columnIndices()[e - 1]);
            }
        }
        // and the same arrays are accepted as CSR
        SparseMatrix again = SparseMatrix.fromCsr(m, n, s.rowPointers().clone(), s.columnIndices().clone(),
                s.values().clone());
        assertEquals(0.0, again.toDense().distance(dense));

        Matrix b = rng.gaussianMatrix(n, 5, 1.0);
        Matrix out = new Matrix(m, 5);
        s.apply(b, out);
        assertTrue(out.distance(LA.multiply(dense, b)) < 1e-12 * out.frobeniusNorm());
        Matrix c = rng.gaussianMatrix(m, 4, 1.0);
        Matrix outT = new Matrix(n, 4);
        s.applyTranspose(c, outT);
        assertTrue(outT.distance(LA.multiply(true, dense, false, c)) < 1e-12 * outT.frobeniusNorm());
    }

    @Test
    void duplicatesAndBadCsrAreRejectedWithTheirPosition() {
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                () -> SparseMatrix.fromCoordinates(3, 3, new int[] {1, 0, 1}, new int[] {2, 0, 2},
                        new double[] {1, 2, 3}));
        assertTrue(dup.getMessage().contains("(1, 2)"), dup.getMessage());
        IllegalArgumentException csr = assertThrows(IllegalArgumentException.class,
                () -> SparseMatrix.fromCsr(2, 3, new int[] {0, 2, 3}, new int[] {2, 1, 0}, new double[] {1, 2, 3}));
        assertTrue(csr.getMessage().contains("row 0"), csr.getMessage());
    }
}
