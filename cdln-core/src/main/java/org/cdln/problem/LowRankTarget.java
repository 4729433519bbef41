package org.cdln.problem;

import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.cdln.linalg.SparseMatrix;

/**
 * A rank-r target Y = U·diag(s)·Vᵀ kept as its factors, for problems too large to form Y
 * (e.g. 10⁵×10⁵): entries are computed only where they are sampled, Y_ij = Σ_c U_ic·s_c·V_jc,
 * at O(r) each. Memory O((d1 + d2)·r).
 *
 * <p>{@link #random} draws U and V with orthonormal columns (thin QR of Gaussian matrices) and
 * singular values s_c = (√d1 + √d2)·(1 − c/(2r)), c = 0..r−1: distinct, spread over a factor of
 * 2 below the largest singular value of a d1×d2 Gaussian matrix — the scale and spread of the
 * top half of the spectrum that {@link SyntheticTarget} picks from, so that the reference step
 * sizes are stable on it.
 *
 * @param u d1×r, orthonormal columns
 * @param s r singular values, non-increasing
 * @param v d2×r, orthonormal columns
 */
public record LowRankTarget(Matrix u, double[] s, Matrix v) {

    public LowRankTarget {
        if (u.cols() != s.length || v.cols() != s.length) {
            throw new IllegalArgumentException("factors U " + u.shape() + " and V " + v.shape() + " need "
                    + s.length + " columns, one per singular value");
        }
    }

    /** d1. */
    public int rows() {
        return u.rows();
    }

    /** d2. */
    public int cols() {
        return v.rows();
    }

    /** r. */
    public int rank() {
        return s.length;
    }

    /**
     * A random rank-r target with orthonormal factors (see the class comment). Cost
     * O((d1 + d2)·r²).
     *
     * @throws IllegalArgumentException unless d1, d2 ≥ 1 and 1 ≤ r ≤ min(d1, d2)
     */
    public static LowRankTarget random(int d1, int d2, int r, Rng rng, LinearAlgebra la) {
        if (d1 < 1 || d2 < 1) {
            throw new IllegalArgumentException("target dimensions must be ≥ 1, got " + d1 + "×" + d2);
        }
        if (r < 1 || r > Math.min(d1, d2)) {
            throw new IllegalArgumentException("rank r must be in [1, " + Math.min(d1, d2) + "] for a " + d1 + "×"
                    + d2 + " target, got " + r);
        }
        Matrix u = la.qr(rng.gaussianMatrix(d1, r, 1.0)).q();
        Matrix v = la.qr(rng.gaussianMatrix(d2, r, 1.0)).q();
        double[] s = new double[r];
        double scale = Math.sqrt(d1) + Math.sqrt(d2);
        for (int c = 0; c < r; c++) {
            s[c] = scale * (1.0 - c / (2.0 * r));
        }
        return new LowRankTarget(u, s, v);
    }

    /** Y as a dense d1×d2 matrix (one GEMM, O(d1·d2·r)); only for sizes a Java array holds. */
    public Matrix toDense(LinearAlgebra la) {
        Matrix us = u.copy();
        double[] d = us.data();
        int m = u.rows();
        for (int c = 0; c < s.length; c++) {
            for (int i = 0; i < m; i++) {
                d[i + c * m] *= s[c];
            }
        }
        return la.multiply(false, us, true, v);
    }

    /**
     * A completion problem on this target that never forms Y: {@code observed} entries drawn
     * uniformly without replacement form Ω, and {@code heldOut} further distinct entries, drawn
     * uniformly from the rest, are where the recovery error is measured (a sample of Ωᶜ: the
     * complement of a 10⁵×10⁵ mask is too large to sweep). Cost O((|Ω| + |H|)·(r + log)) time,
     * O(|Ω| + |H|) memory.
     *
     * @throws IllegalArgumentException when observed + heldOut exceeds d1·d2 or observed &lt; 1
     */
    public CompletionProblem sampleCompletion(long observed, long heldOut, Rng rng, String description) {
        long total = (long) rows() * cols();
        if (observed < 1 || heldOut < 0 || observed + heldOut > total) {
            throw new IllegalArgumentException("cannot observe " + observed + " and hold out " + heldOut
                    + " distinct entries of a " + rows() + "×" + cols() + " matrix (" + total
                    + " entries); need observed ≥ 1 and observed + held-out ≤ d1·d2");
        }
        if (observed + heldOut > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("observed + held-out = " + (observed + heldOut)
                    + " entries exceed what one Java array holds; sample fewer");
        }
        long[] all = rng.sampleWithoutReplacement(total, (int) (observed + heldOut));
        // split the sorted sample at random into Ω and the held-out set, keeping each sorted
        int n = all.length;
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = 0; i < heldOut; i++) {
            int j = i + rng.nextInt(n - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        boolean[] held = new boolean[n];
        for (int i = 0; i < heldOut; i++) {
            held[perm[i]] = true;
        }
        perm = null;
        long[] obs = new long[(int) observed];
        long[] out = new long[(int) heldOut];
        int a = 0;
        int b = 0;
        for (int i = 0; i < n; i++) {
            if (held[i]) {
                out[b++] = all[i];
            } else {
                obs[a++] = all[i];
            }
        }
        all = null;
        return CompletionProblem.of(entries(obs), entries(out), description);
    }

    /** Y at the given row-major linear indices i·d2 + j (sorted ascending), as a CSR matrix. */
    SparseMatrix entries(long[] linear) {
        int r = s.length;
        int d1 = rows();
        int d2 = cols();
        // row-major copies of U·diag(s) and V for contiguous r-long dot products
        double[] us = new double[d1 * r];
        double[] vr = new double[d2 * r];
        double[] ud = u.data();
        double[] vd = v.data();
        for (int c = 0; c < r; c++) {
            for (int i = 0; i < d1; i++) {
                us[i * r + c] = ud[i + c * d1] * s[c];
            }
            for (int j = 0; j < d2; j++) {
                vr[j * r + c] = vd[j + c * d2];
            }
        }
        int n = linear.length;
        int[] rowPtr = new int[d1 + 1];
        int[] col = new int[n];
        double[] val = new double[n];
        for (int e = 0; e < n; e++) {
            int i = (int) (linear[e] / d2);
            int j = (int) (linear[e] - (long) i * d2);
            rowPtr[i + 1]++;
            col[e] = j;
            double acc = 0.0;
            int ui = i * r;
            int vj = j * r;
            for (int c = 0; c < r; c++) {
                acc += us[ui + c] * vr[vj + c];
            }
            val[e] = acc;
        }
        for (int i = 0; i < d1; i++) {
            rowPtr[i + 1] += rowPtr[i];
        }
        return SparseMatrix.fromCsr(d1, d2, rowPtr, col, val);
    }

    @Override
    public String toString() {
        return "LowRankTarget[" + rows() + "×" + cols() + ", rank " + rank() + "]";
    }
}
