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

    /** Numerical rank of this decomposition: {@link #numericalRank(double[], double)} of its σ. */
    public int numericalRank(double relativeTolerance) {
        return numericalRank(s, relativeTolerance);
    }

    /**
     * The one numerical rank of cdln: the number of σ_i &gt; τ·σ_1 (0 when σ_1 = 0 or there are
     * none), for singular values in non-increasing order and a relative threshold τ ∈ [0, 1).
     * O(k).
     *
     * @throws IllegalArgumentException unless 0 ≤ τ &lt; 1
     */
    public static int numericalRank(double[] singularValues, double relativeTolerance) {
        if (!(relativeTolerance >= 0.0 && relativeTolerance < 1.0)) {
            throw new IllegalArgumentException("relative rank tolerance must be in [0, 1), got " + relativeTolerance);
        }
        if (singularValues.length == 0 || !(singularValues[0] > 0.0)) {
            return 0;
        }
        double cut = relativeTolerance * singularValues[0];
        int r = 0;
        for (double v : singularValues) {
            if (v > cut) {
                r++;
            }
        }
        return r;
    }
}
