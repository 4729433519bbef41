package org.cdln.bench;

import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.cdln.problem.CompletionProblem;
import org.cdln.problem.LossGradientOracle;

/**
 * One completion-oracle call of a training step on a path the benchmarks name: the oracle of
 * inner width k, random factors L (d1×k) and R (k×d2), and the outputs G·Rᵀ and Lᵀ·G. The paths:
 * "fused-scalar", "fused-vector", "fused-registers", "fused-padded", "fused-blocks" (the sparse
 * path with that kernel forced through {@code cdln.kernel}; a kernel that does not serve k falls
 * back as {@link CompletionProblem#withSparseGradient()} says), "unfused" (the scalar sparse path
 * as three calls: the loss, then G·Rᵀ, then Lᵀ·G) and "dense" (three GEMMs).
 */
final class OracleCall {
    private final LossGradientOracle evaluator;
    private final boolean unfused;
    private final Matrix left;
    private final Matrix right;
    private final Matrix gRightT;
    private final Matrix leftTG;

    OracleCall(CompletionProblem problem, String path, int k, Rng rng, LinearAlgebra la) {
        System.setProperty("cdln.kernel", switch (path) {
            case "fused-vector" -> "vector";
            case "fused-registers" -> "registers";
            case "fused-padded" -> "padded";
            case "fused-blocks" -> "blocks";
            case "fused-scalar", "unfused", "dense" -> "scalar";
            default -> throw new IllegalArgumentException("unknown path " + path);
        });
        CompletionProblem forced = path.equals("dense") ? problem.withDenseGradient() : problem.withSparseGradient();
        evaluator = forced.newOracle(k, la);
        unfused = path.equals("unfused");
        left = rng.gaussianMatrix(problem.rows(), k, 0.1);
        right = rng.gaussianMatrix(k, problem.cols(), 0.1);
        gRightT = new Matrix(problem.rows(), k);
        leftTG = new Matrix(k, problem.cols());
    }

    /** The loss, with G·Rᵀ and Lᵀ·G computed. */
    double call() {
        if (unfused) {
            double loss = evaluator.lossAndGradient(left, right);
            evaluator.gradientTimesTransposed(right, gRightT);
            evaluator.transposedTimesGradient(left, leftTG);
            return loss;
        }
        return evaluator.lossAndGradientProducts(left, right, gRightT, leftTG);
    }
}
