package org.cdln.problem;

import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.LinearOperator;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.cdln.linalg.SparseMatrix;

/**
 * Matrix completion (MC): Y is observed on a set Ω of entries. Training loss
 * ℓ(P) = (1/(2|Ω|))·Σ_Ω (P_ij − Y_ij)², gradient G = P_Ω(P − Y)/|Ω|; recovery error is the same
 * mean on held-out entries (the complement Ωᶜ for synthetic problems) (docs/method.md §2).
 *
 * <p>Two evaluators compute the same quantities. The sparse one never forms P: residuals are
 * row·column dot products of the network's left and right factors and G is applied as a sparse
 * matrix, so one evaluation costs O(|Ω|·k + (d1 + d2)·k) for inner width k instead of
 * O(d1·d2·k). The dense one forms P and G and applies G with native GEMM. By default the
 * faster one on this machine is chosen per inner width by timing both ({@link #oraclePath});
 * {@link #withSparseGradient()} and {@link #withDenseGradient()} force one, and so does the system
 * property {@value #PATH_PROPERTY} ({@code dense}, {@code sparse} or {@code auto}, the default) for
 * every problem of the process.
 *
 * <p>The two paths, and the sparse kernels among themselves, round differently (a test holds their
 * trajectories to 1e-10), so a timed choice makes runs agree bit for bit only within one process
 * and between processes that chose the same path (the run header names it). A run that must be
 * bit-identical in another process — a resumed run against an uninterrupted one, on a loaded
 * machine where timings vary — fixes the path with the property.
 */
public final class CompletionProblem implements Problem {
    private final int rows;
    private final int cols;
    private final SparseMatrix observed;
    private final SparseMatrix heldOut;
    private final String description;
    private final Path path;

    /** How evaluators apply the gradient: chosen by cost, always sparse, or always dense. */
    private enum Path { AUTO, SPARSE, DENSE }

    /** Choices already timed in this JVM, by problem shape, inner width and backend. */
    private static final java.util.concurrent.ConcurrentHashMap<String, CompletionPathChoice.Choice> CHOICES =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * System property that fixes the evaluator path of every completion problem whose path was not
     * forced in code: {@code dense}, {@code sparse} (the kernel then by the untimed rule) or
     * {@code auto} (timed, the default).
     */
    public static final String PATH_PROPERTY = "cdln.completion.path";

    private CompletionProblem(int rows, int cols, SparseMatrix observed, SparseMatrix heldOut,
                              String description, Path path) {
        this.rows = rows;
        this.cols = cols;
        this.observed = observed;
        this.heldOut = heldOut;
        this.description = description;
        this.path = path;
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
        return new CompletionProblem(observed.rows(), observed.cols(), observed, heldOut, description, Path.AUTO);
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

    /**
     * The same problem always evaluated through the dense path: P = L·R and G are formed as
     * d1×d2 matrices and G is applied with GEMM (for checks and benchmarks).
     */
    public CompletionProblem withDenseGradient() {
        return new CompletionProblem(rows, cols, observed, heldOut, description, Path.DENSE);
    }

    /**
     * The same problem always evaluated through the sparse path, which never forms P (for checks
     * and benchmarks; the default chooses by cost, see {@link #usesDenseProducts}).
     */
    public CompletionProblem withSparseGradient() {
        return new CompletionProblem(rows, cols, observed, heldOut, description, Path.SPARSE);
    }

    /** True when evaluators always use the dense path ({@link #withDenseGradient()}). */
    public boolean denseGradient() {
        return path == Path.DENSE;
    }

    /**
     * Whether an evaluator of inner width k on this backend uses dense products: forced by
     * {@link #withDenseGradient()} / {@link #withSparseGradient()}, else measured on this machine
     * ({@link #oraclePath}). Both paths compute the same quantities (they differ only in
     * rounding; a test holds their trajectories to 1e-10).
     */
    public boolean usesDenseProducts(int innerWidth, LinearAlgebra la) {
        return choice(innerWidth, la).dense();
    }

    /**
     * Which evaluator inner width k gets on this backend and why, e.g. "sparse fused vector
     * (256-bit), 1 thread (timed per evaluation: scalar/1 61.0 µs, vector/1 46.2 µs, dense
     * 63.8 µs …)". Unless forced, the first call for a shape and width times the candidates on
     * this problem for at most a quarter of a second (dense GEMM against the fused sparse kernel,
     * scalar or vectorised, on one thread or split over the threads) and keeps the fastest for
     * the rest of the process; the first such call in a process also compiles the vector kernels
     * it times (0.2–0.5 s each, 1.1–1.3 s for the four that serve k = 10, on a quiet 2-core
     * machine).
     */
    public String oraclePath(int innerWidth, LinearAlgebra la) {
        return choice(innerWidth, la).describe();
    }

    private CompletionPathChoice.Choice choice(int innerWidth, LinearAlgebra la) {
        return switch (path) {
            case DENSE -> CompletionPathChoice.forcedDense();
            case SPARSE -> CompletionPathChoice.forcedSparse(this, innerWidth);
            case AUTO -> propertyChoice(innerWidth, la);
        };
    }

    /** The path the {@value #PATH_PROPERTY} property fixes, else the timed choice. */
    private CompletionPathChoice.Choice propertyChoice(int innerWidth, LinearAlgebra la) {
        String fixed = System.getProperty(PATH_PROPERTY, "auto").trim();
        return switch (fixed) {
            case "dense" -> {
                if ((long) rows * cols > CompletionPathChoice.DENSE_MAX_ENTRIES) {
                    throw new IllegalArgumentException(PATH_PROPERTY + "=dense: the dense path needs two " + rows + "×"
                            + cols + " workspaces, more than the " + CompletionPathChoice.DENSE_MAX_ENTRIES
                            + " entries it allows; use " + PATH_PROPERTY + "=sparse or auto");
                }
                yield CompletionPathChoice.forcedDense();
            }
            case "sparse" -> CompletionPathChoice.forcedSparse(this, innerWidth);
            case "auto", "" -> CHOICES.computeIfAbsent(rows + "x" + cols + ":" + observed.nonZeros() + ":" + innerWidth + ":"
                    + la.description() + ":" + la.splitParts() + ":" + org.cdln.linalg.Parallel.threads(),
                    key -> CompletionPathChoice.choose(this, innerWidth, la));
            default -> throw new IllegalArgumentException(PATH_PROPERTY + "=" + fixed + " is not a completion path; "
                    + "use dense, sparse or auto (the default: timed on this machine)");
        };
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
    public ProblemKind kind() {
        return ProblemKind.COMPLETION;
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
    public LossGradientOracle newOracle(int innerWidth, LinearAlgebra la) {
        CompletionPathChoice.Choice c = choice(innerWidth, la);
        if (c.dense()) {
            return newDenseOracle(innerWidth, la);
        }
        return new SparseCompletionOracle(this, innerWidth, c.parts(), c.panelWidth(), c.kernel());
    }

    /** The dense-path oracle, whatever the choice. */
    LossGradientOracle newDenseOracle(int innerWidth, LinearAlgebra la) {
        return new DenseCompletionOracle(this, innerWidth, la);
    }

    /**
     * The dense path: P = L·R formed by GEMM, residuals gathered on Ω, G = P_Ω(P − Y)/|Ω| kept in
     * a d1×d2 matrix whose entries off Ω stay zero (written once), applied with GEMM. Per
     * evaluation O(d1·d2·k) at GEMM speed plus O(|Ω|); the held-out error is computed only when
     * asked, from the last P.
     */
    private static final class DenseCompletionOracle extends DenseOracle {
        private final CompletionProblem problem;
        private final int innerWidth;
        /**
         * Ω column by column (rows ascending in each), the order of P's column-major storage:
         * the residual pass then walks P and G forward instead of jumping d1 entries between
         * one entry of a row and the next (12 bytes per entry, built once).
         */
        private final int[] colPtr;
        private final int[] rowIdx;
        private final double[] y;
        private boolean evaluated;

        DenseCompletionOracle(CompletionProblem problem, int innerWidth, LinearAlgebra la) {
            super(problem.rows, problem.cols, la);
            this.problem = problem;
            this.innerWidth = innerWidth;
            int[] ptr = problem.observed.rowPointers();
            int[] col = problem.observed.columnIndices();
            double[] values = problem.observed.values();
            this.colPtr = new int[problem.cols + 1];
            for (int c : col) {
                colPtr[c + 1]++;
            }
            for (int j = 0; j < problem.cols; j++) {
                colPtr[j + 1] += colPtr[j];
            }
            this.rowIdx = new int[col.length];
            this.y = new double[col.length];
            int[] next = java.util.Arrays.copyOf(colPtr, problem.cols);
            for (int i = 0; i < problem.rows; i++) {
                for (int e = ptr[i]; e < ptr[i + 1]; e++) {
                    int at = next[col[e]]++;
                    rowIdx[at] = i;
                    y[at] = values[e];
                }
            }
        }

        @Override
        public double lossAndGradient(Matrix left, Matrix right) {
            Validation.requireInnerShapes(problem, left, right, innerWidth);
            formProduct(left, right);
            double invN = 1.0 / y.length;
            double[] p = product.data();
            double[] g = gradient.data();
            int m = problem.rows;
            // four partial sums of r², four entries at a time: one running sum is a chain of
            // dependent additions that, not the memory, set this pass's time (3·10³ entries: 30 %)
            double s0 = 0.0;
            double s1 = 0.0;
            double s2 = 0.0;
            double s3 = 0.0;
            for (int j = 0, n = problem.cols; j < n; j++) {
                int base = j * m;
                int e = colPtr[j];
                int end = colPtr[j + 1];
                for (; e + 3 < end; e += 4) {
                    int a0 = base + rowIdx[e];
                    int a1 = base + rowIdx[e + 1];
                    int a2 = base + rowIdx[e + 2];
                    int a3 = base + rowIdx[e + 3];
                    double r0 = p[a0] - y[e];
                    double r1 = p[a1] - y[e + 1];
                    double r2 = p[a2] - y[e + 2];
                    double r3 = p[a3] - y[e + 3];
                    s0 += r0 * r0;
                    s1 += r1 * r1;
                    s2 += r2 * r2;
                    s3 += r3 * r3;
                    g[a0] = r0 * invN;
                    g[a1] = r1 * invN;
                    g[a2] = r2 * invN;
                    g[a3] = r3 * invN;
                }
                for (; e < end; e++) {
                    int at = base + rowIdx[e];
                    double r = p[at] - y[e];
                    s0 += r * r;
                    g[at] = r * invN;
                }
            }
            double ss = (s0 + s1) + (s2 + s3);
            evaluated = true;
            return 0.5 * ss * invN;
        }

        @Override
        public double lastRecoveryError() {
            return evaluated ? SparseCompletionOracle.meanHalfSquaredError(problem.heldOut, product) : Double.NaN;
        }

        @Override
        public double loss(Matrix left, Matrix right) {
            return SparseCompletionOracle.meanHalfSquaredError(problem.observed, la.multiply(left, right));
        }
    }
}
