package org.cdln.problem;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Parallel;
import org.cdln.linalg.Rng;

/**
 * Which completion oracle a problem and inner width k get on this machine, chosen by timing
 * the candidates on the problem itself: the dense path (P and G formed, three GEMMs of d1·d2·k)
 * and the fused sparse kernel (3·|Ω|·k multiply-adds of gathers), scalar or vectorised, on one
 * thread or split over the {@link Parallel} pool. Both paths are exact; only their speed differs,
 * and where they cross depends on the machine (native GEMM vs JIT-compiled gathers, cache sizes,
 * the vector width), so it is measured rather than fixed.
 *
 * <p>Procedure: the candidates run the real evaluation (loss and both gradient products) at
 * random factors of the problem's shapes, in alternating rounds so that JIT compilation and the
 * machine's load affect them alike; with several threads each timed run follows an untimed run
 * of the same candidate, so that a candidate that hands work to the other threads finds them
 * awake, as in a training loop of its own. Each kernel is first compiled ({@link CompletionKernel#warmUp});
 * then {@link #race} runs untimed rounds until none still speeds up, and timed rounds for
 * {@link #BUDGET_SECONDS} (at least {@link #MIN_ROUNDS}), leaving out early the candidates that are
 * twice as slow as the best. The least median of the timed rounds decides: the best single time
 * of a candidate can be a quiet moment of a shared machine that the other candidates did not get,
 * which once made the original d = 100 network take a sparse kernel twice as slow per step as
 * the dense path. The dense candidate is left out when its two d1·d2 workspaces would not fit
 * ({@link #DENSE_MAX_ENTRIES} or an eighth of the heap) or when |Ω| is under
 * 1/{@link #DENSE_SKIP_RATIO} of d1·d2. The vector kernels are candidates from
 * {@link #VECTOR_MIN_WORK}, the one expected fastest for k from {@link #SMALL_VECTOR_MIN_WORK};
 * a split over the threads where each part gets at least {@link Parallel#MIN_WORK_PER_PART}
 * multiply-adds.
 *
 * <p>A problem whose single sparse evaluation would take longer than the budget allows (|Ω|·k
 * over {@link #TIMED_MAX_WORK}) is timed in parts: where its factors need column panels, every
 * kernel at every panel width on its first panel ({@link #panelTimes}) and the closest pairs on a
 * few whole evaluations ({@link #wholeEvaluations}); otherwise the kernels on a sample of its first
 * rows, extrapolated. The dense path (when it fits) is timed on one GEMM of a block of rows,
 * extrapolated; the sparse path is split over the threads by the work rule.
 */
final class CompletionPathChoice {
    /** Most seconds spent timing one problem and width. */
    static final double BUDGET_SECONDS = 0.25;
    /** Least seconds of warm-up rounds before the timed ones (JIT compilation). */
    static final double WARMUP_SECONDS = 0.04;
    /** Most seconds of warm-up rounds. */
    static final double MAX_WARMUP_SECONDS = 4.0;
    /** Largest d1·d2 for which the dense path is a candidate (two d1·d2 workspaces: 512 MiB). */
    static final long DENSE_MAX_ENTRIES = 1L << 25;
    /** The dense path is not timed when d1·d2 exceeds |Ω| by more than this. */
    static final int DENSE_SKIP_RATIO = 64;
    /**
     * Least |Ω|·k for which every vector kernel that serves k is a candidate: compiling the four
     * that serve k = 10 takes 1.1–1.3 s on a quiet 2-core machine (more under load), which a step
     * of tens of microseconds repays only over hundreds of thousands of steps. Between
     * {@link #SMALL_VECTOR_MIN_WORK} and this, only the one kernel that has been the fastest for
     * that width everywhere it was measured is a candidate ({@link #smallKernel}).
     */
    static final long VECTOR_MIN_WORK = 100_000L;
    /**
     * Least |Ω|·k for which one vector kernel is a candidate. Its compilation (0.30–0.32 s for the
     * padded register kernel alone, in a fresh JVM on a 2-core Xeon guest) is paid once per JVM,
     * and the saving per step depends on the machine: at d = 100, p = 0.3, r̂ = 10 (|Ω|·k = 3·10⁴)
     * the padded kernel's call took 16.5 µs against the dense path's 19.9 on an AMD EPYC guest,
     * but ≈ 20 against 42–66 µs on a Xeon guest (family 6 model 106), where the dense path's
     * small GEMMs run at a fifth of the dgemm rate.
     */
    static final long SMALL_VECTOR_MIN_WORK = 10_000L;
    /** Largest |Ω|·k that is timed (≈ 5–20 ms per sparse evaluation on one core). */
    static final long TIMED_MAX_WORK = 10_000_000L;

    /**
     * A chosen path: dense, or the sparse kernel with its row parts and the width of its column
     * panels (0: none; {@link SparseCompletionOracle.Panels}), and why.
     */
    record Choice(boolean dense, CompletionKernel kernel, int parts, int panelWidth, String reason) {
        String path() {
            return dense ? "dense GEMM" : "sparse fused " + kernel.name() + (parts > 1 ? ", " + parts + " threads" : ", 1 thread")
                    + (panelWidth > 0 ? ", panels of " + panelWidth + " columns" : "");
        }

        /** "sparse fused vector (256-bit), 2 threads: timed 41 µs vs dense GEMM 63 µs, …". */
        String describe() {
            return path() + " (" + reason + ")";
        }
    }

    private CompletionPathChoice() {
    }

    /** Forced dense. */
    static Choice forcedDense() {
        return new Choice(true, null, 1, 0, "forced");
    }

    /** Forced sparse, kernel and split by the untimed rule. */
    static Choice forcedSparse(CompletionProblem p, int k) {
        return untimedSparse(p, k, "forced");
    }

    private static Choice untimedSparse(CompletionProblem p, int k, String why) {
        long work = (long) p.observed().nonZeros() * k;
        String forced = System.getProperty("cdln.kernel", "");
        CompletionKernel kernel = forced.equals("vector") || (work >= VECTOR_MIN_WORK && !forced.equals("scalar"))
                ? CompletionKernel.preferred() : CompletionKernel.scalar();
        // a named vector kernel, where the module is present and it serves k
        CompletionKernel named = switch (forced) {
            case "registers" -> CompletionKernel.vectorRegisters();
            case "blocks" -> CompletionKernel.vectorBlocks();
            case "padded" -> CompletionKernel.vectorPaddedRegisters();
            default -> null;
        };
        if (named != null && named.servesWidth(k)) {
            kernel = named;
        }
        int parts = Parallel.partsFor(p.rows(), 3L * p.observed().nonZeros() * k);
        return new Choice(false, kernel, parts, rulePanelWidth(k, p.cols()), why);
    }

    /** The column panels the sparse path gets when they are not measured: {@link SparseCompletionOracle.Panels}' rule. */
    static int rulePanelWidth(int k, int cols) {
        return SparseCompletionOracle.Panels.needed(k, cols) ? SparseCompletionOracle.Panels.width(k) : 0;
    }

    /**
     * A problem too large to time whole. Where its factors need column panels the kernels are
     * timed as the real sweep runs them — every kernel at every panel width of
     * {@link #panelTimes}, on the problem's own entries in its first panel — and the pair with the
     * least time per entry wins, unless others come within {@link #FINALIST_RATIO} of it and its
     * time, extrapolated, is under the dense path's: then those finalists are timed on whole
     * evaluations ({@link #wholeEvaluations}) and the least median wins. Without panels the
     * kernel that sweeps its first rows fastest (about {@link #SAMPLE_ENTRIES} entries through the
     * kernel alone, at random factors, in alternating rounds after each kernel's warm-up) wins. Either time is extrapolated to all of Ω, split by
     * the work rule, and set against (when the dense path fits) three d1·d2·k GEMMs extrapolated
     * from one on a block of 256 rows; the sparse path is taken only below {@link #SPARSE_MARGIN}
     * of the dense time.
     */
    private static Choice large(CompletionProblem p, int k, LinearAlgebra la, boolean denseCandidate) {
        int parts = Parallel.partsFor(p.rows(), 3L * p.observed().nonZeros() * k);
        List<CompletionKernel> kernels = candidateKernels(k, true);
        for (CompletionKernel kernel : kernels) {
            kernel.warmUp(k);
        }
        StringBuilder why = new StringBuilder(String.format(Locale.ROOT, "|Ω|·k = %.2g too large to time whole; ",
                (double) p.observed().nonZeros() * k));
        int block = Math.min(p.rows(), 256);
        double dense = denseCandidate ? threeGemmSeconds(p, k, block, la, new Rng(12345)) : Double.POSITIVE_INFINITY;
        int w;
        int width;
        double sparse;
        if (SparseCompletionOracle.Panels.needed(k, p.cols())) {
            // a sample of the first rows gathers from all of R, out of cache, where the panelled
            // sweep finds each panel's block of R in cache: a ranking of the kernels on such a
            // sample is one of memory latency, and once picked a kernel 1.5–2× slower per step
            PanelTimes t = panelTimes(p, k, kernels, why);
            w = t.kernel();
            width = t.width();
            sparse = t.secondsPerEntry() * p.observed().nonZeros();
            // one panel ranks the pairs, but not always as whole evaluations do (measured at
            // 10⁵×10⁵: two kernels 4 % apart per entry on a panel, 1.2–1.4× apart per step); not
            // worth their evaluations where the dense path is faster than the best of them anyway
            // (the original d = 1000 network: 3.5× slower, 185 ms per sparse evaluation)
            if (t.close().size() > 1 && sparse <= dense) {
                Finalist f = wholeEvaluations(p, k, kernels, t.close(), why);
                w = f.kernel();
                width = f.width();
                sparse = f.seconds();
            }
        } else {
            double[] best = firstRowsTimes(p, k, kernels, why);
            w = 0;
            for (int c = 1; c < kernels.size(); c++) {
                w = best[c] < best[w] ? c : w;
            }
            width = 0;
            sparse = best[w];
        }
        // the whole sparse evaluation on one thread (not divided by the parts: a split does not
        // scale perfectly, least of all on a busy machine)
        why.append(String.format(Locale.ROOT, " → sparse ≈ %s per evaluation", time(sparse)));
        if (!denseCandidate) {
            why.append("; dense left out: two ").append(p.rows()).append("×").append(p.cols())
                    .append(" workspaces do not fit or |Ω| is under 1/").append(DENSE_SKIP_RATIO).append(" of d1·d2");
        } else {
            why.append(String.format(Locale.ROOT, ", dense ≈ %s (three GEMMs, from one %d×%d×%d GEMM)", time(dense),
                    block, k, p.cols()));
            // the sparse time is the less certain estimate (extrapolated from a sample or a panel,
            // or a few evaluations at random factors; a sample's rows may sit in cache where all of
            // Ω does not): the sparse path must win by a margin
            if (sparse > SPARSE_MARGIN * dense) {
                return new Choice(true, null, 1, 0, why.toString());
            }
        }
        return new Choice(false, kernels.get(w), parts, width, why.toString());
    }

    /**
     * Each kernel's least time over its first rows (about {@link #SAMPLE_ENTRIES} entries, five
     * timed of seven alternating rounds), extrapolated to all of Ω; appended to {@code why}.
     */
    private static double[] firstRowsTimes(CompletionProblem p, int k, List<CompletionKernel> kernels, StringBuilder why) {
        int[] ptr = p.observed().rowPointers();
        int[] col = p.observed().columnIndices();
        double[] y = p.observed().values();
        int rowsTo = 0;
        while (rowsTo < p.rows() && ptr[rowsTo] < SAMPLE_ENTRIES) {
            rowsTo++;
        }
        Rng rng = new Rng(12345);
        double[] l = rng.gaussianMatrix(rowsTo, k, 1.0 / Math.sqrt(k)).data();
        int kMax = 0;
        for (CompletionKernel kernel : kernels) {
            kMax = Math.max(kMax, kernel.stride(k));
        }
        // R at the widest stride any kernel needs: each kernel reads its own
        // stride's columns (the values differ, the work does not)
        double[] r = rng.gaussianMatrix(kMax, p.cols(), 1.0).data();
        double[] rowOut = new double[rowsTo * k];
        double[] colOut = new double[kMax * p.cols()];
        double[] buf = new double[2 * kMax];
        double[] best = new double[kernels.size()];
        java.util.Arrays.fill(best, Double.POSITIVE_INFINITY);
        for (int round = 0; round < 7; round++) {
            for (int c = 0; c < kernels.size(); c++) {
                long t0 = System.nanoTime();
                kernels.get(c).sweep(k, ptr, col, y, 0, rowsTo, l, 1, rowsTo, r, 1e-6, rowOut, false, colOut, buf);
                double t = (System.nanoTime() - t0) * 1e-9;
                if (round >= 2) {
                    best[c] = Math.min(best[c], t);
                }
            }
        }
        why.append(String.format(Locale.ROOT, "kernels timed on the first %d rows (%d entries), extrapolated to all of Ω: ",
                rowsTo, ptr[rowsTo]));
        for (int c = 0; c < kernels.size(); c++) {
            best[c] *= (double) p.observed().nonZeros() / Math.max(1, ptr[rowsTo]);
            why.append(c > 0 ? ", " : "").append(kernels.get(c).name()).append(' ').append(time(best[c]));
        }
        return best;
    }

    /** The dense path's three d1·d2·k GEMMs, extrapolated from the least of three on a block of rows. */
    private static double threeGemmSeconds(CompletionProblem p, int k, int block, LinearAlgebra la, Rng rng) {
        Matrix a = rng.gaussianMatrix(block, k, 1.0);
        Matrix b = rng.gaussianMatrix(k, p.cols(), 1.0);
        Matrix c = new Matrix(block, p.cols());
        double gemm = Double.POSITIVE_INFINITY;
        for (int rep = 0; rep < 3; rep++) {
            long t0 = System.nanoTime();
            la.gemm(false, false, 1.0, a, b, 0.0, c);
            gemm = Math.min(gemm, (System.nanoTime() - t0) * 1e-9);
        }
        return 3.0 * gemm * p.rows() / block;
    }

    /** Cache budgets (bytes of R and Lᵀ·G per panel) whose panel widths {@link #panelTimes} times. */
    static final long[] PANEL_BUDGETS = {1L << 20, 2L << 20, 4L << 20, 8L << 20};

    /** A kernel (an index into the candidates) with a column panel width (0: no panels). */
    record Pair(int kernel, int width) {
    }

    /**
     * What {@link #panelTimes} found: the pairs within {@link #FINALIST_RATIO} of the fastest,
     * fastest first (at most {@link #MAX_FINALISTS}; none where no panels are needed), and the
     * fastest one's seconds per entry.
     */
    record PanelTimes(List<Pair> close, double secondsPerEntry) {
        /** The fastest pair's kernel (the first candidate where nothing was timed). */
        int kernel() {
            return close.isEmpty() ? 0 : close.get(0).kernel();
        }

        /** The fastest pair's panel width (0 where nothing was timed). */
        int width() {
            return close.isEmpty() ? 0 : close.get(0).width();
        }
    }

    /** The kernel (an index into the candidates) and panel width that won whole evaluations, and its seconds per evaluation. */
    record Finalist(int kernel, int width, double seconds) {
    }

    /** Pairs within this ratio of the fastest per entry on one panel are timed on whole evaluations. */
    static final double FINALIST_RATIO = 1.3;
    /** Most pairs timed on whole evaluations. */
    static final int MAX_FINALISTS = 3;

    /**
     * The finalists of {@link #panelTimes} timed as the training loop runs them: each pair's
     * oracle (its own column panels, one thread) evaluates loss and both gradient products at
     * random factors, once untimed and three times timed, in alternating rounds; the least median
     * wins. Finalists beyond what the heap holds (16 bytes per observed entry each, 24 each when
     * one of them takes the values scaled, beside the problem) are left out. Returns the winner with its
     * median seconds per evaluation; the times are appended to {@code why}. Cost: 4 evaluations per
     * finalist (0.16–0.34 s each at 10⁵×10⁵, 10⁷ observed, r̂ = 20, on a 2-core Xeon guest).
     */
    static Finalist wholeEvaluations(CompletionProblem p, int k, List<CompletionKernel> kernels,
                                     List<Pair> close, StringBuilder why) {
        long perEntry = 16;
        for (Pair pair : close) {
            if (kernels.get(pair.kernel()).scaledValues()) {
                perEntry = 24;   // its own copy of the values, divided by |Ω|
            }
        }
        long bytes = perEntry * p.observed().nonZeros();
        int n = finalistsThatFit(close.size(), bytes);
        if (n < close.size()) {
            // the heap's use counts the garbage of the panel timing (12 bytes per entry of each
            // width's sample) until a collection: ask for one once, then count again
            System.gc();
            n = finalistsThatFit(close.size(), bytes);
        }
        List<LossGradientOracle> oracles = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            Pair pair = close.get(c);
            oracles.add(new SparseCompletionOracle(p, k, 1, pair.width(), kernels.get(pair.kernel())));
        }
        Rng rng = new Rng(12345);
        Matrix left = rng.gaussianMatrix(p.rows(), k, 1.0 / Math.sqrt(k));
        Matrix right = rng.gaussianMatrix(k, p.cols(), 1.0);
        Matrix gRightT = new Matrix(p.rows(), k);
        Matrix leftTG = new Matrix(k, p.cols());
        double[][] t = new double[n][3];
        for (int round = 0; round < 4; round++) {
            for (int c = 0; c < n; c++) {
                long t0 = System.nanoTime();
                oracles.get(c).lossAndGradientProducts(left, right, gRightT, leftTG);
                if (round > 0) {
                    t[c][round - 1] = (System.nanoTime() - t0) * 1e-9;
                }
            }
        }
        int win = 0;
        double[] median = new double[n];
        why.append("; the closest timed on whole evaluations (medians of 3):");
        for (int c = 0; c < n; c++) {
            java.util.Arrays.sort(t[c]);
            median[c] = t[c][1];
            win = median[c] < median[win] ? c : win;
            int width = close.get(c).width();
            why.append(c > 0 ? "," : "").append(' ').append(kernels.get(close.get(c).kernel()).name()).append(' ')
                    .append(width == 0 ? "no panels" : width + " columns").append(' ').append(time(median[c]));
        }
        if (n < close.size()) {
            why.append(" (").append(close.size() - n).append(" more left out: the heap holds no more)");
        }
        return new Finalist(close.get(win).kernel(), close.get(win).width(), median[win]);
    }

    /** How many of {@code wanted} oracles of {@code bytes} each fit in half the heap's free room (at least one). */
    private static int finalistsThatFit(int wanted, long bytes) {
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        return (int) Math.max(1, Math.min(wanted, free / 2 / Math.max(1, bytes)));
    }

    /**
     * The kernel and column panel width of a large problem's sparse path, measured together: where
     * the rule ({@link SparseCompletionOracle.Panels}) asks for panels, every kernel at each width
     * of {@link #PANEL_BUDGETS} (none when it covers all columns) sweeps the problem's own entries
     * in its first panel, all rows, as a later panel of the real sweep (adding to G·Rᵀ), in
     * alternating rounds; the least time per entry wins. One whole panel keeps what decides both —
     * each column of R and Lᵀ·G reused by every row of the panel, L and G·Rᵀ streamed once per
     * panel, and the kernel's arithmetic on data in cache — at a fraction of an evaluation. The
     * times are appended to {@code why}. Where no panels are needed: the first kernel, no panels,
     * untimed (NaN). Cost: O(|Ω|) per width to gather the panel's entries (12 bytes each kept while
     * timing), an untimed and two timed sweeps of one panel per kernel and width, and a third timed
     * one for the pairs within {@link #HOPELESS_RATIO} of the best (3–4 s at 10⁷ entries, r̂ = 20,
     * three kernels and four widths: a few steps of that problem).
     */
    static PanelTimes panelTimes(CompletionProblem p, int k, List<CompletionKernel> kernels, StringBuilder why) {
        if (!SparseCompletionOracle.Panels.needed(k, p.cols())) {
            return new PanelTimes(List.of(), Double.NaN);
        }
        List<Integer> widths = new ArrayList<>();
        for (long budget : PANEL_BUDGETS) {
            int w = SparseCompletionOracle.Panels.width(k, budget);
            w = w >= p.cols() ? 0 : w;
            if (!widths.contains(w)) {
                widths.add(w);
            }
        }
        int rows = p.rows();
        int kp = 0;
        for (CompletionKernel kernel : kernels) {
            kp = Math.max(kp, kernel.stride(k));
        }
        Rng rng = new Rng(54321);
        double[] lT = rng.gaussianMatrix(rows, k, 1.0 / Math.sqrt(k)).data();   // read as Lᵀ, row i at i·k
        // R at the widest stride any kernel needs: each kernel reads its own
        // stride's columns (the values differ, the work does not)
        double[] r = rng.gaussianMatrix(kp, p.cols(), 1.0).data();
        double[] rowOut = new double[rows * k];
        double[] colOut = new double[kp * p.cols()];
        double[] buf = new double[2 * kp + 16];
        SparseCompletionOracle.Panels[] sample = new SparseCompletionOracle.Panels[widths.size()];
        long[] entries = new long[widths.size()];
        for (int c = 0; c < widths.size(); c++) {
            int span = widths.get(c) == 0 ? p.cols() : widths.get(c);
            sample[c] = new SparseCompletionOracle.Panels(p.observed(), span, span);
            entries[c] = Math.max(1, sample[c].col.length);
        }
        int n = kernels.size();
        double[][] best = new double[n][widths.size()];
        for (double[] b : best) {
            java.util.Arrays.fill(b, Double.POSITIVE_INFINITY);
        }
        double least = Double.POSITIVE_INFINITY;
        for (int round = 0; round < 4; round++) {
            for (int c = 0; c < widths.size(); c++) {
                SparseCompletionOracle.Panels s = sample[c];
                for (int q = 0; q < n; q++) {
                    // after two timed rounds (one can fall into a loaded moment), only the pairs
                    // within HOPELESS_RATIO of the best
                    if (round > 2 && best[q][c] > HOPELESS_RATIO * least) {
                        continue;
                    }
                    long t0 = System.nanoTime();
                    kernels.get(q).sweep(k, s.rowPtr[0], s.col, s.y, 0, rows, lT, k, 1, r, 1e-6, rowOut, true, colOut, buf);
                    double t = (System.nanoTime() - t0) * 1e-9 / entries[c];
                    if (round > 0) {
                        best[q][c] = Math.min(best[q][c], t);
                        least = Math.min(least, t);
                    }
                }
            }
        }
        // least is the fastest pair's time: the pairs within FINALIST_RATIO of it, fastest first
        // (a stable sort: of equal times, the earlier kernel and width)
        record Timed(Pair pair, double perEntry) {
        }
        List<Timed> close = new ArrayList<>();
        why.append("kernels and column panels timed per entry on their first panel, all rows:");
        for (int q = 0; q < n; q++) {
            why.append(q > 0 ? ";" : "").append(' ').append(kernels.get(q).name());
            for (int c = 0; c < widths.size(); c++) {
                int w = widths.get(c);
                why.append(c > 0 ? "," : "").append(' ').append(w == 0 ? "none" : w + " columns").append(' ')
                        .append(String.format(Locale.ROOT, "%.1f ns", best[q][c] * 1e9));
                if (best[q][c] <= FINALIST_RATIO * least) {
                    close.add(new Timed(new Pair(q, w), best[q][c]));
                }
            }
        }
        close.sort(java.util.Comparator.comparingDouble(Timed::perEntry));
        List<Pair> finalists = close.stream().limit(MAX_FINALISTS).map(Timed::pair).toList();
        return new PanelTimes(finalists, least);
    }

    /**
     * The kernels a problem of inner width k and |Ω|·k = {@code work} is timed with: from
     * {@link #VECTOR_MIN_WORK} those of {@link #candidateKernels(int, boolean)} with the vector
     * kernels; below it the scalar kernel and, from {@link #SMALL_VECTOR_MIN_WORK}, the
     * {@link #smallKernel}.
     */
    private static List<CompletionKernel> candidateKernels(int k, long work) {
        if (work >= VECTOR_MIN_WORK) {
            return candidateKernels(k, true);
        }
        List<CompletionKernel> kernels = candidateKernels(k, false);
        CompletionKernel small = work >= SMALL_VECTOR_MIN_WORK ? smallKernel(k) : null;
        if (small != null) {
            kernels.add(small);
        }
        return kernels;
    }

    /**
     * The vector kernel a problem below {@link #VECTOR_MIN_WORK} is timed with, or null (no vector
     * module, {@code cdln.kernel=scalar}, or no kernel for k): the padded register kernel where it
     * serves k (9–12), else the register kernel (8–11, 20–23), else the plain vector one — the
     * order of their times in every JMH and race table measured (the padded kernel 0.7–0.8× the
     * register one, that one 0.4–0.9× the plain one).
     */
    static CompletionKernel smallKernel(int k) {
        if (CompletionKernel.vector() == null || "scalar".equals(System.getProperty("cdln.kernel"))) {
            return null;
        }
        for (CompletionKernel v : new CompletionKernel[] {CompletionKernel.vectorPaddedRegisters(),
            CompletionKernel.vectorRegisters(), CompletionKernel.vector()}) {
            if (v != null && v.servesWidth(k)) {
                return v;
            }
        }
        return null;
    }

    /**
     * The kernels a problem of inner width k is timed with: the scalar one, and — when
     * {@code vectors}, the vector module is present and {@code cdln.kernel} is not "scalar" —
     * every vector kernel that serves k.
     */
    private static List<CompletionKernel> candidateKernels(int k, boolean vectors) {
        List<CompletionKernel> kernels = new ArrayList<>();
        kernels.add(CompletionKernel.scalar());
        if (vectors && CompletionKernel.vector() != null && !"scalar".equals(System.getProperty("cdln.kernel"))) {
            for (CompletionKernel v : new CompletionKernel[] {CompletionKernel.vector(), CompletionKernel.vectorRegisters(),
                CompletionKernel.vectorBlocks(), CompletionKernel.vectorPaddedRegisters()}) {
                if (v.servesWidth(k)) {
                    kernels.add(v);
                }
            }
        }
        return kernels;
    }

    /** A large problem leaves the dense path only when the sparse estimate is below this share of it. */
    static final double SPARSE_MARGIN = 0.7;

    /** Entries the kernels of a large problem are timed on. */
    static final int SAMPLE_ENTRIES = 200_000;

    private record Candidate(Choice choice, LossGradientOracle evaluator) {
    }

    /** Times the candidates on the problem (see the class comment). */
    static Choice choose(CompletionProblem p, int k, LinearAlgebra la) {
        long nnz = p.observed().nonZeros();
        long entries = (long) p.rows() * p.cols();
        long work = nnz * k;
        boolean denseFits = entries <= DENSE_MAX_ENTRIES
                && 16.0 * entries <= Runtime.getRuntime().maxMemory() / 8.0;
        boolean denseWorth = entries <= (long) DENSE_SKIP_RATIO * nnz;
        if (work > TIMED_MAX_WORK) {
            return large(p, k, la, denseFits && denseWorth);
        }
        List<Candidate> cs = new ArrayList<>();
        List<CompletionKernel> kernels = candidateKernels(k, work);
        int threads = Parallel.threads();
        // a split is a candidate when each part would get at least MIN_WORK_PER_PART multiply-adds
        int maxParts = 3L * work >= 2L * Parallel.MIN_WORK_PER_PART ? Math.max(1, Math.min(threads, p.rows())) : 1;
        int panelWidth = rulePanelWidth(k, p.cols());
        for (CompletionKernel kernel : kernels) {
            kernel.warmUp(k);
            for (int parts : maxParts > 1 ? new int[] {1, maxParts} : new int[] {1}) {
                cs.add(new Candidate(new Choice(false, kernel, parts, panelWidth, ""),
                        new SparseCompletionOracle(p, k, parts, panelWidth, kernel)));
            }
        }
        if (denseFits && denseWorth) {
            cs.add(new Candidate(new Choice(true, null, 1, 0, ""), p.newDenseOracle(k, la)));
        }
        Rng rng = new Rng(12345);
        Matrix left = rng.gaussianMatrix(p.rows(), k, 1.0 / Math.sqrt(k));
        Matrix right = rng.gaussianMatrix(k, p.cols(), 1.0);
        Matrix gRightT = new Matrix(p.rows(), k);
        Matrix leftTG = new Matrix(k, p.cols());
        Race race = race(cs.size(), new Trial() {
            private long allocated;

            @Override
            public double run(int i) {
                LossGradientOracle ev = cs.get(i).evaluator();
                if (ev instanceof SparseCompletionOracle s) {
                    // untimed: its choice of padded buffers, made again after a collection (the
                    // race's other candidates may still be compiling, and allocating, and a young
                    // collection moves the buffers), so that the race times the buffers it keeps
                    s.settleAlignment(left, right, gRightT, leftTG);
                }
                if (threads > 1) {
                    // timed right after an untimed run of its own, so that a candidate that hands
                    // work to the other threads (a split kernel, or the dense path's concurrent
                    // products) finds them awake, as in a training loop that does so every step
                    ev.lossAndGradientProducts(left, right, gRightT, leftTG);
                }
                long a0 = CompletionKernel.allocatedBytes();
                long t0 = System.nanoTime();
                ev.lossAndGradientProducts(left, right, gRightT, leftTG);
                double t = (System.nanoTime() - t0) * 1e-9;
                allocated = a0 < 0 ? 0 : CompletionKernel.allocatedBytes() - a0;
                return t;
            }

            @Override
            public long allocatedBytes(int i) {
                return allocated;
            }
        }, allocationLimit(nnz));
        Candidate best = cs.get(race.winner());
        double[] medians = race.medians();
        StringBuilder why = new StringBuilder("timed per evaluation: ");
        for (int i = 0; i < cs.size(); i++) {
            if (i > 0) {
                why.append(", ");
            }
            Choice c = cs.get(i).choice();
            why.append(c.dense() ? "dense" : c.kernel().name() + "/" + c.parts()).append(' ').append(time(medians[i]));
            if (race.rounds()[i] < race.rounds()[race.winner()]) {
                why.append(" (left after ").append(race.rounds()[i]).append(" rounds)");
            }
        }
        why.append(String.format(Locale.ROOT, " (medians of %d interleaved rounds)", race.rounds()[race.winner()]));
        if (!denseFits) {
            why.append("; dense left out: two ").append(p.rows()).append("×").append(p.cols()).append(" workspaces do not fit");
        } else if (!denseWorth) {
            why.append("; dense left out: |Ω| is under 1/").append(DENSE_SKIP_RATIO).append(" of d1·d2");
        }
        Choice b = best.choice();
        return new Choice(b.dense(), b.kernel(), b.parts(), b.panelWidth(), why.toString());
    }

    /** Least timed rounds before a candidate may be left out of the race or the race ends. */
    static final int MIN_ROUNDS = 5;
    /** Most timed rounds. */
    static final int MAX_ROUNDS = 64;
    /** A candidate whose median is this many times the best one's leaves the race. */
    static final double HOPELESS_RATIO = 2.0;

    /**
     * Runs candidate i once and returns the seconds it took (a real clock, or a fake one in tests),
     * and tells what that run allocated.
     */
    @FunctionalInterface
    interface Trial {
        double run(int candidate);

        /** Bytes the last {@link #run} of this candidate allocated on the calling thread (0 when unknown). */
        default long allocatedBytes(int candidate) {
            return 0;
        }
    }

    /**
     * Most bytes one evaluation of a compiled candidate allocates: 16 per observed entry plus
     * 64 KiB. A compiled step allocates nothing (the thread crew's hand-off aside), while a
     * vector kernel that C1 or the interpreter runs boxes every vector operation — hundreds of
     * bytes per entry (115.6 MB in one evaluation of the original d = 300 network).
     */
    static long allocationLimit(long observed) {
        return 16L * observed + (64L << 10);
    }

    /** {@link #race(int, Trial, long)} without an allocation rule. */
    static Race race(int n, Trial trial) {
        return race(n, trial, Long.MAX_VALUE);
    }

    /**
     * A race's outcome: each candidate's median of its timed rounds, how many it ran (fewer for
     * those that left early) and the winner, the least median.
     */
    record Race(double[] medians, int[] rounds, int winner) {
    }

    /**
     * Times n candidates against each other. All run in every round, in turn, so that JIT
     * compilation, caches and the machine's load treat them alike. Warm-up rounds first (untimed):
     * at least two and {@link #WARMUP_SECONDS}, and on while any candidate still gets twice as
     * fast from one round to the next, is twice in a row 3× slower than its fastest, or allocates
     * more than {@code allocationLimit} bytes in a round (the JIT is still compiling it: an
     * uncompiled vector kernel can run steadily, and steadily 100× too slow, for many rounds at
     * its first real shape), at most {@link #MAX_WARMUP_SECONDS}. Then timed rounds until {@link #BUDGET_SECONDS} are spent, at
     * least {@link #MIN_ROUNDS} and at most {@link #MAX_ROUNDS}; from the {@link #MIN_ROUNDS}th on,
     * a candidate whose median is {@link #HOPELESS_RATIO} times the best one's leaves, so that
     * the close ones get the rounds. The winner has the least median of its later two thirds of
     * rounds: one fast outlier (a quiet moment of a shared machine) cannot decide it, nor one slow
     * one, nor the first rounds of a candidate the JIT compiled late. Time is the sum of what the
     * trials report, so a fake trial drives it exactly.
     */
    static Race race(int n, Trial trial, long allocationLimit) {
        double[] last = new double[n];
        double[] fastest = new double[n];
        java.util.Arrays.fill(last, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(fastest, Double.POSITIVE_INFINITY);
        double warm = 0.0;
        for (int w = 0; ; w++) {
            boolean unsettled = false;
            for (int i = 0; i < n; i++) {
                double t = trial.run(i);
                warm += t;
                // still compiling: twice as fast as the round before, or twice in a row three
                // times slower than its fastest (a kernel the JIT deoptimised at its first real
                // call runs interpreted until it is recompiled; load alone rarely does that)
                unsettled |= t < 0.5 * last[i] || (t > 3 * fastest[i] && last[i] > 3 * fastest[i])
                        || trial.allocatedBytes(i) > allocationLimit;
                last[i] = t;
                fastest[i] = Math.min(fastest[i], t);
            }
            if (warm > MAX_WARMUP_SECONDS || (w >= 1 && warm >= WARMUP_SECONDS && !unsettled)) {
                break;
            }
        }
        double[][] times = new double[n][MAX_ROUNDS];
        int[] rounds = new int[n];
        boolean[] active = new boolean[n];
        java.util.Arrays.fill(active, true);
        double[] medians = new double[n];
        double spent = 0.0;
        int winner = 0;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            for (int i = 0; i < n; i++) {
                if (active[i]) {
                    double t = trial.run(i);
                    spent += t;
                    times[i][rounds[i]++] = t;
                }
            }
            winner = 0;
            for (int i = 0; i < n; i++) {
                medians[i] = laterMedian(times[i], rounds[i]);
                if (medians[i] < medians[winner]) {
                    winner = i;
                }
            }
            if (round + 1 >= MIN_ROUNDS) {
                double perRound = 0.0;
                for (int i = 0; i < n; i++) {
                    // hopeless: slow by its median and in its latest round (not one just compiled)
                    double bar = HOPELESS_RATIO * medians[winner];
                    active[i] &= medians[i] <= bar || times[i][rounds[i] - 1] <= bar;
                    perRound += active[i] ? times[i][rounds[i] - 1] : 0.0;
                }
                if (spent + perRound > BUDGET_SECONDS) {
                    break;
                }
            }
        }
        return new Race(medians, rounds, winner);
    }

    /**
     * The median of the later rounds t[n/3, n) (all of them up to {@link #MIN_ROUNDS}): a
     * candidate that the JIT compiled late is judged by its compiled speed.
     */
    private static double laterMedian(double[] t, int n) {
        int from = n <= MIN_ROUNDS ? 0 : n / 3;
        double[] s = java.util.Arrays.copyOfRange(t, from, n);
        java.util.Arrays.sort(s);
        int m = s.length;
        return m % 2 == 1 ? s[m / 2] : 0.5 * (s[m / 2 - 1] + s[m / 2]);
    }

    static String time(double s) {
        if (s < 1e-3) {
            return String.format(Locale.ROOT, "%.1f µs", s * 1e6);
        }
        return String.format(Locale.ROOT, "%.2f ms", s * 1e3);
    }
}
