package org.cdln.problem;

import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.LinearOperator;
import org.cdln.linalg.Matrix;

/**
 * Matrix factorization (MF): Y is fully observed. Loss and recovery error are both
 * ℓ(P) = (1/(2·d1·d2))·‖P − Y‖_F², with gradient G = (P − Y)/(d1·d2) (docs/method.md §2).
 * Per evaluation: one GEMM to form P, O(d1·d2) for the residual.
 */
public final class FactorizationProblem implements Problem {
    private final Matrix target;
    private final String description;

    /**
     * @param target Y (not copied; must not change while the problem is used)
     * @param description provenance, e.g. how Y was generated
     */
    public FactorizationProblem(Matrix target, String description) {
        Validation.requirePositiveShape(target.rows(), target.cols());
        Validation.requireFinite(target, "the factorization target");
        this.target = target;
        this.description = description;
    }

    public FactorizationProblem(Matrix target) {
        this(target, "factorization of a user-supplied " + target.shape() + " matrix");
    }

    /** Y. */
    public Matrix target() {
        return target;
    }

    @Override
    public int rows() {
        return target.rows();
    }

    @Override
    public int cols() {
        return target.cols();
    }

    @Override
    public ProblemKind kind() {
        return ProblemKind.FACTORIZATION;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public LinearOperator surrogate() {
        return LinearOperator.of(target, LinearAlgebra.instance());
    }

    @Override
    public LossGradientOracle newOracle(int innerWidth, LinearAlgebra la) {
        return new DenseOracle(rows(), cols(), la) {
            private final ScaledResiduals residuals = ScaledResiduals.preferred();
            private double lastLoss = Double.NaN;

            @Override
            public double lossAndGradient(Matrix left, Matrix right) {
                Validation.requireInnerShapes(FactorizationProblem.this, left, right, innerWidth);
                formProduct(left, right);
                double[] p = product.data();
                double[] y = target.data();
                double[] g = gradient.data();
                double scale = 1.0 / ((double) rows() * cols());
                lastLoss = 0.5 * residuals.apply(p, y, g, scale, p.length) * scale;
                return lastLoss;
            }

            @Override
            public double lastRecoveryError() {
                return lastLoss;
            }

            @Override
            public double loss(Matrix left, Matrix right) {
                Matrix p = la.multiply(left, right);
                double d = p.distance(target);
                return 0.5 * d * d / ((double) rows() * cols());
            }
        };
    }
}
