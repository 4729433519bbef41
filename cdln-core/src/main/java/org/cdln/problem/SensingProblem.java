package org.cdln.problem;

import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.LinearOperator;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;

/**
 * Matrix sensing (MS): m linear measurements y_i = ⟨A_i, Y⟩. Training loss
 * ℓ(P) = ½·Σ_i (⟨A_i, P⟩ − y_i)², gradient G = Σ_i r_i·A_i; recovery error ‖P − Y‖_F/‖Y‖_F
 * (docs/method.md §2).
 *
 * <p>The measurement matrices are stored stacked, without copies, as one (d1·d2)×m matrix whose
 * column i is vec(A_i) (column-major). The residuals are then one GEMV, Aᵀ·vec(P) − y, and the
 * gradient another, vec(G) = A·r; both run on BLAS threads. Cost per evaluation O(m·d1·d2), twice
 * streaming 8·m·d1·d2 bytes; memory the same.
 */
public final class SensingProblem implements Problem {
    private final int rows;
    private final int cols;
    private final Matrix operator;
    private final double[] measurements;
    private final Matrix target;
    private final String description;

    /**
     * @param operator     (d1·d2)×m, column i = vec(A_i) in column-major order (not copied)
     * @param measurements y, length m (not copied)
     * @param target       Y for the recovery error, or null when unknown
     */
    public SensingProblem(int rows, int cols, Matrix operator, double[] measurements, Matrix target,
                          String description) {
        Validation.requirePositiveShape(rows, cols);
        if (operator.rows() != (long) rows * cols) {
            throw new IllegalArgumentException("the stacked operator has " + operator.rows()
                    + " rows but a " + rows + "×" + cols + " target needs d1·d2 = " + ((long) rows * cols));
        }
        if (operator.cols() != measurements.length || measurements.length == 0) {
            throw new IllegalArgumentException("the operator holds " + operator.cols()
                    + " measurement matrices but y has " + measurements.length + " values (need equal and ≥ 1)");
        }
        if (target != null && (target.rows() != rows || target.cols() != cols)) {
            throw new IllegalArgumentException("target is " + target.shape() + ", expected " + rows + "×" + cols);
        }
        this.rows = rows;
        this.cols = cols;
        this.operator = operator;
        this.measurements = measurements;
        this.target = target;
        this.description = description;
    }

    /**
     * m Gaussian measurements of Y with A_i entries N(0,1)/m (the reference normalisation, not
     * 1/√m), y_i = ⟨A_i, Y⟩.
     *
     * @throws IllegalArgumentException when m·d1·d2 exceeds what one Java array holds
     */
    public static SensingProblem gaussian(Matrix target, int m, Rng rng, LinearAlgebra la, String description) {
        if (m < 1) {
            throw new IllegalArgumentException("the number of measurements m must be ≥ 1, got " + m);
        }
        long entries = (long) target.size() * m;
        if (entries > Matrix.MAX_ENTRIES) {
            throw new IllegalArgumentException("m·d1·d2 = " + entries + " operator entries exceed the "
                    + Matrix.MAX_ENTRIES + " one array holds (" + (entries * 8 / (1 << 20))
                    + " MiB); lower m or d");
        }
        Matrix a = rng.gaussianMatrix(target.size(), m, 1.0 / m);
        double[] y = new double[m];
        la.gemv(true, 1.0, a, target.data(), 0.0, y);
        return new SensingProblem(target.rows(), target.cols(), a, y, target, description);
    }

    /** The stacked operator, column i = vec(A_i). */
    public Matrix operator() {
        return operator;
    }

    /** y. */
    public double[] measurements() {
        return measurements;
    }

    /** m. */
    public int measurementCount() {
        return measurements.length;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public ProblemKind kind() {
        return ProblemKind.SENSING;
    }

    @Override
    public String description() {
        return description;
    }

    /** (1/m)·Σ_i y_i·A_i as a dense d1×d2 matrix. */
    @Override
    public LinearOperator surrogate() {
        LinearAlgebra la = LinearAlgebra.instance();
        Matrix s = new Matrix(rows, cols);
        la.gemv(false, 1.0 / measurements.length, operator, measurements, 0.0, s.data());
        return LinearOperator.of(s, la);
    }

    @Override
    public LossGradientOracle newOracle(int innerWidth, LinearAlgebra la) {
        return new DenseOracle(rows, cols, la) {
            private final double[] residual = new double[measurements.length];

            @Override
            public double lossAndGradient(Matrix left, Matrix right) {
                Validation.requireInnerShapes(SensingProblem.this, left, right, innerWidth);
                formProduct(left, right);
                double ss = residuals(product, residual);
                la.gemv(false, 1.0, operator, residual, 0.0, gradient.data());
                return 0.5 * ss;
            }

            private double residuals(Matrix p, double[] r) {
                System.arraycopy(measurements, 0, r, 0, r.length);
                la.gemv(true, 1.0, operator, p.data(), -1.0, r);
                double ss = 0.0;
                for (double v : r) {
                    ss += v * v;
                }
                return ss;
            }

            @Override
            public double lastRecoveryError() {
                return target == null ? Double.NaN : relativeError(target);
            }

            @Override
            public double loss(Matrix left, Matrix right) {
                return 0.5 * residuals(la.multiply(left, right), new double[measurements.length]);
            }
        };
    }
}
