package org.cdln.problem;

import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.cdln.linalg.Svd;

/**
 * The synthetic rank-r target of docs/method.md §2: G ~ N(0,1)^(d1×d2), G = U·S·Vᵀ, and
 * Y = U[:, idx]·diag(S[idx])·V[:, idx]ᵀ with idx_i = ⌊i·d/(2r)⌋, i = 0..r−1, d = min(d1, d2):
 * r singular values spread over the top half of a Gaussian spectrum, so that they differ in size
 * and are learned one at a time.
 *
 * @param y the target Y (d1×d2, rank r)
 * @param u Y's left singular vectors, d1×r
 * @param s Y's singular values, non-increasing
 * @param v Y's right singular vectors, d2×r
 */
public record SyntheticTarget(Matrix y, Matrix u, double[] s, Matrix v) {

    /** The rank r. */
    public int rank() {
        return s.length;
    }

    /**
     * Generates the target. Cost: one SVD of a d1×d2 Gaussian matrix.
     *
     * @throws IllegalArgumentException unless d1, d2 ≥ 1 and 1 ≤ r ≤ min(d1, d2)
     */
    public static SyntheticTarget generate(int d1, int d2, int r, Rng rng, LinearAlgebra la) {
        if (d1 < 1 || d2 < 1) {
            throw new IllegalArgumentException("target dimensions must be ≥ 1, got " + d1 + "×" + d2);
        }
        int d = Math.min(d1, d2);
        if (r < 1 || r > d) {
            throw new IllegalArgumentException("rank r must be in [1, " + d + "] for a " + d1 + "×" + d2
                    + " target, got " + r);
        }
        Svd g = la.svd(rng.gaussianMatrix(d1, d2, 1.0));
        int[] idx = new int[r];
        for (int i = 0; i < r; i++) {
            idx[i] = (int) Math.floor(i * (double) d / (2.0 * r));
        }
        Matrix u = g.u().selectColumns(idx);
        Matrix v = g.vt().transpose().selectColumns(idx);
        double[] s = new double[r];
        for (int i = 0; i < r; i++) {
            s[i] = g.s()[idx[i]];
        }
        Matrix us = u.copy();
        for (int j = 0; j < r; j++) {
            for (int i = 0; i < d1; i++) {
                us.set(i, j, us.get(i, j) * s[j]);
            }
        }
        Matrix y = la.multiply(false, us, true, v);
        return new SyntheticTarget(y, u, s, v);
    }
}
