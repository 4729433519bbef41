package org.cdln.problem;

import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.LinearOperator;

/**
 * A low-rank matrix recovery problem: what is observed of an unknown d1×d2 matrix Y, the training
 * loss ℓ(P) of a candidate end-to-end matrix P, and the error against the truth that is plotted
 * (docs/method.md §2).
 *
 * <p>A problem never hands out ∂ℓ/∂P as a matrix. It builds an {@link LossGradientOracle}, which computes
 * the loss at P = left·right and then multiplies the gradient G with dense blocks from either side
 * — dense for factorization and sensing, sparse on the observed entries for completion. The wide
 * and the compressed network share this code; only the inner width of left·right differs.
 */
public interface Problem {
    /** d1, the number of rows of Y and of P. */
    int rows();

    /** d2, the number of columns of Y and of P. */
    int cols();

    /** Which of the three recovery problems this is. */
    ProblemKind kind();

    /** A one-line description with the sizes and the seed it was generated from, for provenance. */
    String description();

    /**
     * The surrogate S whose leading singular vectors initialise the compressed network
     * (docs/method.md §3 step 2): Y for factorization, (1/p)·P_Ω(Y) for completion, (1/m)·Σ y_i·A_i for
     * sensing.
     */
    LinearOperator surrogate();

    /**
     * A new evaluator for end-to-end products P = left·right whose inner dimension is
     * {@code innerWidth}. Evaluators own preallocated workspaces and are not thread-safe.
     */
    LossGradientOracle newOracle(int innerWidth, LinearAlgebra la);
}
