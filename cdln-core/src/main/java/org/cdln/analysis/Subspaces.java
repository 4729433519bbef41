package org.cdln.analysis;

import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Svd;

/**
 * Measures of subspaces and spectra used to watch the learning dynamics (docs/method.md §4): principal
 * angles between subspaces, alignment of singular vectors, numerical rank. Stateless; no argument
 * is modified.
 */
public final class Subspaces {
    private Subspaces() {
    }

    /**
     * The principal angles θ_1 ≤ … ≤ θ_k (radians, k = min(k1, k2)) between span(A) and span(B),
     * for A (n×k1) and B (n×k2) with orthonormal columns: cos θ_i = σ_i(Aᵀ·B), the singular values of
     * Aᵀ·B clamped to [0, 1] (Björck and Golub 1973). Resolution: an angle below about 1e-8 reads
     * as 0, since arccos is flat near 1. Cost O(n·k1·k2 + k1·k2·k).
     *
     * @throws IllegalArgumentException when A and B have a different number of rows
     */
    public static double[] principalAngles(Matrix a, Matrix b, LinearAlgebra la) {
        if (a.rows() != b.rows()) {
            throw new IllegalArgumentException("principal angles need bases of the same space, got A "
                    + a.shape() + " and B " + b.shape());
        }
        int k = Math.min(a.cols(), b.cols());
        if (k == 0) {
            return new double[0];
        }
        double[] cos = la.singularValues(la.multiply(true, a, false, b));
        double[] theta = new double[k];
        for (int i = 0; i < k; i++) {
            theta[i] = Math.acos(Math.min(1.0, Math.max(0.0, cos[i])));
        }
        return theta;
    }

    /**
     * The largest principal angle between span(A) and span(B) (radians), NaN when either basis is
     * empty. When the cosine formula gives less than 0.1 rad and the dimensions agree, the angle is
     * recomputed from its sine, sin θ_max = σ_1(B − A·(Aᵀ·B)), which resolves angles down to about
     * 1e-15 instead of 1e-8. Cost O(n·k1·k2 + k³).
     */
    public static double largestPrincipalAngle(Matrix a, Matrix b, LinearAlgebra la) {
        double[] t = principalAngles(a, b, la);
        if (t.length == 0) {
            return Double.NaN;
        }
        double theta = t[t.length - 1];
        if (theta < 0.1 && a.cols() == b.cols()) {
            Matrix residual = b.copy();
            la.gemm(false, false, -1.0, a, la.multiply(true, a, false, b), 1.0, residual);
            double[] s = la.singularValues(residual);
            theta = Math.asin(Math.min(1.0, s.length == 0 ? 0.0 : s[0]));
        }
        return theta;
    }

    /**
     * |⟨a_i, b_i⟩| for the first k columns of A and B (n×·, unit columns): how well the i-th
     * singular vector of one matrix matches the i-th of another (docs/method.md §4). Cost O(n·k).
     */
    public static double[] alignment(Matrix a, Matrix b, int k) {
        if (a.rows() != b.rows() || k > a.cols() || k > b.cols() || k < 0) {
            throw new IllegalArgumentException("alignment of " + k + " columns needs A and B with the same rows and at"
                    + " least k columns, got A " + a.shape() + " and B " + b.shape());
        }
        double[] out = new double[k];
        int n = a.rows();
        double[] ad = a.data();
        double[] bd = b.data();
        for (int i = 0; i < k; i++) {
            double s = 0.0;
            for (int j = 0; j < n; j++) {
                s += ad[j + i * n] * bd[j + i * n];
            }
            out[i] = Math.abs(s);
        }
        return out;
    }

    /**
     * Numerical rank of M with relative threshold τ ∈ [0, 1): #{σ_i(M) &gt; τ·σ_1(M)}
     * ({@link Svd#numericalRank(double[], double)}). Cost: one SVD, O(m·n·min(m, n)).
     */
    public static int numericalRank(Matrix m, double relativeTolerance, LinearAlgebra la) {
        return Svd.numericalRank(la.singularValues(m), relativeTolerance);
    }
}
