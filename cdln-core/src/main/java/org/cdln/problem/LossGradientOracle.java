package org.cdln.problem;

import org.cdln.linalg.Matrix;

/**
 * Evaluates a problem's loss at P = left·right (left d1×k, right k×d2) and applies its gradient
 * G = ∂loss/∂P at that point, without the network ever forming G itself.
 *
 * <p>Contract: call {@link #lossAndGradient} first; {@link #gradientTimesTransposed},
 * {@link #transposedTimesGradient} and {@link #lastRecoveryError} then refer to that point until
 * the next call, and require left and right to be unchanged meanwhile. Not thread-safe.
 */
public interface LossGradientOracle {
    /**
     * The training loss at P = left·right; records G for the product methods. Neither argument is
     * modified.
     */
    double lossAndGradient(Matrix left, Matrix right);

    /**
     * The training loss at P = left·right and both gradient products at that point:
     * gRightT ← G·rightᵀ (d1×k) and leftTG ← leftᵀ·G (k×d2), both modified. The same as
     * {@link #lossAndGradient} followed by {@link #gradientTimesTransposed}(right, gRightT) and
     * {@link #transposedTimesGradient}(left, leftTG) — the default does exactly that — but an
     * evaluator may fuse the passes (the sparse completion evaluator does all three in one sweep
     * over the observed entries). Afterwards the other methods refer to this point, as after
     * {@link #lossAndGradient}.
     */
    default double lossAndGradientProducts(Matrix left, Matrix right, Matrix gRightT, Matrix leftTG) {
        double loss = lossAndGradient(left, right);
        gradientTimesTransposed(right, gRightT);
        transposedTimesGradient(left, leftTG);
        return loss;
    }

    /** out ← G·Bᵀ for B k×d2 (out d1×k, modified). */
    void gradientTimesTransposed(Matrix b, Matrix out);

    /** out ← Aᵀ·G for A d1×k (out k×d2, modified). */
    void transposedTimesGradient(Matrix a, Matrix out);

    /**
     * The recovery error (docs/method.md §2) at the point of the last {@link #lossAndGradient} call, or NaN
     * when the problem knows no ground truth.
     */
    double lastRecoveryError();

    /** The training loss at P = left·right without touching the recorded gradient state. */
    double loss(Matrix left, Matrix right);
}
