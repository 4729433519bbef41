package org.cdln.experiment;

import org.cdln.model.Initialization;
import org.cdln.optim.OptimizerConfig;
import org.cdln.problem.ProblemKind;

/**
 * Validated settings of a {@code cdln reproduce} experiment. Every field has a command-line flag
 * of the same name (rankHat is {@code --rank-hat}, evalEvery {@code --eval-every}), and every
 * message names that flag, the allowed range and the value given.
 *
 * @param experiment which experiment
 * @param d1         rows of the target (--d sets both d1 and d2)
 * @param d2         columns of the target
 * @param r          target rank, 1 ≤ r ≤ min(d1, d2)
 * @param p          observed fraction for completion, in (0, 1]
 * @param m          number of measurements for sensing, ≥ 1
 * @param depth      L ≥ 2 (the depth experiment compares 2 and 3 whatever this says)
 * @param eps        initialisation scale ε &gt; 0
 * @param step       step size η &gt; 0
 * @param alpha      discrepant rate α &gt; 0 of the compressed network
 * @param rankHat    compressed width r̂, 1 ≤ r̂ ≤ min(d1, d2)
 * @param steps      step budget ≥ 0
 * @param tol        training-loss tolerance ≥ 0
 * @param seed       random seed
 * @param evalEvery  evaluation interval ≥ 1
 * @param init       initialisation of the original network
 * @param optimizer  optimiser of both networks
 */
public record ReproduceSettings(Experiment experiment, int d1, int d2, int r, double p, int m, int depth, double eps,
                                double step, double alpha, int rankHat, long steps, double tol, long seed,
                                int evalEvery, Initialization init, OptimizerConfig.Kind optimizer) {

    public ReproduceSettings {
        if (d1 < 1 || d2 < 1) {
            throw new IllegalArgumentException("--d must be ≥ 1, got " + (d1 < 1 ? d1 : d2));
        }
        int d = Math.min(d1, d2);
        if (r < 1 || r > d) {
            throw new IllegalArgumentException("--r must be in [1, " + d + "] (at most d), got " + r);
        }
        if (!(p > 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException("--p must be in (0, 1], got " + p);
        }
        if (experiment.problemKind() == ProblemKind.SENSING && m < 1) {
            throw new IllegalArgumentException("--m must be ≥ 1, got " + m);
        }
        if (depth < 2) {
            throw new IllegalArgumentException("--depth must be ≥ 2, got " + depth);
        }
        requirePositive("--eps", eps);
        requirePositive("--step", step);
        requirePositive("--alpha", alpha);
        if (rankHat < 1 || rankHat > d) {
            throw new IllegalArgumentException("--rank-hat must be in [1, " + d + "] (at most d), got " + rankHat);
        }
        if (steps < 0) {
            throw new IllegalArgumentException("--steps must be ≥ 0, got " + steps);
        }
        if (!(tol >= 0.0) || !Double.isFinite(tol)) {
            throw new IllegalArgumentException("--tol must be a finite number ≥ 0, got " + tol);
        }
        if (evalEvery < 1) {
            throw new IllegalArgumentException("--eval-every must be ≥ 1, got " + evalEvery);
        }
        if (experiment.problemKind() == ProblemKind.COMPLETION && Math.floor(p * d1 * (double) d2) < 1) {
            throw new IllegalArgumentException("--p " + p + " observes no entry of a " + d1 + "×" + d2
                    + " matrix; raise --p to at least " + (1.0 / ((double) d1 * d2)));
        }
        if (experiment.problemKind() == ProblemKind.SENSING && (long) d1 * d2 * m > org.cdln.linalg.Matrix.MAX_ENTRIES) {
            throw new IllegalArgumentException("--m must be in [1, "
                    + (org.cdln.linalg.Matrix.MAX_ENTRIES / ((long) d1 * d2)) + "] for a " + d1 + "×" + d2
                    + " matrix, got " + m + ": " + ((long) d1 * d2 * m) + " operator entries exceed the "
                    + org.cdln.linalg.Matrix.MAX_ENTRIES + " one array holds; lower --m or --d");
        }
    }

    private static void requirePositive(String flag, double v) {
        if (!(v > 0.0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(flag + " must be a finite number > 0, got " + v);
        }
    }

    /** A square problem size: true when d1 = d2. */
    public boolean square() {
        return d1 == d2;
    }
}
