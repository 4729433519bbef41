package org.cdln.linalg;

/**
 * A thin singular value decomposition A = U·diag(s)·Vᵀ of an m×n matrix, k = min(m, n).
 *
 * @param u  m×k, orthonormal columns (left singular vectors)
 * @param s  k singular values, non-increasing
 * @param vt k×n, orthonormal rows (right singular vectors, transposed)
 */
public record Svd(Matrix u, double[] s, Matrix vt) {

    /** Number of singular triplets kept, k. */
    public int rank() {
        return s.length;
    }

    /** The n×k matrix V. */
    public Matrix v() {
        return vt.transpose();
    }

    /**
     * The leading k' triplets: U[:, :k'], s[:k'], Vᵀ[:k', :].
     *
     * @throws IllegalArgumentException if k' exceeds the number of triplets
     */
    public Svd truncate(int k) {
        if (k < 0 || k > s.length) {
            throw new IllegalArgumentException("cannot keep " + k + " singular triplets of " + s.length);
        }
        double[] sk = java.util.Arrays.copyOf(s, k);
        return new Svd(u.columns(0, k), sk, vt.rowRange(0, k));
    }

    /** Numerical rank: the number of σ_i > tol·σ_1. */
    public int numericalRank(double relativeTolerance) {
        if (s.length == 0 || s[0] == 0.0) {
            return 0;
        }
        int r = 0;
        for (double v : s) {
            if (v > relativeTolerance * s[0]) {
                r++;
            }
        }
        return r;
    }
}
