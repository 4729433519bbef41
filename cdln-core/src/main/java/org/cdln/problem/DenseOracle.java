package org.cdln.problem;

import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;

/**
 * Shared part of the evaluators that form P densely: keeps the product P and the dense gradient
 * G in preallocated d1×d2 workspaces and applies G with GEMM.
 */
abstract class DenseOracle implements LossGradientOracle {
    protected final LinearAlgebra la;
    protected final Matrix product;
    protected final Matrix gradient;

    DenseOracle(int rows, int cols, LinearAlgebra la) {
        this.la = la;
        this.product = new Matrix(rows, cols);
        this.gradient = new Matrix(rows, cols);
    }

    /** product ← left·right. */
    protected void formProduct(Matrix left, Matrix right) {
        la.gemm(false, false, 1.0, left, right, 0.0, product);
    }

    /**
     * The loss, then G·rightᵀ and leftᵀ·G as one {@link LinearAlgebra#gemmPair} (independent: on
     * several threads they may run at the same time).
     */
    @Override
    public double lossAndGradientProducts(Matrix left, Matrix right, Matrix gRightT, Matrix leftTG) {
        double loss = lossAndGradient(left, right);
        if (!thinLeft(left) || la.splitsProduct(left.cols(), gradient.cols(), left.rows())) {
            la.gemmPair(false, true, 1.0, gradient, right, gRightT, true, false, 1.0, left, gradient, leftTG);
        } else {
            la.gemm(false, true, 1.0, gradient, right, 0.0, gRightT);
            transposedTimesGradient(left, leftTG);
        }
        return loss;
    }

    /**
     * Whether left (d1×k) is thin enough for the transposed copy to be a candidate: OpenBLAS's
     * kernel for op(A) = Aᵀ with few rows k can be slower than a k×d1 copy followed by the plain
     * kernel (measured 12.2 µs against 1.2 + 8.3 µs at 20×100·100×100, one thread), but not at
     * every shape, so {@link #transposedTimesGradient} times both.
     */
    private static boolean thinLeft(Matrix left) {
        return left.cols() <= 64 && left.rows() >= 4 * left.cols();
    }

    /** left's transpose (k×d1) when the copy was measured faster; else null. */
    private Matrix leftTransposed;
    /** 0 unmeasured, 1 transposed copy + plain product, −1 the transposed kernel. */
    private int transposeChoice;
    private int measuredRounds;
    private long transposedNanos;
    private long plainNanos;

    /** Rounds of each way timed (alternately, on the real operands) before the choice is kept. */
    private static final int TRANSPOSE_ROUNDS = 16;

    @Override
    public void gradientTimesTransposed(Matrix b, Matrix out) {
        la.gemm(false, true, 1.0, gradient, b, 0.0, out);
    }

    /**
     * out ← aᵀ·G. For a thin a ({@link #thinLeft}) whose product is not split over threads, the first
     * {@value #TRANSPOSE_ROUNDS} pairs of calls time the transposed kernel against a transposed
     * copy of a and the plain kernel, alternately; the faster by total is kept. Both give the
     * same products up to rounding.
     */
    @Override
    public void transposedTimesGradient(Matrix a, Matrix out) {
        if (transposeChoice < 0 || !thinLeft(a) || la.splitsProduct(a.cols(), gradient.cols(), a.rows())) {
            la.gemm(true, false, 1.0, a, gradient, 0.0, out);
            return;
        }
        if (leftTransposed == null || leftTransposed.rows() != a.cols() || leftTransposed.cols() != a.rows()) {
            leftTransposed = new Matrix(a.cols(), a.rows());
        }
        if (transposeChoice > 0) {
            transposeInto(a, leftTransposed);
            la.gemm(false, false, 1.0, leftTransposed, gradient, 0.0, out);
            return;
        }
        // measuring: alternate the two ways (the later one of each call writes the result)
        long t0 = System.nanoTime();
        la.gemm(true, false, 1.0, a, gradient, 0.0, out);
        long t1 = System.nanoTime();
        transposeInto(a, leftTransposed);
        la.gemm(false, false, 1.0, leftTransposed, gradient, 0.0, out);
        long t2 = System.nanoTime();
        if (measuredRounds > 0) { // the first round compiles and warms both
            plainNanos += t1 - t0;
            transposedNanos += t2 - t1;
        }
        if (++measuredRounds > TRANSPOSE_ROUNDS) {
            transposeChoice = transposedNanos < plainNanos ? 1 : -1;
        }
    }

    /** t ← aᵀ (a d1×k column-major, t k×d1): a's column j becomes t's row j. O(d1·k). */
    private static void transposeInto(Matrix a, Matrix t) {
        double[] src = a.data();
        double[] dst = t.data();
        int m = a.rows();
        int k = a.cols();
        for (int i = 0; i < m; i++) {
            int to = i * k;
            for (int j = 0; j < k; j++) {
                dst[to + j] = src[i + j * m];
            }
        }
    }

    /** ‖P − Y‖_F / ‖Y‖_F with P the last formed product. */
    protected double relativeError(Matrix target) {
        double yNorm = target.frobeniusNorm();
        return product.distance(target) / (yNorm == 0.0 ? 1.0 : yNorm);
    }
}
