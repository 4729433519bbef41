package org.cdln.problem;

import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.LinearOperator;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.cdln.linalg.SparseMatrix;

/**
 * Matrix completion (MC): Y is observed on a set Ω of entries. Training loss
 * ℓ(P) = (1/(2|Ω|))·Σ_Ω (P_ij − Y_ij)², gradient G = P_Ω(P − Y)/|Ω|; recovery error is the same
 * mean on held-out entries (the complement Ωᶜ for synthetic problems) (SPEC §2).
 *
 * <p>By default the evaluator never forms P: residuals are row·column dot products of the
 * network's left and right factors, and G is applied as a sparse matrix, so one evaluation costs
 * O((|Ω| + |held-out|)·k + d1·k) for inner width k instead of O(d1·d2·k). The dense path
 * ({@link #withDenseGradient()}) forms P and G and exists to check the sparse one.
 */
public final class CompletionProblem implements Problem {
    private final int rows;
    private final int cols;
    private final SparseMatrix observed;
    private final SparseMatrix heldOut;
    private final String description;
    private final boolean denseGradient;

    private CompletionProblem(int rows, int cols, SparseMatrix observed, SparseMatrix heldOut,
                              String description, boolean denseGradient) {
        this.rows = rows;
        this.cols = cols;
        this.observed = observed;
        this.heldOut = heldOut;
        this.description = description;
        this.denseGradient = denseGradient;
    }

    /**
     * A completion problem from observed and held-out entries.
     *
     * @param observed Y on Ω, rows×cols; at least one entry
     * @param heldOut  Y on the entries the recovery error is measured on (may be empty: the
     *                 recovery error is then NaN)
     */
    public static CompletionProblem of(SparseMatrix observed, SparseMatrix heldOut, String description) {
        Validation.requirePositiveShape(observed.rows(), observed.cols());
        if (observed.nonZeros() == 0) {
            throw new IllegalArgumentException("a completion problem needs at least one observed entry, got 0");
        }
        if (heldOut.rows() != observed.rows() || heldOut.cols() != observed.cols()) {
            throw new IllegalArgumentException("held-out entries are " + heldOut.rows() + "×" + heldOut.cols()
                    + " but observed ones " + observed.rows() + "×" + observed.cols());
        }
        for (double v : observed.values()) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("an observed value is NaN or infinite; clean the data first");
            }
        }
        return new CompletionProblem(observed.rows(), observed.cols(), observed, heldOut, description, false);
    }

    /**
     * Observes exactly ⌊p·d1·d2⌋ entries of the target drawn uniformly without replacement; the
     * recovery error is measured on all other entries.
     *
     * @param p observed fraction in (0, 1]
     */
    public static CompletionProblem sample(Matrix target, double p, Rng rng, String description) {
        if (!(p > 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException("observed fraction p must be in (0, 1], got " + p);
        }
        long total = (long) target.rows() * target.cols();
        long count = (long) Math.floor(p * total);
        if (count < 1) {
            throw new IllegalArgumentException("p = " + p + " observes no entry of a " + target.shape()
                    + " matrix; raise p to at least " + (1.0 / total));
        }
        long[] picked = rng.sampleWithoutReplacement(total, (int) count);
        Matrix mask = new Matrix(target.rows(), target.cols());
        for (long idx : picked) {
            mask.data()[(int) idx] = 1.0;
        }
        return withMask(target, mask, description);
    }

    /**
     * Observes the entries where {@code mask} is non-zero; the recovery error is measured on the
     * others. Neither argument is kept.
     */
    public static CompletionProblem withMask(Matrix target, Matrix mask, String description) {
        if (!target.sameShape(mask)) {
            throw new IllegalArgumentException("mask is " + mask.shape() + " but target " + target.shape());
        }
        Validation.requireFinite(target, "the completion target");
        int n = 0;
        for (double v : mask.data()) {
            if (v != 0.0) {
                n++;
            }
        }
        int h = mask.size() - n;
        int[] oi = new int[n];
        int[] oj = new int[n];
        double[] ov = new double[n];
        int[] hi = new int[h];
        int[] hj = new int[h];
        double[] hv = new double[h];
        int a = 0;
        int b = 0;
        for (int j = 0; j < target.cols(); j++) {
            for (int i = 0; i < target.rows(); i++) {
                if (mask.get(i, j) != 0.0) {
                    oi[a] = i;
                    oj[a] = j;
                    ov[a++] = target.get(i, j);
                } else {
                    hi[b] = i;
                    hj[b] = j;
                    hv[b++] = target.get(i, j);
                }
            }
        }
        return of(SparseMatrix.fromCoordinates(target.rows(), target.cols(), oi, oj, ov),
                SparseMatrix.fromCoordinates(target.rows(), target.cols(), hi, hj, hv), description);
    }

    /** The same problem evaluated through the dense path (forms P and G; for checks and benchmarks). */
    public CompletionProblem withDenseGradient() {
        return new CompletionProblem(rows, cols, observed, heldOut, description, true);
    }

    /** True when evaluators use the dense path. */
    public boolean denseGradient() {
        return denseGradient;
    }

    /** Y on Ω. */
    public SparseMatrix observed() {
        return observed;
    }

    /** Y on the held-out entries. */
    public SparseMatrix heldOut() {
        return heldOut;
    }

    /** Observed fraction p = |Ω|/(d1·d2). */
    public double observedFraction() {
        return observed.nonZeros() / ((double) rows * cols);
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
    public String kind() {
        return "completion";
    }

    @Override
    public String description() {
        return description;
    }

    /** (1/p)·P_Ω(Y), sparse. */
    @Override
    public LinearOperator surrogate() {
        return observed.times(1.0 / observedFraction());
    }

    @Override
    public Evaluator newEvaluator(int innerWidth, LinearAlgebra la) {
        if (denseGradient) {
            return new DenseCompletionEvaluator(this, innerWidth, la);
        }
        return new SparseCompletionEvaluator(this, innerWidth);
    }

    /** The dense path: P and G formed as d1×d2 matrices. */
    private static final class DenseCompletionEvaluator extends DenseEvaluator {
        private final CompletionProblem problem;
        private final int innerWidth;
        private final Matrix mask;
        private final Matrix values;
        private double lastRecovery = Double.NaN;

        DenseCompletionEvaluator(CompletionProblem problem, int innerWidth, LinearAlgebra la) {
            super(problem.rows, problem.cols, la);
            this.problem = problem;
            this.innerWidth = innerWidth;
            this.values = problem.observed.toDense();
            this.mask = new Matrix(problem.rows, problem.cols);
            int[] ptr = problem.observed.rowPointers();
            int[] col = problem.observed.columnIndices();
            for (int i = 0; i < problem.rows; i++) {
                for (int e = ptr[i]; e < ptr[i + 1]; e++) {
                    mask.set(i, col[e], 1.0);
                }
            }
        }

        @Override
        public double lossAndGradient(Matrix left, Matrix right) {
            Validation.requireInnerShapes(problem, left, right, innerWidth);
            formProduct(left, right);
            double n = problem.observed.nonZeros();
            double[] p = product.data();
            double[] y = values.data();
            double[] w = mask.data();
            double[] g = gradient.data();
            double ss = 0.0;
            for (int k = 0; k < p.length; k++) {
                double r = w[k] * (p[k] - y[k]);
                ss += r * r;
                g[k] = r / n;
            }
            lastRecovery = SparseCompletionEvaluator.meanHalfSquaredError(problem.heldOut, product);
            return 0.5 * ss / n;
        }

        @Override
        public double lastRecoveryError() {
            return lastRecovery;
        }

        @Override
        public double loss(Matrix left, Matrix right) {
            return SparseCompletionEvaluator.meanHalfSquaredError(problem.observed, la.multiply(left, right));
        }
    }
}
