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
        la.gemmPair(false, true, 1.0, gradient, right, gRightT, true, false, 1.0, left, gradient, leftTG);
        return loss;
    }

    @Override
    public void gradientTimesTransposed(Matrix b, Matrix out) {
        la.gemm(false, true, 1.0, gradient, b, 0.0, out);
    }

    @Override
    public void transposedTimesGradient(Matrix a, Matrix out) {
        la.gemm(true, false, 1.0, a, gradient, 0.0, out);
    }

    /** ‖P − Y‖_F / ‖Y‖_F with P the last formed product. */
    protected double relativeError(Matrix target) {
        double yNorm = target.frobeniusNorm();
        return product.distance(target) / (yNorm == 0.0 ? 1.0 : yNorm);
    }
}
