package org.cdln.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cdln.Oracle;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The synthetic target of docs/method.md §2: rank r, with the singular values of the Gaussian G it was
 * drawn from at idx_i = ⌊i·d/(2r)⌋. G is re-drawn from the same seed (the generator's first
 * draw) and decomposed with EJML.
 */
class SyntheticTargetTest {
    private static final LinearAlgebra LA = LinearAlgebra.instance();

    @ParameterizedTest(name = "{0}×{1}, r = {2}")
    @CsvSource(delimiter = ';', value = {
        // d = 10, r = 3: i·10/6 = 0, 1.67, 3.33
        "10; 10; 3; 0 1 3",
        // d = 12, r = 4: i·12/8 = 0, 1.5, 3, 4.5
        "12; 12; 4; 0 1 3 4",
        // d = min(6, 9) = 6, r = 2: i·6/4 = 0, 1.5
        "6; 9; 2; 0 1",
        // r = 1: only the top value
        "5; 5; 1; 0"})
    void hasRankRAndTheGaussiansSingularValuesAtTheSpreadIndices(int d1, int d2, int r, String idxText) {
        long seed = 42;
        SyntheticTarget t = SyntheticTarget.generate(d1, d2, r, new Rng(seed), LA);
        Matrix g = new Rng(seed).gaussianMatrix(d1, d2, 1.0);
        double[] gs = Oracle.singularValues(g);
        String[] parts = idxText.trim().split(" ");
        assertEquals(r, parts.length);
        assertEquals(r, t.rank());
        for (int i = 0; i < r; i++) {
            int idx = Integer.parseInt(parts[i]);
            assertEquals(gs[idx], t.s()[i], 1e-12 * gs[0], "σ_" + i + " should be the Gaussian's σ at index " + idx);
        }
        double[] ys = Oracle.singularValues(t.y());
        for (int i = 0; i < ys.length; i++) {
            if (i < r) {
                assertEquals(t.s()[i], ys[i], 1e-12 * gs[0], "Y's σ_" + i);
            } else {
                assertTrue(ys[i] < 1e-12 * gs[0], "Y has rank > r: σ_" + i + " = " + ys[i]);
            }
        }
        // Y = U·diag(s)·Vᵀ with orthonormal U, V
        Matrix us = t.u().copy();
        for (int j = 0; j < r; j++) {
            for (int i = 0; i < d1; i++) {
                us.set(i, j, us.get(i, j) * t.s()[j]);
            }
        }
        assertTrue(Oracle.maxAbsDiff(Oracle.times(us, Oracle.transpose(t.v())), t.y()) < 1e-12 * gs[0]);
        assertTrue(Oracle.maxAbsDiff(Oracle.times(Oracle.transpose(t.u()), t.u()), Matrix.identity(r)) < 1e-13);
        assertTrue(Oracle.maxAbsDiff(Oracle.times(Oracle.transpose(t.v()), t.v()), Matrix.identity(r)) < 1e-13);
    }

    @org.junit.jupiter.api.Test
    void rejectsRanksOutsideOneToD() {
        assertThrows(IllegalArgumentException.class, () -> SyntheticTarget.generate(4, 6, 5, new Rng(1), LA));
        assertThrows(IllegalArgumentException.class, () -> SyntheticTarget.generate(4, 6, 0, new Rng(1), LA));
        assertThrows(IllegalArgumentException.class, () -> SyntheticTarget.generate(0, 6, 1, new Rng(1), LA));
    }
}
