package org.cdln.problem;

import org.cdln.linalg.Matrix;
import org.cdln.linalg.Parallel;
import org.cdln.linalg.SparseMatrix;

/**
 * The completion oracle that never forms P = left·right (docs/method.md §2), so that
 * the cost of compressed completion follows the number of observations.
 *
 * <p>With L = left (d1×k) and R = right (k×d2), the residual of an observed entry e = (i, j) is
 * r_e = ⟨L[i,:], R[:,j]⟩ − y_e, and G = P_Ω(P − Y)/|Ω| is kept as one scaled residual
 * g_e = r_e/|Ω| per entry. Its products are scatters over Ω:
 * (G·Bᵀ)[i,:] = Σ_e g_e·B[:,j]ᵀ and (Aᵀ·G)[:,j] = Σ_e g_e·A[i,:]ᵀ.
 *
 * <p>{@link #lossAndGradientProducts}, the call of every training step, is one fused sweep over
 * Ω ({@link CompletionKernel}: scalar or vectorised, chosen by timing): per row, L[i,:] is loaded
 * once and each entry's residual is computed and immediately applied to the row of G·Rᵀ and to
 * column j of Lᵀ·G. L and G·Rᵀ are read and written in the network's column-major d1×k layout
 * (no transpose); R and Lᵀ·G are k×d2 column-major, column j contiguous. The residuals are not
 * stored: the separate {@link #gradientTimesTransposed} / {@link #transposedTimesGradient} calls
 * (not used by the training step) recompute them first, through the two-pass scalar code that
 * works on a transposed copy of L and keeps g_e per entry.
 *
 * <p>Large problems (R and Lᵀ·G over 2 MiB, e.g. 10⁵×10⁵ with r̂ = 20) are swept in column
 * panels ({@link Panels}): at 10⁷ observed entries that takes 2–3 times less time, because the
 * random accesses to R[:,j] and Lᵀ·G[:,j] then hit the cache. The fused sweep then reads a
 * transposed copy of L (one O(d1·k) copy per step, against the sweeps' O(|Ω|·k)), since each
 * row is visited once per panel. The panel width is a constructor argument: the rule
 * ({@link Panels#width(int)}, 2 MiB of R and Lᵀ·G per panel) or, for the problems too large to
 * time whole, the width {@link CompletionPathChoice} measured.
 *
 * <p>When the work is large enough for several threads ({@code parts} of them), the rows are cut
 * into {@link #chunksFor chunks} by stored entries — one per thread, or a large and a small one
 * per thread ({@link #chunkBounds}) — that the threads claim in turn ({@link Parallel#forChunks}),
 * so that a thread on a slower core runs fewer of them. The scatter into Aᵀ·G then goes to one
 * k×d2 buffer per chunk beyond the first, summed in chunk order at the end, which makes the result
 * the same bits whichever thread ran which chunk. Time per evaluation
 * O(|Ω|·k + d1·k + d2·k·chunks), memory O(|Ω| + d1·k + d2·k·chunks) (8·|Ω| bytes more once the
 * two-pass calls are used, and 8·|Ω| for a kernel that takes the values divided by |Ω|). A call
 * on one thread allocates nothing; a split one its task and the thread crew's record of the call,
 * 160 bytes (measured per call at d = 300 on 2 threads, for the halves as for the chunks).
 *
 * <p>For the kernels on padded factors (stride k̄ = 12), R and Lᵀ·G are swept in {@link
 * PaddedBuffers}, whose first fused calls try four placements of them in memory and keep the
 * fastest: a sweep whose 256-bit accesses never cross a cache line runs ≈ 10 % faster.
 */
final class SparseCompletionOracle implements LossGradientOracle {
    private final CompletionProblem problem;
    private final int k;
    private final int rows;
    private final int cols;
    private final int[] ptr;
    private final int[] col;
    private final double[] y;
    private final double invN;
    /** The values the kernel sweeps: y, or y·invN for a kernel that takes them so ({@link CompletionKernel#scaledValues}). */
    private final double[] sweepValues;
    /** g_e = (P_e − y_e)/|Ω| at the last point of a two-pass call ({@link #lossAndGradient}); null until then. */
    private double[] g;
    /** L[i,:] at i·k (k×d1 column-major = d1×k row-major). */
    private final double[] leftT;
    /** Aᵀ for another A, and G·Bᵀ row-major before its transpose; k·d1. */
    private final double[] scratch;
    /** Row chunks the sweeps are cut into ({@link #chunksFor}); 1 on one thread. */
    private final int chunks;
    private final int[] bounds;
    /** Per-chunk k×d2 scatter buffers for chunks 1..chunks−1 when there are no {@link #padded} buffers. */
    private final double[][] partial;
    private final double[] chunkSums;
    private final Matrix leftTView;
    private final Matrix scratchView;
    /** Column panels of a large problem, or null: see {@link Panels}. */
    private final Panels panels;
    /** The fused sweep's implementation (scalar or vector), chosen by measurement. */
    private final CompletionKernel kernel;
    /** Whether the fused sweep reads a transposed copy of L (panels) or L in place. */
    private final boolean transposedLeft;
    /** Per-part scratch of the fused kernel: L[i,:] and the row of G·Rᵀ, 2k̄ each. */
    private final double[][] buffers;
    /** The kernel's column stride k̄ ≥ k ({@link CompletionKernel#stride}). */
    private final int kp;
    /** R and the chunks' Lᵀ·G at stride k̄ when k̄ > k, else null (the kernel then works in the caller's arrays and {@link #partial}). */
    private final PaddedBuffers padded;
    private Matrix lastLeft;
    private Matrix lastRight;
    /** Whether g holds the residuals of the last point (false after a fused call). */
    private boolean gCurrent;
    /** Whether leftT holds the transpose of the last left factor. */
    private boolean leftTCurrent;

    SparseCompletionOracle(CompletionProblem problem, int innerWidth) {
        this(problem, innerWidth, Parallel.partsFor(problem.rows(), 3L * problem.observed().nonZeros() * innerWidth));
    }

    /** With an explicit number of row parts (tests check that the split changes nothing). */
    SparseCompletionOracle(CompletionProblem problem, int innerWidth, int parts) {
        this(problem, innerWidth, parts, Panels.needed(innerWidth, problem.cols()) ? Panels.width(innerWidth) : 0);
    }

    /** With explicit row parts and column panels of this width (0: no panels), for tests. */
    SparseCompletionOracle(CompletionProblem problem, int innerWidth, int parts, int panelWidth) {
        this(problem, innerWidth, parts, panelWidth, CompletionKernel.preferred());
    }

    /** With explicit row parts, column panels (0: none) and kernel implementation. */
    SparseCompletionOracle(CompletionProblem problem, int innerWidth, int parts, int panelWidth,
                           CompletionKernel kernel) {
        this(problem, innerWidth, parts, panelWidth, kernel, 0);
    }

    /**
     * With explicit row parts (the threads the sweeps are split over), column panels (0: none),
     * kernel implementation and number of row chunks (0: {@link #chunksFor}'s), for tests and
     * measurements.
     */
    SparseCompletionOracle(CompletionProblem problem, int innerWidth, int parts, int panelWidth,
                           CompletionKernel kernel, int chunks) {
        this.problem = problem;
        this.k = innerWidth;
        this.rows = problem.rows();
        this.cols = problem.cols();
        SparseMatrix observed = problem.observed();
        this.ptr = observed.rowPointers();
        this.col = observed.columnIndices();   // entry order of g: CSR, or panel by panel
        this.panels = panelWidth > 0 ? new Panels(observed, panelWidth) : null;
        this.y = panels == null ? observed.values() : panels.y;
        this.invN = 1.0 / observed.nonZeros();
        // g is allocated on the first two-pass call only: the fused training step does not store it
        this.leftT = new double[k * rows];
        this.scratch = new double[k * rows];
        this.leftTView = Matrix.wrap(k, rows, leftT);
        this.scratchView = Matrix.wrap(k, rows, scratch);
        this.kp = kernel.stride(innerWidth);
        int threads = Math.max(1, Math.min(parts, rows));
        this.chunks = chunks > 0 ? Math.min(chunks, rows) : chunksFor(threads, rows, ptr[rows], kp, cols);
        this.bounds = chunkBounds(ptr, rows, this.chunks, threads);
        this.kernel = kernel;
        this.sweepValues = kernel.scaledValues() ? scaled(y, invN) : y;
        this.partial = new double[this.chunks][];
        this.chunkSums = new double[this.chunks];
        this.transposedLeft = panels != null;
        // each chunk's scratch with two cache lines of slack behind it, so that chunks on different
        // cores never write to one line (the buffers are allocated one after the other)
        this.buffers = new double[this.chunks][2 * kp + 16];
        this.padded = kp == k ? null : new PaddedBuffers(kp * cols, this.chunks);
        if (padded == null) {
            for (int p = 1; p < this.chunks; p++) {
                partial[p] = new double[k * cols];
            }
        }
    }

    /** Part p's Aᵀ·G buffer (p ≥ 1): the padded one when the kernel works at stride k̄ > k (its first k·d2 doubles at stride k for the two-pass calls). */
    private double[] partialOut(int part) {
        return padded != null ? padded.colOut(part) : partial[part];
    }

    /**
     * Runs fused calls at this point while the padded buffers' placement is under trial (at most
     * {@link PaddedBuffers#CANDIDATES}·{@link PaddedBuffers#ROUNDS} calls per trial; none when
     * there is no choice, or when the choice stands since the last garbage collection), so that a
     * race between paths times the buffers the oracle keeps, not the trial.
     */
    void settleAlignment(Matrix left, Matrix right, Matrix gRightT, Matrix leftTG) {
        while (padded != null && padded.begin()) {
            lossAndGradientProducts(left, right, gRightT, leftTG);
        }
    }

    /** The placement of padded buffers kept (−1 while one is under trial, or when there is no choice), for tests. */
    int alignmentChoice() {
        return padded == null ? -1 : padded.choice();
    }

    /**
     * Largest Aᵀ·G buffer (k̄·d2 doubles, in bytes) for which the sweep gets more chunks than
     * threads: each chunk beyond the first adds one such buffer to clear and to sum at the end of
     * every call, which should come from L2.
     */
    static final long CHUNK_BUFFER_BYTES = 256L << 10;

    /**
     * How many row chunks a sweep over {@code nnz} entries on {@code parts} threads is cut into:
     * 1 on one thread; two per thread (a large and a small one, {@link #chunkBounds}) where the
     * Aᵀ·G buffers are at most {@link #CHUNK_BUFFER_BYTES} and summing the extra ones
     * ((chunks − 1)·k̄·d2 additions) costs under a sixteenth of the sweep's 3·|Ω|·k̄ multiply-adds;
     * else one per thread.
     *
     * <p>Why more chunks than threads: the two virtual CPUs of a cloud guest can run at different
     * speeds at the same moment (one at about half the other's rate, for seconds), and with one
     * fixed part each the faster one waits. Measured at d = 300, p = 0.3, k = 10 (padded kernel,
     * 2 threads, Xeon guest, family 6 model 106): one call's halves took 134 µs on the caller and
     * 75–80 µs on the worker. Cut as {@link #chunkBounds} cuts them (3/8, 3/8, 1/8, 1/8 of the
     * entries for 2 threads), each thread takes a large chunk and then whichever small one is
     * left; where both run at one speed that is the split in halves plus two more buffers to sum.
     * In a harness timing the oracle's call with each cut in interleaved rounds (medians of the
     * last 25 of 30 rounds of 200 calls at d = 300, 20 at d = 1000; 2 threads, the guest mostly
     * on its slow level, where one thread took 215–272 µs): d = 300 155.7–162.2 µs against
     * 163.1–167.2 µs for the halves (0.95–0.99×, three processes), d = 1000 1.61 ms against
     * 1.64–1.72 ms (0.94–0.98×, two). Four or eight equal chunks, tried first, were 0.85–1.13×
     * the halves: their extra buffers cost more where the speeds were even.
     */
    static int chunksFor(int parts, int rows, long nnz, int stride, int cols) {
        if (parts <= 1) {
            return 1;
        }
        int c = 2 * parts;   // the two sizes of chunkBounds
        boolean more = c <= rows && (long) stride * cols * Double.BYTES <= CHUNK_BUFFER_BYTES
                && (long) (c - 1) * cols * 16 <= 3L * nnz;
        return more ? c : parts;
    }

    /**
     * Row bounds of the chunks, by stored entries: equal shares when there is one chunk per
     * thread; otherwise the first {@code parts} chunks 3 shares each and the rest 1 each (for 2
     * threads: 3/8, 3/8, 1/8, 1/8 of the entries).
     */
    static int[] chunkBounds(int[] ptr, int rows, int chunks, int parts) {
        boolean twoSizes = chunks > parts;
        long total = twoSizes ? 3L * parts + (chunks - parts) : chunks;
        int[] b = new int[chunks + 1];
        long nnz = ptr[rows];
        int i = 0;
        long share = 0;
        for (int c = 1; c < chunks; c++) {
            share += twoSizes && c - 1 < parts ? 3 : 1;
            long target = nnz * share / total;
            while (i < rows && ptr[i] < target) {
                i++;
            }
            b[c] = i;
        }
        b[chunks] = rows;
        return b;
    }

    @Override
    public double lossAndGradient(Matrix left, Matrix right) {
        Validation.requireInnerShapes(problem, left, right, k);
        if (g == null) {
            g = new double[problem.observed().nonZeros()];
        }
        transpose(left, leftT);
        leftTCurrent = true;
        gCurrent = true;
        lastLeft = left;
        lastRight = right;
        double[] lt = leftT;
        double[] r = right.data();
        if (chunks == 1) {
            return 0.5 * residuals(0, rows, lt, r) * invN;
        }
        run((part, from, to) -> chunkSums[part] = residuals(from, to, lt, r));
        return 0.5 * sum(chunkSums) * invN;
    }

    @Override
    public double lossAndGradientProducts(Matrix left, Matrix right, Matrix gRightT, Matrix leftTG) {
        Validation.requireInnerShapes(problem, left, right, k);
        requireProductShapes(gRightT, leftTG);
        lastLeft = left;
        lastRight = right;
        gCurrent = false;
        double[] l;
        int rowStride;
        int colStride;
        double[] rowOut;
        if (transposedLeft) {
            transpose(left, leftT);
            leftTCurrent = true;
            l = leftT;
            rowStride = k;
            colStride = 1;
            rowOut = scratch;
        } else {
            leftTCurrent = false;
            l = left.data();
            rowStride = 1;
            colStride = rows;
            rowOut = gRightT.data();
        }
        double[] r = right.data();
        double[] colOut = leftTG.data();
        boolean timed = padded != null && padded.begin();
        long start = timed ? System.nanoTime() : 0L;
        if (padded != null) {
            pad(r, padded.right());
            r = padded.right();
            colOut = padded.colOut(0);
        }
        double ss = fusedParts(l, rowStride, colStride, r, rowOut, colOut);
        if (padded != null) {
            unpad(colOut, leftTG.data());
        }
        if (timed) {
            padded.end(System.nanoTime() - start);
        }
        if (transposedLeft) {
            transposeRowMajor(rowOut, gRightT);
        }
        return 0.5 * ss * invN;
    }

    /** src (k×d2, stride k) into dst (stride k̄); dst's rows k..k̄ stay zero. O(k·d2). */
    private void pad(double[] src, double[] dst) {
        for (int j = 0, a = 0, b = 0; j < cols; j++, a += k, b += kp) {
            System.arraycopy(src, a, dst, b, k);
        }
    }

    /** src (stride k̄) into dst (k×d2, stride k). O(k·d2). */
    private void unpad(double[] src, double[] dst) {
        for (int j = 0, a = 0, b = 0; j < cols; j++, a += kp, b += k) {
            System.arraycopy(src, a, dst, b, k);
        }
    }

    /** The fused sweep over all rows, cut into the chunks; returns Σ r_e². */
    private double fusedParts(double[] l, int rowStride, int colStride, double[] r, double[] rowOut,
                              double[] colOut) {
        double ss;
        if (chunks == 1) {
            java.util.Arrays.fill(colOut, 0.0);
            ss = fused(0, rows, l, rowStride, colStride, r, rowOut, colOut, buffers[0]);
        } else {
            run((part, from, to) -> {
                double[] out = part == 0 ? colOut : partialOut(part);
                java.util.Arrays.fill(out, 0.0);
                chunkSums[part] = fused(from, to, l, rowStride, colStride, r, rowOut, out, buffers[part]);
            });
            reducePartials(colOut);
            ss = sum(chunkSums);
        }
        return ss;
    }

    private static double[] scaled(double[] values, double by) {
        double[] out = new double[values.length];
        for (int e = 0; e < values.length; e++) {
            out[e] = values[e] * by;
        }
        return out;
    }

    /** The fused kernel over rows [from, to), panel by panel when the problem has panels. */
    private double fused(int from, int to, double[] l, int rowStride, int colStride, double[] r,
                         double[] rowOut, double[] colOut, double[] buf) {
        if (panels == null) {
            return kernel.sweep(k, ptr, col, sweepValues, from, to, l, rowStride, colStride, r, invN, rowOut, false, colOut, buf);
        }
        double ss = 0.0;
        for (int p = 0; p < panels.rowPtr.length; p++) {
            ss += kernel.sweep(k, panels.rowPtr[p], panels.col, sweepValues, from, to, l, rowStride, colStride, r,
                    invN, rowOut, p > 0, colOut, buf);
        }
        return ss;
    }

    /** Makes g and the transposed left factor refer to the last evaluated point (after a fused call). */
    private void ensureResiduals() {
        if (lastLeft == null) {
            throw new IllegalStateException("call lossAndGradient or lossAndGradientProducts first");
        }
        if (!gCurrent) {
            lossAndGradient(lastLeft, lastRight);
        }
    }

    private void ensureLeftT() {
        if (!leftTCurrent) {
            transpose(lastLeft, leftT);
            leftTCurrent = true;
        }
    }

    /**
     * g_e for the entries of rows [from, to); returns Σ r_e² over them. Four entries of a row
     * at a time share the loads of L[i,:] and give four independent sums.
     */
    private double residuals(int from, int to, double[] lt, double[] r) {
        if (panels == null) {
            return residuals(ptr, col, y, from, to, lt, r);
        }
        double ss = 0.0;
        for (int[] pp : panels.rowPtr) {
            ss += residuals(pp, panels.col, panels.y, from, to, lt, r);
        }
        return ss;
    }

    private double residuals(int[] ptr, int[] col, double[] y, int from, int to, double[] lt, double[] r) {
        final int k = this.k;
        final double[] g = this.g;
        final double invN = this.invN;
        double ss = 0.0;
        for (int i = from; i < to; i++) {
            int li = i * k;
            int e = ptr[i];
            int end = ptr[i + 1];
            for (; e + 3 < end; e += 4) {
                int j0 = col[e] * k;
                int j1 = col[e + 1] * k;
                int j2 = col[e + 2] * k;
                int j3 = col[e + 3] * k;
                double s0 = 0.0;
                double s1 = 0.0;
                double s2 = 0.0;
                double s3 = 0.0;
                for (int c = 0; c < k; c++) {
                    double l = lt[li + c];
                    s0 += l * r[j0 + c];
                    s1 += l * r[j1 + c];
                    s2 += l * r[j2 + c];
                    s3 += l * r[j3 + c];
                }
                double r0 = s0 - y[e];
                double r1 = s1 - y[e + 1];
                double r2 = s2 - y[e + 2];
                double r3 = s3 - y[e + 3];
                ss += (r0 * r0 + r1 * r1) + (r2 * r2 + r3 * r3);
                g[e] = r0 * invN;
                g[e + 1] = r1 * invN;
                g[e + 2] = r2 * invN;
                g[e + 3] = r3 * invN;
            }
            for (; e < end; e++) {
                double res = dot(lt, li, r, col[e] * k, k) - y[e];
                ss += res * res;
                g[e] = res * invN;
            }
        }
        return ss;
    }

    /**
     * For the rows [from, to): rowOut[i·k..] ← Σ_e g_e·B[:,j] (when {@code rows}) and
     * colOut[j·k..] += g_e·A[i,:] (when {@code cols}), with at = Aᵀ (k×d1) and b = B (k×d2).
     * Four entries of a row at a time: one pass over c updates the row sum once and four
     * columns.
     */
    private void scatter(int from, int to, double[] at, double[] b, double[] rowOut, double[] colOut,
                         boolean doRows, boolean doCols) {
        if (panels == null) {
            scatter(ptr, col, from, to, at, b, rowOut, colOut, doRows, doCols, true);
            return;
        }
        for (int p = 0; p < panels.rowPtr.length; p++) {
            scatter(panels.rowPtr[p], panels.col, from, to, at, b, rowOut, colOut, doRows, doCols, p == 0);
        }
    }

    private void scatter(int[] ptr, int[] col, int from, int to, double[] at, double[] b, double[] rowOut,
                         double[] colOut, boolean doRows, boolean doCols, boolean zeroRows) {
        final int k = this.k;
        final double[] g = this.g;
        for (int i = from; i < to; i++) {
            int li = i * k;
            if (doRows && zeroRows) {
                java.util.Arrays.fill(rowOut, li, li + k, 0.0);
            }
            int e = ptr[i];
            int end = ptr[i + 1];
            for (; e + 3 < end; e += 4) {
                int j0 = col[e] * k;
                int j1 = col[e + 1] * k;
                int j2 = col[e + 2] * k;
                int j3 = col[e + 3] * k;
                double g0 = g[e];
                double g1 = g[e + 1];
                double g2 = g[e + 2];
                double g3 = g[e + 3];
                if (doRows && doCols) {
                    for (int c = 0; c < k; c++) {
                        double l = at[li + c];
                        rowOut[li + c] += (g0 * b[j0 + c] + g1 * b[j1 + c]) + (g2 * b[j2 + c] + g3 * b[j3 + c]);
                        colOut[j0 + c] += g0 * l;
                        colOut[j1 + c] += g1 * l;
                        colOut[j2 + c] += g2 * l;
                        colOut[j3 + c] += g3 * l;
                    }
                } else if (doRows) {
                    for (int c = 0; c < k; c++) {
                        rowOut[li + c] += (g0 * b[j0 + c] + g1 * b[j1 + c]) + (g2 * b[j2 + c] + g3 * b[j3 + c]);
                    }
                } else {
                    for (int c = 0; c < k; c++) {
                        double l = at[li + c];
                        colOut[j0 + c] += g0 * l;
                        colOut[j1 + c] += g1 * l;
                        colOut[j2 + c] += g2 * l;
                        colOut[j3 + c] += g3 * l;
                    }
                }
            }
            for (; e < end; e++) {
                int j = col[e] * k;
                double ge = g[e];
                if (doRows) {
                    for (int c = 0; c < k; c++) {
                        rowOut[li + c] += ge * b[j + c];
                    }
                }
                if (doCols) {
                    for (int c = 0; c < k; c++) {
                        colOut[j + c] += ge * at[li + c];
                    }
                }
            }
        }
    }

    /** ⟨a[ai..ai+n), b[bi..bi+n)⟩ with four independent partial sums. */
    static double dot(double[] a, int ai, double[] b, int bi, int n) {
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        int c = 0;
        for (; c + 3 < n; c += 4) {
            s0 += a[ai + c] * b[bi + c];
            s1 += a[ai + c + 1] * b[bi + c + 1];
            s2 += a[ai + c + 2] * b[bi + c + 2];
            s3 += a[ai + c + 3] * b[bi + c + 3];
        }
        for (; c < n; c++) {
            s0 += a[ai + c] * b[bi + c];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public void gradientTimesTransposed(Matrix b, Matrix out) {
        if (b.rows() != k || b.cols() != cols || out.rows() != rows || out.cols() != k) {
            throw new IllegalArgumentException("G·Bᵀ: B " + b.shape() + ", out " + out.shape()
                    + " do not fit a " + rows + "×" + cols + " gradient with inner width " + k);
        }
        ensureResiduals();
        double[] bd = b.data();
        double[] rowOut = scratch;
        if (chunks == 1) {
            scatter(0, rows, null, bd, rowOut, null, true, false);
        } else {
            run((part, from, to) -> scatter(from, to, null, bd, rowOut, null, true, false));
        }
        transposeRowMajor(rowOut, out);
    }

    @Override
    public void transposedTimesGradient(Matrix a, Matrix out) {
        if (a.rows() != rows || a.cols() != k || out.rows() != k || out.cols() != cols) {
            throw new IllegalArgumentException("Aᵀ·G: A " + a.shape() + ", out " + out.shape()
                    + " do not fit a " + rows + "×" + cols + " gradient with inner width " + k);
        }
        ensureResiduals();
        double[] at = leftT;
        if (a != lastLeft) {
            transpose(a, scratch);
            at = scratch;
        }
        double[] ad = at;
        double[] colOut = out.data();
        if (chunks == 1) {
            java.util.Arrays.fill(colOut, 0.0);
            scatter(0, rows, ad, null, null, colOut, false, true);
            return;
        }
        run((part, from, to) -> {
            double[] od = part == 0 ? colOut : partialOut(part);
            java.util.Arrays.fill(od, 0.0);
            scatter(from, to, ad, null, null, od, false, true);
        });
        reducePartials(colOut);
    }

    @Override
    public double lastRecoveryError() {
        SparseMatrix h = problem.heldOut();
        if (h.nonZeros() == 0 || lastRight == null) {
            return Double.NaN;
        }
        ensureLeftT();
        return 0.5 * squaredResiduals(h, leftT, lastRight.data(), k) / h.nonZeros();
    }

    @Override
    public double loss(Matrix left, Matrix right) {
        Validation.requireInnerShapes(problem, left, right, k);
        double[] lt = new double[k * rows];
        transpose(left, lt);
        return 0.5 * squaredResiduals(problem.observed(), lt, right.data(), k) / problem.observed().nonZeros();
    }

    /** Σ_e (⟨lt[i·k..], r[j·k..]⟩ − y_e)² over the stored entries of s. */
    static double squaredResiduals(SparseMatrix s, double[] lt, double[] r, int k) {
        int[] sp = s.rowPointers();
        int[] sc = s.columnIndices();
        double[] sy = s.values();
        double ss = 0.0;
        for (int i = 0; i < s.rows(); i++) {
            int li = i * k;
            for (int e = sp[i]; e < sp[i + 1]; e++) {
                double res = dot(lt, li, r, sc[e] * k, k) - sy[e];
                ss += res * res;
            }
        }
        return ss;
    }

    /** (1/(2n))·Σ_e (P_e − y_e)² over the stored entries of s, for a dense P. */
    static double meanHalfSquaredError(SparseMatrix s, Matrix p) {
        if (s.nonZeros() == 0) {
            return Double.NaN;
        }
        int[] sp = s.rowPointers();
        int[] sc = s.columnIndices();
        double[] sy = s.values();
        double[] pd = p.data();
        int m = p.rows();
        double ss = 0.0;
        for (int i = 0; i < s.rows(); i++) {
            for (int e = sp[i]; e < sp[i + 1]; e++) {
                double r = pd[i + sc[e] * m] - sy[e];
                ss += r * r;
            }
        }
        return 0.5 * ss / s.nonZeros();
    }

    private void run(Parallel.PartTask task) {
        Parallel.forChunks(chunks, p -> bounds[p], task);
    }

    private void reducePartials(double[] out) {
        for (int p = 1; p < chunks; p++) {
            double[] o = partialOut(p);
            for (int x = 0; x < out.length; x++) {
                out[x] += o[x];
            }
        }
    }

    private static double sum(double[] v) {
        double s = 0.0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    private void requireProductShapes(Matrix gRightT, Matrix leftTG) {
        if (gRightT.rows() != rows || gRightT.cols() != k || leftTG.rows() != k || leftTG.cols() != cols) {
            throw new IllegalArgumentException("gradient products need G·Rᵀ " + rows + "×" + k + " and Lᵀ·G " + k
                    + "×" + cols + ", got " + gRightT.shape() + " and " + leftTG.shape());
        }
    }

    /** dst (k×d1 column-major) ← srcᵀ for src d1×k. */
    private void transpose(Matrix src, double[] dst) {
        src.transposeInto(dst == leftT ? leftTView : dst == scratch ? scratchView : Matrix.wrap(k, rows, dst));
    }

    /** out (d1×k) ← the d1×k row-major array src (the scratch workspace). */
    private void transposeRowMajor(double[] src, Matrix out) {
        (src == scratch ? scratchView : Matrix.wrap(k, rows, src)).transposeInto(out);
    }

    /**
     * The observed entries cut into column panels, for problems whose right factor R (k×d2) and
     * Lᵀ·G together exceed {@link #PANEL_BYTES}: each panel covers {@link #PANEL_BYTES}/(16·k)
     * columns, so that its block of R and of Lᵀ·G stay in cache while all rows are swept, and the rows of L and G·Rᵀ are streamed once per panel instead of
     * every entry missing the cache on R[:,j] and Lᵀ·G[:,j]. Entries are stored panel by panel,
     * each panel in CSR order with its own row pointers (absolute positions). Memory: 12 bytes
     * per entry plus 4·(d1 + 1) per panel.
     */
    static final class Panels {
        /** Cache budget for one panel's blocks of R and Lᵀ·G (measured best of 1, 2, 4, 8 MiB at 10⁵×10⁵). */
        static final long PANEL_BYTES = 2L << 20;

        final int[][] rowPtr;
        final int[] col;
        final double[] y;

        static boolean needed(int k, int cols) {
            return 16L * k * cols > PANEL_BYTES;
        }

        /** Columns per panel for inner width k. */
        static int width(int k) {
            return width(k, PANEL_BYTES);
        }

        /** Columns per panel for inner width k whose blocks of R and Lᵀ·G take {@code bytes}. */
        static int width(int k, long bytes) {
            return (int) Math.max(64, bytes / (16L * k));
        }

        Panels(SparseMatrix s, int width) {
            this(s, width, s.cols());
        }

        /** The panels of the entries in columns [0, colLimit) only (a sample: {@link CompletionPathChoice}). */
        Panels(SparseMatrix s, int width, int colLimit) {
            int count = Math.max(1, (colLimit + width - 1) / width);
            int rows = s.rows();
            int[] ptr = s.rowPointers();
            int[] sc = s.columnIndices();
            double[] sy = s.values();
            rowPtr = new int[count][rows + 1];
            int[] perPanel = new int[count + 1];
            for (int e = 0; e < sc.length; e++) {
                if (sc[e] < colLimit) {
                    perPanel[sc[e] / width + 1]++;
                }
            }
            for (int p = 0; p < count; p++) {
                perPanel[p + 1] += perPanel[p];
            }
            col = new int[perPanel[count]];
            y = new double[perPanel[count]];
            int[] next = java.util.Arrays.copyOf(perPanel, count);
            for (int i = 0; i < rows; i++) {
                for (int p = 0; p < count; p++) {
                    rowPtr[p][i] = next[p];
                }
                for (int e = ptr[i]; e < ptr[i + 1]; e++) {
                    if (sc[e] >= colLimit) {
                        continue;
                    }
                    int at = next[sc[e] / width]++;
                    col[at] = sc[e];
                    y[at] = sy[e];
                }
            }
            for (int p = 0; p < count; p++) {
                rowPtr[p][rows] = next[p];
            }
        }
    }
}
