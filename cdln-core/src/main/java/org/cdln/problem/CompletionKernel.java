package org.cdln.problem;

/**
 * The fused sparse kernel of the compressed completion step: one sweep over the observed entries
 * Ω computes the sampled product (SDDMM) r_e = ⟨L[i,:], R[:,j]⟩ − y_e and both sparse × dense
 * products (SpMM) of G = P_Ω(L·R − Y)/|Ω| with the factors,
 * <pre>
 *   (G·Rᵀ)[i,:] = Σ_{e=(i,j)} g_e·R[:,j]ᵀ      (d1×k)
 *   (Lᵀ·G)[:,j] = Σ_{e=(i,j)} g_e·L[i,:]ᵀ      (k×d2)
 * </pre>
 * with g_e = r_e/|Ω|. A row's L[i,:] and its G·Rᵀ row are held in a k-length buffer for the
 * whole row; the entries are taken four at a time, so that one sweep over the inner width c
 * serves four dot products and, right after, four updates of Lᵀ·G and one of the row — R[:,j]
 * is still in L1 from the dot product. Cost per entry 3k multiply-adds; memory traffic per entry
 * one column index and one observed value (12 bytes) plus the random accesses to R[:,j] and
 * Lᵀ·G[:,j] (k doubles each, cached when the factors fit in cache).
 *
 * <p>Layouts: R and Lᵀ·G are k×d2 column-major (column j contiguous at j·k). L and G·Rᵀ are
 * addressed as {@code l[i·rowStride + c·colStride]}: (1, d1) for the network's column-major d1×k
 * factor read in place, (k, 1) for a transposed copy.
 *
 * <p>Two implementations: {@link #scalar()} (plain Java, what the JIT compiles everywhere) and a
 * {@code jdk.incubator.vector} one ({@link #vector()}, present only when the JVM was started
 * with {@code --add-modules jdk.incubator.vector}). Both give the same sums in the same order up
 * to the association inside a vector; which one a problem uses is measured
 * ({@link #preferred()}).
 */
abstract class CompletionKernel {
    private static final CompletionKernel SCALAR = new Scalar();
    private static volatile CompletionKernel vector;
    private static volatile boolean vectorTried;

    /**
     * Whether {@link #sweep} takes the observed values already divided by |Ω| (y_e·invN, so that
     * g_e = ⟨L[i,:]·invN, R[:,j]⟩ − y_e·invN costs no multiply per entry); it still returns Σ r_e².
     * A caller that sweeps with this kernel passes such a copy (the oracle builds it once, 8 bytes
     * per entry); the timing sweeps may pass the raw values, their results unused.
     */
    boolean scaledValues() {
        return false;
    }

    /** A short name for headers: "scalar" or "vector (256-bit)". */
    abstract String name();

    /**
     * The fused sweep over rows [from, to) of one CSR block (ptr absolute into col and y).
     *
     * @param accumulate when false, rowOut's rows [from, to) are overwritten (zeroed first), even
     *                   for rows without entries; when true (later column panels) they are added to
     * @param colOut     Lᵀ·G k×d2, added to (the caller zeroes it)
     * @param buf        scratch of at least 2k doubles
     * @return Σ r_e² over the entries swept
     */
    abstract double sweep(int k, int[] ptr, int[] col, double[] y, int from, int to,
                          double[] l, int rowStride, int colStride, double[] r, double invN,
                          double[] rowOut, boolean accumulate, double[] colOut, double[] buf);

    /**
     * The kernel to use when nothing was measured: the vector one when the module is present and
     * the system property {@code cdln.kernel} is not "scalar", else the scalar one. (Setting it
     * to "scalar", "vector", "registers", "padded" or "blocks" also forces the kernel of
     * {@link CompletionProblem#withSparseGradient()}.)
     */
    static CompletionKernel preferred() {
        String forced = System.getProperty("cdln.kernel", "");
        if (forced.equals("scalar")) {
            return SCALAR;
        }
        CompletionKernel v = vector();
        return v != null ? v : SCALAR;
    }

    /**
     * Runs the kernel on a small synthetic problem of inner width k until the JIT has compiled it
     * (its time per call has fallen well below the interpreted first calls' and settled, and it
     * no longer allocates: boxed vectors mean C1 or the interpreter), at most
     * {@link #MAX_WARMUP_SECONDS}, once per kernel and JVM: timings
     * taken before that measure the interpreter (for the vector kernel, hundreds of times
     * slower), not the kernel.
     */
    final void warmUp(int k) {
        if (warm) {
            return;
        }
        synchronized (this) {
            if (warm) {
                return;
            }
            // small calls, many of them: the JIT compiles a method whole once it has been called
            // thousands of times, and an interpreted call of a vector kernel is slow. Rows of
            // 0–41 entries, so that the four-entry groups, every tail length and empty rows are
            // all taken (a branch the warm-up never took would deoptimise the compiled kernel at
            // its first real call), and later panels accumulate
            int[] perRow = {9, 0, 41, 1, 18, 2, 35, 3, 26, 4};
            int rows = perRow.length;
            int cols = 64;
            int[] ptr = new int[rows + 1];
            for (int i = 0; i < rows; i++) {
                ptr[i + 1] = ptr[i] + perRow[i];
            }
            int[] col = new int[ptr[rows]];
            double[] y = new double[col.length];
            for (int i = 0; i < rows; i++) {
                // distinct, ascending columns of the row
                for (int e = 0; e < perRow[i]; e++) {
                    col[ptr[i] + e] = (i * 3 + e * (cols / Math.max(1, perRow[i]))) % cols;
                    y[ptr[i] + e] = 0.01 * e;
                }
                java.util.Arrays.sort(col, ptr[i], ptr[i + 1]);
            }
            // several widths, every remainder mod 4 among them, so that the JIT compiles the
            // vector loops and their scalar tails alike and a later width does not deoptimise it
            int[] widths = {k, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 20, 21, 22, 23};
            int kMax = 0;
            for (int w : widths) {
                kMax = Math.max(kMax, w);
            }
            int sMax = stride(kMax);
            double[] l = new double[rows * kMax];
            double[] r = new double[cols * sMax];
            java.util.Arrays.fill(l, 0.1);
            java.util.Arrays.fill(r, 0.2);
            double[] rowOut = new double[rows * kMax];
            double[] colOut = new double[cols * sMax];
            double[] buf = new double[2 * sMax + 16];
            long start = System.nanoTime();
            double previous = Double.POSITIVE_INFINITY;
            double first = Double.NaN;
            double sink = 0.0;
            for (int batch = 0; ; batch++) {
                long a0 = allocatedBytes();
                long t0 = System.nanoTime();
                for (int c = 0; c < 200; c++) {
                    int w = widths[(c >> 2) % widths.length];
                    if (!servesWidth(w)) {
                        w = k;
                    }
                    sink += (c & 1) == 0
                            ? sweep(w, ptr, col, y, 0, rows, l, w, 1, r, 1e-3, rowOut, (c & 2) != 0, colOut, buf)
                            : sweep(w, ptr, col, y, 0, rows, l, 1, rows, r, 1e-3, rowOut, (c & 2) != 0, colOut, buf);
                }
                double t = (System.nanoTime() - t0) * 1e-9;
                long allocated = a0 < 0 ? 0 : allocatedBytes() - a0;
                double elapsed = (System.nanoTime() - start) * 1e-9;
                if (batch == 0) {
                    first = t;
                }
                // compiled by C2: 8 times faster than the interpreted first batch, settled, and
                // (a vector kernel) no longer boxing its vectors — C1's and the interpreter's
                // vector code allocates every operation, and is still 10–100 times slower
                boolean compiled = batch >= 20 && t < first / 8 && t <= 1.25 * previous && allocated < 200 * 64;
                if (compiled || elapsed > MAX_WARMUP_SECONDS) {
                    break;
                }
                previous = Math.min(previous, t);
            }
            if (Double.isNaN(sink)) {
                throw new IllegalStateException("warm-up produced NaN");
            }
            warm = true;
        }
    }

    private volatile boolean warm;

    /**
     * Most seconds a kernel's warm-up takes. A vector kernel's took 0.2–0.5 s on a quiet 2-core
     * machine (the scalar one's 0.04 s), most of it running interpreted and C1 code until C2 has
     * compiled it; 1–3 s have been seen on a loaded one.
     */
    static final double MAX_WARMUP_SECONDS = 8.0;

    /** Bytes this thread has allocated so far, or −1 where the JVM does not tell. */
    static long allocatedBytes() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        if (mx instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported()
                && sun.isThreadAllocatedMemoryEnabled()) {
            return sun.getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        return -1;
    }

    /**
     * The column stride k̄ ≥ k the kernel needs R and Lᵀ·G in (k̄×d2, rows k..k̄ zero): k for
     * all but {@link VectorBlockKernel}, which pads to whole vectors; buf then needs 2k̄.
     */
    int stride(int k) {
        return k;
    }

    /** The widest inner width the kernel serves. */
    int maxWidth() {
        return Integer.MAX_VALUE;
    }

    /** Whether the kernel serves inner width k (all do, but the register kernel). */
    boolean servesWidth(int k) {
        return true;
    }

    /** The plain Java kernel. */
    static CompletionKernel scalar() {
        return SCALAR;
    }

    /** The vectorised kernel, or null when the vector module is not in the boot layer. */
    static CompletionKernel vector() {
        if (!vectorTried) {
            synchronized (CompletionKernel.class) {
                if (!vectorTried) {
                    vector = loadVector();
                    vectorTried = true;
                }
            }
        }
        return vector;
    }

    /**
     * The vector kernel that keeps a row in registers, for 8 ≤ k ≤ 11 and 20 ≤ k ≤ 23 ({@link
     * VectorRegisterKernel}), or null when the vector module is not in the boot layer.
     */
    static CompletionKernel vectorRegisters() {
        if (!vectorTried) {
            vector();
        }
        return vectorRegisters;
    }

    private static volatile CompletionKernel vectorRegisters;
    private static volatile CompletionKernel vectorBlocks;
    private static volatile CompletionKernel vectorPadded;

    /**
     * The register kernel on factors padded to three whole vectors, for 9 ≤ k ≤ 12 ({@link
     * VectorPaddedRegisterKernel}), or null when the vector module is not in the boot layer.
     */
    static CompletionKernel vectorPaddedRegisters() {
        if (!vectorTried) {
            vector();
        }
        return vectorPadded;
    }

    /**
     * The vector kernel on factors padded to whole vectors, four entries at a time ({@link
     * VectorBlockKernel}), or null when the vector module is not in the boot layer.
     */
    static CompletionKernel vectorBlocks() {
        if (!vectorTried) {
            vector();
        }
        return vectorBlocks;
    }

    private static CompletionKernel loadVector() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return null;
        }
        try {
            vectorRegisters = (CompletionKernel) Class.forName("org.cdln.problem.VectorRegisterKernel")
                    .getDeclaredConstructor().newInstance();
            vectorBlocks = (CompletionKernel) Class.forName("org.cdln.problem.VectorBlockKernel")
                    .getDeclaredConstructor().newInstance();
            vectorPadded = (CompletionKernel) Class.forName("org.cdln.problem.VectorPaddedRegisterKernel")
                    .getDeclaredConstructor().newInstance();
            return (CompletionKernel) Class.forName("org.cdln.problem.VectorCompletionKernel")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    /**
     * A row's prologue, shared by every kernel: for an empty row writes zeros into its G·Rᵀ row
     * (unless {@code accumulate}) and returns false; otherwise copies L[i,:] into buf[0, k) and
     * the row's running G·Rᵀ sum (its old value or 0) into buf[k, 2k) and returns true.
     * O(k); small enough for the JIT to inline into the sweep.
     */
    static boolean beginRow(int k, boolean empty, double[] l, int base, int colStride,
                            double[] rowOut, boolean accumulate, double[] buf) {
        if (!beginPaddedRow(k, k, empty, l, base, colStride, rowOut, accumulate, buf)) {
            return false;
        }
        for (int c = 0; c < k; c++) {
            buf[k + c] = accumulate ? rowOut[base + c * colStride] : 0.0;
        }
        return true;
    }

    /**
     * A row's prologue for the kernels on padded factors (stride kp ≥ k; {@link #beginRow} is it
     * with kp = k, plus the running sum): for an empty row writes zeros into its G·Rᵀ row (unless
     * {@code accumulate}) and returns false; otherwise copies L[i,:] into buf[0, k), zeros into
     * buf[k, kp) and returns true (the kernel writes the row's sum to buf[kp, kp + k)). O(kp).
     */
    static boolean beginPaddedRow(int k, int kp, boolean empty, double[] l, int base, int colStride,
                                  double[] rowOut, boolean accumulate, double[] buf) {
        if (empty) {
            clearRow(k, base, colStride, rowOut, accumulate);
            return false;
        }
        for (int c = 0; c < k; c++) {
            buf[c] = l[base + c * colStride];
        }
        for (int c = k; c < kp; c++) {
            buf[c] = 0.0;
        }
        return true;
    }

    /** A padded row's epilogue: its G·Rᵀ sum, buf[kp, kp + k), written or added into rowOut. O(k). */
    static void endPaddedRow(int k, int kp, int base, int colStride, double[] rowOut, boolean accumulate,
                             double[] buf) {
        for (int c = 0; c < k; c++) {
            int at = base + c * colStride;
            rowOut[at] = accumulate ? rowOut[at] + buf[kp + c] : buf[kp + c];
        }
    }

    /** An empty row's G·Rᵀ row: zeros, unless {@code accumulate} (later panels add to it). O(k). */
    static void clearRow(int k, int base, int colStride, double[] rowOut, boolean accumulate) {
        if (!accumulate) {
            for (int c = 0; c < k; c++) {
                rowOut[base + c * colStride] = 0.0;
            }
        }
    }

    /** A row's epilogue: its G·Rᵀ sum, buf[k, 2k), back into the row's place in rowOut. O(k). */
    static void endRow(int k, int base, int colStride, double[] rowOut, double[] buf) {
        for (int c = 0; c < k; c++) {
            rowOut[base + c * colStride] = buf[k + c];
        }
    }

    /** The scalar kernel: four entries per sweep over c, independent sums. */
    private static final class Scalar extends CompletionKernel {
        @Override
        String name() {
            return "scalar";
        }

        @Override
        double sweep(int k, int[] ptr, int[] col, double[] y, int from, int to,
                     double[] l, int rowStride, int colStride, double[] r, double invN,
                     double[] rowOut, boolean accumulate, double[] colOut, double[] buf) {
            double ss = 0.0;
            final double[] li = buf;
            final double[] acc = buf;   // li at [0, k), the row's G·Rᵀ sum at [k, 2k)
            for (int i = from; i < to; i++) {
                int e = ptr[i];
                int end = ptr[i + 1];
                int base = i * rowStride;
                if (!beginRow(k, e == end, l, base, colStride, rowOut, accumulate, buf)) {
                    continue;
                }
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
                        double lc = li[c];
                        s0 += lc * r[j0 + c];
                        s1 += lc * r[j1 + c];
                        s2 += lc * r[j2 + c];
                        s3 += lc * r[j3 + c];
                    }
                    double r0 = s0 - y[e];
                    double r1 = s1 - y[e + 1];
                    double r2 = s2 - y[e + 2];
                    double r3 = s3 - y[e + 3];
                    ss += (r0 * r0 + r1 * r1) + (r2 * r2 + r3 * r3);
                    double g0 = r0 * invN;
                    double g1 = r1 * invN;
                    double g2 = r2 * invN;
                    double g3 = r3 * invN;
                    for (int c = 0; c < k; c++) {
                        double lc = li[c];
                        acc[k + c] += (g0 * r[j0 + c] + g1 * r[j1 + c]) + (g2 * r[j2 + c] + g3 * r[j3 + c]);
                        colOut[j0 + c] += g0 * lc;
                        colOut[j1 + c] += g1 * lc;
                        colOut[j2 + c] += g2 * lc;
                        colOut[j3 + c] += g3 * lc;
                    }
                }
                for (; e < end; e++) {
                    int j = col[e] * k;
                    double s = SparseCompletionOracle.dot(li, 0, r, j, k);
                    double res = s - y[e];
                    ss += res * res;
                    double ge = res * invN;
                    for (int c = 0; c < k; c++) {
                        acc[k + c] += ge * r[j + c];
                        colOut[j + c] += ge * li[c];
                    }
                }
                endRow(k, base, colStride, rowOut, buf);
            }
            return ss;
        }
    }
}
