package org.cdln.spark;

import java.io.Serializable;

import org.cdln.problem.FusedSweep;

/**
 * One user block's work in one gradient step, at the current iterate: residuals, the local
 * user-side gradient and update, the block's shares of the item-side and inner-layer gradients,
 * and the training and validation errors.
 *
 * <p>With U = W_L (user side, rows in the block), W1 (r̂×d2, item side, column w_i per item)
 * and M = W_(L−1)·…·W_2 (r̂×r̂, identity for L = 2), the prediction is p_ui = a_u·w_i with
 * a_u = U[u, :]·M. With e_ui = (p_ui − y_ui)/|Ω| over the training ratings Ω:
 * g_u = Σ_i e_ui·w_i; ∂U[u, :] = g_u·Mᵀ; the item share ∂W1[:, i] += e_ui·a_uᵀ; the inner
 * share H += U[u, :]ᵀ·g_u, from which the driver forms ∂W_l = A_lᵀ·H·B_lᵀ
 * (A_l = W_(L−1)·…·W_(l+1), B_l = W_(l−1)·…·W_2) — the same gradients as backpropagation
 * through the whole network. The training part is the library's fused sparse kernel
 * ({@link FusedSweep}: one pass over the block's ratings for residuals, g_u and the item share);
 * the validation ratings and the r̂×r̂ products per user follow. Cost O(n_b·r̂ + users_b·r̂²).
 */
final class StepKernel {
    private StepKernel() {
    }

    /** What a block's step returns. */
    static final class StepOut implements Serializable {
        private static final long serialVersionUID = 1L;
        final int[] items;
        /** The updated local user rows (row-major). */
        final double[] newU;
        /** ∂W1 share, one r̂-row per local item (row-major over {@code items}). */
        final double[] itemShare;
        /** H share, r̂×r̂ column-major. */
        final double[] h;
        final double sumSquares;
        final double valSquares;
        final double valAbs;
        final long valCount;

        StepOut(int[] items, double[] newU, double[] itemShare, double[] h, double sumSquares, double valSquares,
                double valAbs, long valCount) {
            this.items = items;
            this.newU = newU;
            this.itemShare = itemShare;
            this.h = h;
            this.sumSquares = sumSquares;
            this.valSquares = valSquares;
            this.valAbs = valAbs;
            this.valCount = valCount;
        }
    }

    /**
     * @param u      local user rows × k, row-major (not modified)
     * @param w      one k-row per local item (the block's {@code items}), row-major
     * @param m      M, k×k column-major
     * @param invN   1/|Ω|
     * @param rateU  η·α, the step of the user side
     * @param lo     clip bounds of validation predictions (NaN: no clipping)
     */
    static StepOut step(UserBlock b, double[] u, double[] w, double[] m, int k, double invN, double rateU, double lo,
                        double hi) {
        int n = b.users.length;
        // a_u = U[u, :]·M for every local user, row-major
        double[] a = new double[n * k];
        for (int q = 0; q < n; q++) {
            int uo = q * k;
            for (int c = 0; c < k; c++) {
                double s = 0.0;
                for (int d = 0; d < k; d++) {
                    s += u[uo + d] * m[d + c * k];
                }
                a[uo + c] = s;
            }
        }
        // the fused sweep: residuals, g_u (rows of G·Rᵀ) and the item share (Lᵀ·G), one pass over Ω_b;
        // g_u is written into the array that then becomes the new user rows, row by row below
        double[] newU = new double[n * k];
        double[] share = new double[b.items.length * k];
        double ss = FusedSweep.forWidth(k).sweep(b.trainPtr, b.trainItem, b.trainResidual, n, a, w, invN, newU, share);
        double[] h = new double[k * k];
        double[] du = new double[k];
        boolean clip = !Double.isNaN(lo);
        double vs = 0.0;
        double va = 0.0;
        for (int q = 0; q < n; q++) {
            int uo = q * k;
            for (int e = b.valPtr[q]; e < b.valPtr[q + 1]; e++) {
                int io = b.valItem[e] * k;
                double s = b.valBaseline[e];
                for (int c = 0; c < k; c++) {
                    s += a[uo + c] * w[io + c];
                }
                if (clip) {
                    s = Math.max(lo, Math.min(hi, s));
                }
                double err = s - b.valRating[e];
                vs += err * err;
                va += Math.abs(err);
            }
            // ∂U[u, :] = g_u·Mᵀ and H += U[u, :]ᵀ·g_u, then g_u's place takes U[u, :] − η·α·∂U[u, :]
            for (int d = 0; d < k; d++) {
                double ud = u[uo + d];
                double sum = 0.0;
                for (int c = 0; c < k; c++) {
                    double gc = newU[uo + c];
                    sum += gc * m[d + c * k];
                    h[d + c * k] += ud * gc;
                }
                du[d] = sum;
            }
            for (int d = 0; d < k; d++) {
                newU[uo + d] = u[uo + d] - rateU * du[d];
            }
        }
        return new StepOut(b.items, newU, share, h, ss, vs, va, b.valRating.length);
    }

    /** The block's item rows gathered from W1 (k×d2 column-major: column i at i·k). */
    static double[] gather(int[] items, double[] w1, int k) {
        double[] w = new double[items.length * k];
        for (int j = 0; j < items.length; j++) {
            System.arraycopy(w1, items[j] * k, w, j * k, k);
        }
        return w;
    }

    /**
     * Driver-side sum of the blocks' outputs (broadcast path: the dense ∂W1 too). The arrays are
     * allocated at the first block added, not in the constructor: treeAggregate serialises its
     * zero value into every stage's task binary, and a d2×k array there (4.7 MB at 59,047 items,
     * r̂ = 10) was shipped, twice, at every step.
     */
    static final class Sum implements Serializable {
        private static final long serialVersionUID = 2L;
        private final int d2;
        private final int k;
        private final boolean withItems;
        double[] gradW1;
        double[] h;
        double sumSquares;
        double valSquares;
        double valAbs;
        long valCount;

        Sum(int d2, int k, boolean withItems) {
            this.d2 = d2;
            this.k = k;
            this.withItems = withItems;
        }

        /** Allocates the sums (zero) unless a block was added; idempotent. */
        Sum allocate() {
            if (h == null) {
                gradW1 = withItems ? new double[d2 * k] : null;
                h = new double[k * k];
            }
            return this;
        }

        Sum add(StepOut o) {
            allocate();
            if (gradW1 != null) {
                for (int j = 0; j < o.items.length; j++) {
                    int go = o.items[j] * k;
                    int lo = j * k;
                    for (int c = 0; c < k; c++) {
                        gradW1[go + c] += o.itemShare[lo + c];
                    }
                }
            }
            for (int q = 0; q < h.length; q++) {
                h[q] += o.h[q];
            }
            sumSquares += o.sumSquares;
            valSquares += o.valSquares;
            valAbs += o.valAbs;
            valCount += o.valCount;
            return this;
        }

        Sum merge(Sum o) {
            allocate();
            if (o.h == null) {
                return this;
            }
            if (gradW1 != null) {
                for (int q = 0; q < gradW1.length; q++) {
                    gradW1[q] += o.gradW1[q];
                }
            }
            for (int q = 0; q < h.length; q++) {
                h[q] += o.h[q];
            }
            sumSquares += o.sumSquares;
            valSquares += o.valSquares;
            valAbs += o.valAbs;
            valCount += o.valCount;
            return this;
        }
    }
}
