package org.cdln.problem;

import org.cdln.linalg.Matrix;
import org.cdln.linalg.SparseMatrix;

/**
 * The completion evaluator that never forms P = left·right.
 *
 * <p>Residuals on Ω are dot products of row i of left with column j of right, both stored
 * contiguously (left is transposed once per evaluation into a k×d1 workspace). The gradient
 * G = P_Ω(P − Y)/|Ω| is kept as one scaled residual per observed entry and applied by scatter:
 * (G·Bᵀ)[i,:] += g_e·B[:,j] and (Aᵀ·G)[:,j] += g_e·A[i,:].
 * Time per evaluation O(|Ω|·k + d1·k); memory O(|Ω| + (d1 + d2)·k).
 */
final class LegacySparseCompletionEvaluator implements Evaluator {
    private final CompletionProblem problem;
    private final int k;
    private final int rows;
    private final SparseMatrix observed;
    private final double[] scaledResidual;
    private final Matrix leftT;
    private final Matrix scratchT;
    private Matrix lastLeft;
    private Matrix lastRight;

    LegacySparseCompletionEvaluator(CompletionProblem problem, int innerWidth) {
        this.problem = problem;
        this.k = innerWidth;
        this.rows = problem.rows();
        this.observed = problem.observed();
        this.scaledResidual = new double[observed.nonZeros()];
        this.leftT = new Matrix(innerWidth, rows);
        this.scratchT = new Matrix(innerWidth, rows);
    }

    @Override
    public double lossAndGradient(Matrix left, Matrix right) {
        Validation.requireInnerShapes(problem, left, right, k);
        left.transposeInto(leftT);
        lastLeft = left;
        lastRight = right;
        double ss = residuals(observed, leftT.data(), right.data(), k, scaledResidual);
        double n = observed.nonZeros();
        for (int e = 0; e < scaledResidual.length; e++) {
            scaledResidual[e] /= n;
        }
        return 0.5 * ss / n;
    }

    /**
     * r_e = ⟨leftT[:, i], right[:, j]⟩ − y_e for every stored entry e = (i, j); returns Σ r_e².
     */
    static double residuals(SparseMatrix s, double[] lt, double[] r, int k, double[] out) {
        int[] ptr = s.rowPointers();
        int[] col = s.columnIndices();
        double[] y = s.values();
        double ss = 0.0;
        for (int i = 0; i < s.rows(); i++) {
            int li = i * k;
            for (int e = ptr[i]; e < ptr[i + 1]; e++) {
                int rj = col[e] * k;
                double dot = 0.0;
                for (int c = 0; c < k; c++) {
                    dot += lt[li + c] * r[rj + c];
                }
                double res = dot - y[e];
                if (out != null) {
                    out[e] = res;
                }
                ss += res * res;
            }
        }
        return ss;
    }

    @Override
    public void gradientTimesTransposed(Matrix b, Matrix out) {
        if (b.rows() != k || b.cols() != problem.cols() || out.rows() != rows || out.cols() != k) {
            throw new IllegalArgumentException("G·Bᵀ: B " + b.shape() + ", out " + out.shape()
                    + " do not fit a " + rows + "×" + problem.cols() + " gradient with inner width " + k);
        }
        int[] ptr = observed.rowPointers();
        int[] col = observed.columnIndices();
        double[] bd = b.data();
        double[] ot = scratchT.data();
        java.util.Arrays.fill(ot, 0.0);
        for (int i = 0; i < rows; i++) {
            int oi = i * k;
            for (int e = ptr[i]; e < ptr[i + 1]; e++) {
                double g = scaledResidual[e];
                int bj = col[e] * k;
                for (int c = 0; c < k; c++) {
                    ot[oi + c] += g * bd[bj + c];
                }
            }
        }
        scratchT.transposeInto(out);
    }

    @Override
    public void transposedTimesGradient(Matrix a, Matrix out) {
        if (a.rows() != rows || a.cols() != k || out.rows() != k || out.cols() != problem.cols()) {
            throw new IllegalArgumentException("Aᵀ·G: A " + a.shape() + ", out " + out.shape()
                    + " do not fit a " + rows + "×" + problem.cols() + " gradient with inner width " + k);
        }
        Matrix at = leftT;
        if (a != lastLeft) {
            a.transposeInto(scratchT);
            at = scratchT;
        }
        int[] ptr = observed.rowPointers();
        int[] col = observed.columnIndices();
        double[] ad = at.data();
        double[] od = out.data();
        out.fill(0.0);
        for (int i = 0; i < rows; i++) {
            int ai = i * k;
            for (int e = ptr[i]; e < ptr[i + 1]; e++) {
                double g = scaledResidual[e];
                int oj = col[e] * k;
                for (int c = 0; c < k; c++) {
                    od[oj + c] += g * ad[ai + c];
                }
            }
        }
    }

    @Override
    public double lastRecoveryError() {
        SparseMatrix h = problem.heldOut();
        if (h.nonZeros() == 0 || lastRight == null) {
            return Double.NaN;
        }
        return 0.5 * residuals(h, leftT.data(), lastRight.data(), k, null) / h.nonZeros();
    }

    @Override
    public double loss(Matrix left, Matrix right) {
        Validation.requireInnerShapes(problem, left, right, k);
        Matrix lt = left.transpose();
        return 0.5 * residuals(observed, lt.data(), right.data(), k, null) / observed.nonZeros();
    }

    /** (1/(2n))·Σ_e (P_e − y_e)² over the stored entries of s, for a dense P. */
    static double meanHalfSquaredError(SparseMatrix s, Matrix p) {
        if (s.nonZeros() == 0) {
            return Double.NaN;
        }
        int[] ptr = s.rowPointers();
        int[] col = s.columnIndices();
        double[] y = s.values();
        double ss = 0.0;
        for (int i = 0; i < s.rows(); i++) {
            for (int e = ptr[i]; e < ptr[i + 1]; e++) {
                double r = p.get(i, col[e]) - y[e];
                ss += r * r;
            }
        }
        return 0.5 * ss / s.nonZeros();
    }
}
