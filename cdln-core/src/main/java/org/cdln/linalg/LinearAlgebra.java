package org.cdln.linalg;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import dev.ludovic.netlib.lapack.JavaLAPACK;
import dev.ludovic.netlib.lapack.LAPACK;
import dev.ludovic.netlib.lapack.NativeLAPACK;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.netlib.util.intW;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one linear-algebra facade of cdln: GEMM/GEMV with transposes, thin SVD, thin QR and an SPD
 * solve over {@code dev.ludovic.netlib} BLAS/LAPACK.
 *
 * <p>{@link #instance()} picks the backend once at start-up and logs it: native OpenBLAS through
 * JNI when Debian's {@code libopenblas0} is installed, the vectorised Java BLAS
 * ({@code --add-modules jdk.incubator.vector}) with F2J LAPACK otherwise. {@link #java()} and
 * {@link #nativeBackend()} give a specific backend, e.g. for conformance tests.
 *
 * <p>All methods check shapes and throw {@link IllegalArgumentException} naming both shapes.
 * Empty matrices (a dimension of 0) are handled here, never passed to BLAS/LAPACK.
 */
public final class LinearAlgebra {
    private static final Logger LOG = LoggerFactory.getLogger(LinearAlgebra.class);
    private static volatile LinearAlgebra defaultInstance;

    /**
     * Least work (multiply-adds) of a GEMM that is split over Java threads: below it one thread
     * is faster than any hand-off (measured: at 100³ two OpenBLAS threads are slower than one).
     */
    public static final double SPLIT_MIN_WORK = 1L << 21;
    /** Least work (multiply-adds) of a GEMV that is split over Java threads. */
    public static final double SPLIT_MIN_WORK_GEMV = 1L << 20;

    private final BLAS blas;
    private final LAPACK lapack;
    private final boolean nativeBlas;
    private final String description;
    /** Parts a large BLAS call is split into (1: no split), and the work from which it is. */
    private final int splitParts;
    private final double splitMinWork;
    private final double splitMinWorkGemv;
    /** The same backend without splitting (this one when it does not split). */
    private final LinearAlgebra unsplit;

    private LinearAlgebra(BLAS blas, LAPACK lapack) {
        this(blas, lapack, defaultSplitParts(blas instanceof NativeBLAS), SPLIT_MIN_WORK, SPLIT_MIN_WORK_GEMV);
    }

    private LinearAlgebra(BLAS blas, LAPACK lapack, int splitParts, double splitMinWork, double splitMinWorkGemv) {
        this.blas = blas;
        this.lapack = lapack;
        this.nativeBlas = blas instanceof NativeBLAS;
        this.description = describe(blas, lapack, nativeBlas);
        this.splitParts = Math.max(1, splitParts);
        this.splitMinWork = splitMinWork;
        this.splitMinWorkGemv = splitMinWorkGemv;
        this.unsplit = this.splitParts > 1 ? new LinearAlgebra(blas, lapack, 1, splitMinWork, splitMinWorkGemv) : this;
    }

    /**
     * Java-side splitting is on when native BLAS itself runs one thread and cdln was given more:
     * then small products stay on one thread and large ones are cut into one part per thread.
     */
    private static int defaultSplitParts(boolean nativeBlas) {
        return nativeBlas && blasThreads() == 1 ? configuredThreads() : 1;
    }

    /**
     * The same backend splitting every GEMM at least {@code minWork} multiply-adds (and GEMV at
     * least {@code minWork/2}) into {@code parts} column or row blocks run on the {@link Parallel}
     * pool; for tests of the splitting and for experiments.
     */
    public LinearAlgebra withSplitting(int parts, double minWork) {
        return new LinearAlgebra(blas, lapack, parts, minWork, minWork / 2);
    }

    /** Parts a large GEMM or GEMV is split into on Java threads (1 when native BLAS threads itself). */
    public int splitParts() {
        return splitParts;
    }

    /**
     * The default backend, chosen once: native when available, else Java. Logged at INFO.
     */
    public static LinearAlgebra instance() {
        LinearAlgebra la = defaultInstance;
        if (la == null) {
            synchronized (LinearAlgebra.class) {
                la = defaultInstance;
                if (la == null) {
                    la = new LinearAlgebra(BLAS.getInstance(), LAPACK.getInstance());
                    LOG.info("linear algebra backend: {}", la.description());
                    defaultInstance = la;
                }
            }
        }
        return la;
    }

    /** The pure-Java backend: VectorBLAS (or plain Java BLAS) and F2J LAPACK. Always available. */
    public static LinearAlgebra java() {
        return new LinearAlgebra(JavaBLAS.getInstance(), JavaLAPACK.getInstance());
    }

    /** The native backend, or empty when no native BLAS/LAPACK could be loaded. */
    public static Optional<LinearAlgebra> nativeBackend() {
        try {
            return Optional.of(new LinearAlgebra(NativeBLAS.getInstance(), NativeLAPACK.getInstance()));
        } catch (Throwable t) {
            return Optional.empty();
        }
    }

    /** A short human-readable name, e.g. "native OpenBLAS (libopenblas.so.0) / native LAPACK". */
    public String description() {
        return description;
    }

    /** True when BLAS calls go to a native library. */
    public boolean isNative() {
        return nativeBlas;
    }

    /**
     * The number of threads the linear algebra uses: {@link #configuredThreads()} for the native
     * backend — whether native BLAS runs them itself or cdln splits large calls over its
     * {@link Parallel} pool — and 1 for the Java backend.
     */
    public int threads() {
        if (!nativeBlas) {
            return 1;
        }
        return configuredThreads();
    }

    /**
     * How the threads are used, for headers and reports: e.g. "2 threads (OpenBLAS runs 1, cdln
     * splits large products over 2)", "2 OpenBLAS threads" or "1 thread (Java BLAS)".
     */
    public String threadingDescription() {
        if (splitParts > 1) {
            return splitParts + " threads (" + (nativeBlas ? "OpenBLAS runs 1" : "Java BLAS")
                    + ", cdln splits large products over " + splitParts + ")";
        }
        if (!nativeBlas) {
            return "1 thread (Java BLAS)";
        }
        int b = blasThreads();
        return b + " OpenBLAS thread" + (b == 1 ? "" : "s");
    }

    /**
     * The threads cdln was asked to use: the in-process setting ({@link #setThreads}) if one was
     * made, else {@code CDLN_THREADS} if set and valid (the launcher sets it to the number of
     * cores), else {@link #blasThreads()}.
     */
    public static int configuredThreads() {
        Integer set = requestedThreads;
        if (set != null) {
            return set;
        }
        Integer n = positiveEnv("CDLN_THREADS");
        return n != null ? n : blasThreads();
    }

    /** The in-process thread setting, or null for the environment's. */
    private static volatile Integer requestedThreads;

    /**
     * Sets cdln's threads in this process (a library user's or the CLI's {@code --threads}): the
     * {@link Parallel} pool and the split of large products use them from the next
     * {@link #instance()} on. It overrides {@code CDLN_THREADS}. Native OpenBLAS's own thread
     * count is read once, when the library loads ({@code OPENBLAS_NUM_THREADS}), and cannot be
     * changed afterwards: dev.ludovic.netlib's JNI binding resolves only the BLAS routines, not
     * {@code openblas_set_num_threads}. When it is 1, as the launcher sets it, these threads are
     * all the threads the linear algebra uses; when it is more, OpenBLAS threads each call itself
     * and cdln does not split products over its own threads (the two would compete), so only the
     * {@link Parallel} pool follows this setting.
     *
     * @param threads ≥ 1, or null to go back to the environment's setting
     * @throws IllegalArgumentException for threads &lt; 1
     */
    public static void setThreads(Integer threads) {
        if (threads != null && threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        }
        synchronized (LinearAlgebra.class) {
            requestedThreads = threads;
            if (defaultInstance != null && defaultInstance.splitParts != defaultSplitParts(defaultInstance.nativeBlas)) {
                defaultInstance = null;
            }
        }
    }

    /** The in-process thread setting ({@link #setThreads}), or null when none was made. */
    public static Integer requestedThreads() {
        return requestedThreads;
    }

    /**
     * The threads native OpenBLAS runs itself: {@code OPENBLAS_NUM_THREADS} if set and valid (it
     * is read when the library loads), else the available processors. The launcher sets it to 1
     * and lets cdln split large calls itself, because OpenBLAS's own threads slow small products
     * down (100³: 2 threads slower than 1 on a 2-core machine).
     */
    public static int blasThreads() {
        Integer n = positiveEnv("OPENBLAS_NUM_THREADS");
        return n != null ? n : Runtime.getRuntime().availableProcessors();
    }

    private static Integer positiveEnv(String name) {
        String env = System.getenv(name);
        if (env != null) {
            try {
                int n = Integer.parseInt(env.trim());
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the default
            }
        }
        return null;
    }

    private static String describe(BLAS blas, LAPACK lapack, boolean nativeBlas) {
        String b;
        if (nativeBlas) {
            b = "native " + nativeLibraryName();
        } else {
            b = "Java " + blas.getClass().getSimpleName();
        }
        String l = lapack instanceof NativeLAPACK ? "native LAPACK" : "Java " + lapack.getClass().getSimpleName();
        return b + " / " + l;
    }

    /**
     * Names the native BLAS the process loaded, from /proc/self/maps: the OpenBLAS or MKL library
     * file if mapped, else the real file behind libblas.so.3. Stable across runs.
     */
    private static String nativeLibraryName() {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return "BLAS (JNI)";
        }
        java.util.Set<String> files = new java.util.TreeSet<>();
        try (Stream<String> lines = Files.lines(maps)) {
            lines.map(l -> l.substring(l.lastIndexOf(' ') + 1)).filter(p -> p.startsWith("/")).forEach(files::add);
        } catch (IOException | RuntimeException e) {
            return "BLAS (JNI)";
        }
        for (String p : files) {
            String name = p.substring(p.lastIndexOf('/') + 1);
            if (name.startsWith("libopenblas")) {
                return "OpenBLAS (" + name + ")";
            }
            if (name.startsWith("libmkl")) {
                return "MKL (" + name + ")";
            }
        }
        for (String p : files) {
            String name = p.substring(p.lastIndexOf('/') + 1);
            if (name.startsWith("libblas")) {
                try {
                    Path real = Path.of(p).toRealPath();
                    String kind = real.toString().contains("openblas") ? "OpenBLAS" : "reference BLAS";
                    return kind + " (" + real.getFileName() + ")";
                } catch (IOException e) {
                    return "BLAS (" + name + ")";
                }
            }
        }
        return "BLAS (JNI)";
    }

    // ------------------------------------------------------------------ BLAS level 3 / 2

    /**
     * General matrix multiply: C ← alpha·op(A)·op(B) + beta·C, where op(X) is X or Xᵀ.
     * C is modified. Cost O(m·n·k) for op(A) m×k and op(B) k×n.
     */
    public void gemm(boolean transA, boolean transB, double alpha, Matrix a, Matrix b, double beta, Matrix c) {
        int m = transA ? a.cols() : a.rows();
        int k = transA ? a.rows() : a.cols();
        int kb = transB ? b.cols() : b.rows();
        int n = transB ? b.rows() : b.cols();
        if (k != kb || c.rows() != m || c.cols() != n) {
            throw new IllegalArgumentException("gemm: cannot form " + c.shape() + " from op(A)="
                    + m + "×" + k + " (A " + a.shape() + (transA ? "ᵀ" : "") + ") and op(B)=" + kb + "×" + n
                    + " (B " + b.shape() + (transB ? "ᵀ" : "") + ")");
        }
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (beta == 0.0) {
                c.fill(0.0);
            } else if (beta != 1.0) {
                c.scaleInPlace(beta);
            }
            return;
        }
        // a small Aᵀ·B: Aᵀ copied, then the plain kernel (see TRANSPOSED_COPY_MAX)
        boolean copy = transA && !transB && nativeBlas && (long) m * k <= TRANSPOSED_COPY_MAX;
        final double[] ad = copy ? TRANSPOSED_COPY.get() : a.data();
        if (copy) {
            Matrix.transpose(a.data(), k, m, ad);
        }
        final boolean at = transA && !copy;
        final int lda = copy ? m : Math.max(1, a.rows());
        String ta = at ? "T" : "N";
        String tb = transB ? "T" : "N";
        int ldb = Math.max(1, b.rows());
        int parts = splitParts > 1 && (double) m * n * k >= splitMinWork ? splitParts : 1;
        if (parts > 1 && n >= 2 * parts) {
            // column blocks of C: C[:, j0:j1] = op(A)·op(B)[:, j0:j1]
            Parallel.forParts(parts, n, (part, j0, j1) -> blas.dgemm(ta, tb, m, j1 - j0, k, alpha,
                    ad, 0, lda, b.data(), transB ? j0 : j0 * ldb, ldb,
                    beta, c.data(), j0 * m, Math.max(1, m)));
        } else if (parts > 1 && m >= 2 * parts) {
            // row blocks of C: C[i0:i1, :] = op(A)[i0:i1, :]·op(B)
            Parallel.forParts(parts, m, (part, i0, i1) -> blas.dgemm(ta, tb, i1 - i0, n, k, alpha,
                    ad, at ? i0 * lda : i0, lda, b.data(), 0, ldb,
                    beta, c.data(), i0, Math.max(1, m)));
        } else {
            blas.dgemm(ta, tb, m, n, k, alpha, ad, lda, b.data(), ldb, beta, c.data(), Math.max(1, m));
        }
    }

    /**
     * Largest op(A) = Aᵀ (m·k doubles, 16 KB) of an Aᵀ·B product that {@link #gemm} copies to Aᵀ and
     * multiplies with the plain kernel instead of OpenBLAS's transposed-A one, which is slow for a
     * small Aᵀ: over the 30 timed shapes with m·k ≤ 2,000 (m = 10–100, k = 10–100, n = 100–1000)
     * copy and plain kernel took 0.54–1.02× the time of the transposed call (more only at
     * 100×20·20×1000, by 2 %), e.g. 11.4 → 8.5 µs for the
     * factorization oracle's 20×100·100×100 and 3.1 → 2.3 µs for the compressed network's
     * 10×10·10×300 (Intel Xeon guest, OpenBLAS 0.3.21 in Haswell mode, 1 thread); for larger Aᵀ
     * either way won. A fixed bound, not a timed choice: the two ways can differ in the last bits,
     * and a run must give the same bits every time. Native BLAS only; the copy is O(m·k).
     */
    static final int TRANSPOSED_COPY_MAX = 2000;

    /** Each thread's buffer for the copied Aᵀ of {@link #TRANSPOSED_COPY_MAX}. */
    private static final ThreadLocal<double[]> TRANSPOSED_COPY =
            ThreadLocal.withInitial(() -> new double[TRANSPOSED_COPY_MAX]);

    /**
     * Two independent products, C1 ← α1·op(A1)·op(B1) and C2 ← α2·op(A2)·op(B2) (β = 0; the outputs
     * must not overlap each other or the inputs), e.g. the two gradient products of a layer once
     * the prefix and suffix products are known. With one thread, or when either product is below
     * the splitting size, they run one after the other exactly as two {@link #gemm} calls. When
     * cdln splits products over its threads, there are two ways to use two threads: run the two
     * products at the same time, one per thread and each unsplit, or one after the other, each
     * split into column or row blocks ({@link #gemm}). Which is faster depends on the shapes and
     * the machine, so the first call for a pair of shapes times both, alternately, on the real
     * operands (at most a few rounds) and keeps the faster for this backend instance;
     * {@link #pairChoices()} says what was measured. Cost as two GEMMs. The two ways can differ in
     * the last bits (OpenBLAS's blocking of a split product is not always that of the whole), so
     * the measuring call ends with the chosen way's numbers and every pair gives them; two
     * processes whose timings chose differently can differ in rounding.
     */
    public void gemmPair(boolean transA1, boolean transB1, double alpha1, Matrix a1, Matrix b1, Matrix c1,
                         boolean transA2, boolean transB2, double alpha2, Matrix a2, Matrix b2, Matrix c2) {
        if (splitParts < 2 || !splits(transA1, a1, transB1, b1) || !splits(transA2, a2, transB2, b2)) {
            gemm(transA1, transB1, alpha1, a1, b1, 0.0, c1);
            gemm(transA2, transB2, alpha2, a2, b2, 0.0, c2);
            return;
        }
        PairChoice choice = pairChoice(transA1, transB1, a1, b1, transA2, transB2, a2, b2);
        if (choice == null) {
            choice = measurePair(transA1, transB1, alpha1, a1, b1, c1, transA2, transB2, alpha2, a2, b2, c2);
        }
        if (choice.concurrent) {
            runConcurrently(transA1, transB1, alpha1, a1, b1, c1, transA2, transB2, alpha2, a2, b2, c2);
        } else {
            gemm(transA1, transB1, alpha1, a1, b1, 0.0, c1);
            gemm(transA2, transB2, alpha2, a2, b2, 0.0, c2);
        }
    }

    /** Whether {@link #gemm} would split op(A)·op(B) over threads. */
    private boolean splits(boolean transA, Matrix a, boolean transB, Matrix b) {
        return splitsProduct(transA ? a.cols() : a.rows(), transB ? b.rows() : b.cols(), transA ? a.rows() : a.cols());
    }

    /** Whether {@link #gemm} splits an m×n×k product over cdln's threads (never on one thread). */
    public boolean splitsProduct(int m, int n, int k) {
        return splitParts > 1 && (double) m * n * k >= splitMinWork;
    }

    private void runConcurrently(boolean transA1, boolean transB1, double alpha1, Matrix a1, Matrix b1, Matrix c1,
                                 boolean transA2, boolean transB2, double alpha2, Matrix a2, Matrix b2, Matrix c2) {
        LinearAlgebra one = unsplit;
        Parallel.forParts(2, 2, (part, from, to) -> {
            if (part == 0) {
                one.gemm(transA1, transB1, alpha1, a1, b1, 0.0, c1);
            } else {
                one.gemm(transA2, transB2, alpha2, a2, b2, 0.0, c2);
            }
        });
    }

    /** How a pair of product shapes runs, and the medians that chose it. */
    private record PairChoice(long key, String shapes, boolean concurrent, double concurrentSeconds,
                              double splitSeconds) {
        String describe() {
            return shapes + ": " + (concurrent ? "concurrently, one per thread" : "one after the other, each split")
                    + String.format(java.util.Locale.ROOT, " (measured %.3f ms concurrently, %.3f ms split)",
                    concurrentSeconds * 1e3, splitSeconds * 1e3);
        }
    }

    /** The pairs measured by this backend instance (few: one per layer shape pair of a network). */
    private volatile PairChoice[] pairChoices = new PairChoice[0];

    private PairChoice pairChoice(boolean transA1, boolean transB1, Matrix a1, Matrix b1,
                                  boolean transA2, boolean transB2, Matrix a2, Matrix b2) {
        long key = pairKey(transA1, transB1, a1, b1, transA2, transB2, a2, b2);
        for (PairChoice c : pairChoices) {
            if (c.key == key) {
                return c;
            }
        }
        return null;
    }

    /** The identity of a pair's shapes and transposes (looked up every step; allocates nothing). */
    private static long pairKey(boolean transA1, boolean transB1, Matrix a1, Matrix b1,
                                       boolean transA2, boolean transB2, Matrix a2, Matrix b2) {
        long h = 1469598103934665603L;
        h = (h ^ a1.rows()) * 1099511628211L;
        h = (h ^ a1.cols()) * 1099511628211L;
        h = (h ^ b1.rows()) * 1099511628211L;
        h = (h ^ b1.cols()) * 1099511628211L;
        h = (h ^ a2.rows()) * 1099511628211L;
        h = (h ^ a2.cols()) * 1099511628211L;
        h = (h ^ b2.rows()) * 1099511628211L;
        h = (h ^ b2.cols()) * 1099511628211L;
        h = (h ^ ((transA1 ? 1 : 0) | (transB1 ? 2 : 0) | (transA2 ? 4 : 0) | (transB2 ? 8 : 0))) * 1099511628211L;
        return h;
    }

    /**
     * Times the two ways alternately on the real operands — at least 3 rounds each, more while the
     * whole takes under 30 ms, at most 15 — and records the faster by median.
     */
    private synchronized PairChoice measurePair(boolean transA1, boolean transB1, double alpha1, Matrix a1, Matrix b1,
                                                Matrix c1, boolean transA2, boolean transB2, double alpha2, Matrix a2,
                                                Matrix b2, Matrix c2) {
        PairChoice known = pairChoice(transA1, transB1, a1, b1, transA2, transB2, a2, b2);
        if (known != null) {
            return known;
        }
        int max = 15;
        double[] conc = new double[max];
        double[] split = new double[max];
        int rounds = 0;
        long start = System.nanoTime();
        // one of each first, untimed: the pool's threads start and the code paths are compiled
        runConcurrently(transA1, transB1, alpha1, a1, b1, c1, transA2, transB2, alpha2, a2, b2, c2);
        gemm(transA1, transB1, alpha1, a1, b1, 0.0, c1);
        gemm(transA2, transB2, alpha2, a2, b2, 0.0, c2);
        while (rounds < max && (rounds < 3 || (System.nanoTime() - start) * 1e-9 < 0.03)) {
            long t0 = System.nanoTime();
            runConcurrently(transA1, transB1, alpha1, a1, b1, c1, transA2, transB2, alpha2, a2, b2, c2);
            long t1 = System.nanoTime();
            gemm(transA1, transB1, alpha1, a1, b1, 0.0, c1);
            gemm(transA2, transB2, alpha2, a2, b2, 0.0, c2);
            long t2 = System.nanoTime();
            conc[rounds] = (t1 - t0) * 1e-9;
            split[rounds] = (t2 - t1) * 1e-9;
            rounds++;
        }
        double mc = median(conc, rounds);
        double ms = median(split, rounds);
        String shapes = shape(transA1, a1, transB1, b1) + " and " + shape(transA2, a2, transB2, b2);
        PairChoice c = new PairChoice(pairKey(transA1, transB1, a1, b1, transA2, transB2, a2, b2), shapes,
                mc < ms, mc, ms);
        if (c.concurrent) {
            // the outputs as the chosen way writes them (the split blocks can differ from one
            // unsplit call in the last bits), so that this call gives what every later one would
            runConcurrently(transA1, transB1, alpha1, a1, b1, c1, transA2, transB2, alpha2, a2, b2, c2);
        }
        PairChoice[] old = pairChoices;
        PairChoice[] grown = java.util.Arrays.copyOf(old, old.length + 1);
        grown[old.length] = c;
        pairChoices = grown;
        LOG.debug("independent products {}", c.describe());
        return c;
    }

    private static double median(double[] v, int n) {
        double[] s = java.util.Arrays.copyOf(v, n);
        java.util.Arrays.sort(s);
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }

    private static String shape(boolean transA, Matrix a, boolean transB, Matrix b) {
        int m = transA ? a.cols() : a.rows();
        int k = transA ? a.rows() : a.cols();
        int n = transB ? b.rows() : b.cols();
        return m + "×" + n + "×" + k;
    }

    /**
     * What {@link #gemmPair} measured so far on this backend, one line per pair of shapes (m×n×k
     * of each product), e.g. "300×300×300 and 300×300×300: concurrently, one per thread (measured
     * 0.62 ms concurrently, 0.70 ms split)"; empty when nothing was split.
     */
    public java.util.List<String> pairChoices() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (PairChoice c : pairChoices) {
            out.add(c.describe());
        }
        return out;
    }

    /** A new matrix A·B. */
    public Matrix multiply(Matrix a, Matrix b) {
        return multiply(false, a, false, b);
    }

    /** A new matrix op(A)·op(B). */
    public Matrix multiply(boolean transA, Matrix a, boolean transB, Matrix b) {
        Matrix c = new Matrix(transA ? a.cols() : a.rows(), transB ? b.rows() : b.cols());
        gemm(transA, transB, 1.0, a, b, 0.0, c);
        return c;
    }

    /** The product A_1·A_2·…·A_n of a non-empty chain, left to right. */
    public Matrix multiplyChain(Matrix... factors) {
        if (factors.length == 0) {
            throw new IllegalArgumentException("multiplyChain needs at least one factor");
        }
        Matrix p = factors[0];
        for (int i = 1; i < factors.length; i++) {
            p = multiply(p, factors[i]);
        }
        return factors.length == 1 ? p.copy() : p;
    }

    /**
     * Matrix-vector multiply: y ← alpha·op(A)·x + beta·y; y is modified. Cost O(m·n).
     * Offsets let callers work on slices of larger arrays without copies.
     */
    public void gemv(boolean transA, double alpha, Matrix a, double[] x, int xOffset, double beta,
                     double[] y, int yOffset) {
        int m = a.rows();
        int n = a.cols();
        int lenX = transA ? m : n;
        int lenY = transA ? n : m;
        if (xOffset < 0 || yOffset < 0 || x.length - xOffset < lenX || y.length - yOffset < lenY) {
            throw new IllegalArgumentException("gemv: A " + a.shape() + (transA ? "ᵀ" : "")
                    + " needs x of length " + lenX + " and y of length " + lenY + ", got "
                    + (x.length - xOffset) + " and " + (y.length - yOffset));
        }
        if (lenY == 0) {
            return;
        }
        if (lenX == 0) {
            for (int i = 0; i < lenY; i++) {
                y[yOffset + i] = beta == 0.0 ? 0.0 : beta * y[yOffset + i];
            }
            return;
        }
        String ta = transA ? "T" : "N";
        int lda = Math.max(1, m);
        int parts = splitParts > 1 && (double) m * n >= splitMinWorkGemv && lenY >= 2 * splitParts ? splitParts : 1;
        if (parts > 1 && transA) {
            // y[j0:j1] = A[:, j0:j1]ᵀ·x
            Parallel.forParts(parts, lenY, (part, j0, j1) -> blas.dgemv(ta, m, j1 - j0, alpha, a.data(), j0 * lda, lda,
                    x, xOffset, 1, beta, y, yOffset + j0, 1));
        } else if (parts > 1) {
            // y[i0:i1] = A[i0:i1, :]·x
            Parallel.forParts(parts, lenY, (part, i0, i1) -> blas.dgemv(ta, i1 - i0, n, alpha, a.data(), i0, lda,
                    x, xOffset, 1, beta, y, yOffset + i0, 1));
        } else {
            blas.dgemv(ta, m, n, alpha, a.data(), 0, lda, x, xOffset, 1, beta, y, yOffset, 1);
        }
    }

    /** y ← alpha·op(A)·x + beta·y on whole arrays. */
    public void gemv(boolean transA, double alpha, Matrix a, double[] x, double beta, double[] y) {
        gemv(transA, alpha, a, x, 0, beta, y, 0);
    }

    /** xᵀy over n entries. */
    public double dot(int n, double[] x, int xOffset, double[] y, int yOffset) {
        if (n == 0) {
            return 0.0;
        }
        return blas.ddot(n, x, xOffset, 1, y, yOffset, 1);
    }

    // ------------------------------------------------------------------ LAPACK

    /**
     * Thin SVD A = U·diag(s)·Vᵀ (LAPACK dgesdd, falling back to dgesvd if it does not converge).
     * A is not modified. Cost O(m·n·min(m, n)).
     */
    public Svd svd(Matrix a) {
        int m = a.rows();
        int n = a.cols();
        int k = Math.min(m, n);
        if (k == 0) {
            return new Svd(new Matrix(m, 0), new double[0], new Matrix(0, n));
        }
        double[] work = a.data().clone();
        double[] s = new double[k];
        Matrix u = new Matrix(m, k);
        Matrix vt = new Matrix(k, n);
        intW info = new intW(0);
        int[] iwork = new int[8 * k];
        double[] query = new double[1];
        lapack.dgesdd("S", m, n, work, m, s, u.data(), m, vt.data(), k, query, -1, iwork, info);
        int lwork = Math.max(1, (int) query[0]);
        lapack.dgesdd("S", m, n, work, m, s, u.data(), m, vt.data(), k, new double[lwork], lwork, iwork, info);
        if (info.val == 0) {
            return new Svd(u, s, vt);
        }
        // dgesdd failed to converge (rare): retry with the slower, more robust dgesvd
        work = a.data().clone();
        info.val = 0;
        lapack.dgesvd("S", "S", m, n, work, m, s, u.data(), m, vt.data(), k, query, -1, info);
        lwork = Math.max(1, (int) query[0]);
        lapack.dgesvd("S", "S", m, n, work, m, s, u.data(), m, vt.data(), k, new double[lwork], lwork, info);
        if (info.val != 0) {
            throw new ArithmeticException("SVD of a " + a.shape() + " matrix did not converge (LAPACK info "
                    + info.val + "); check the matrix for NaN or Inf entries");
        }
        return new Svd(u, s, vt);
    }

    /** The singular values of A, non-increasing. A is not modified. */
    public double[] singularValues(Matrix a) {
        int m = a.rows();
        int n = a.cols();
        int k = Math.min(m, n);
        if (k == 0) {
            return new double[0];
        }
        double[] work = a.data().clone();
        double[] s = new double[k];
        intW info = new intW(0);
        int[] iwork = new int[8 * k];
        double[] query = new double[1];
        double[] dummy = new double[1];
        lapack.dgesdd("N", m, n, work, m, s, dummy, 1, dummy, 1, query, -1, iwork, info);
        int lwork = Math.max(1, (int) query[0]);
        lapack.dgesdd("N", m, n, work, m, s, dummy, 1, dummy, 1, new double[lwork], lwork, iwork, info);
        if (info.val != 0) {
            return svd(a).s();
        }
        return s;
    }

    /** Thin QR A = Q·R (dgeqrf + dorgqr). A is not modified. Cost O(m·n·min(m, n)). */
    public Qr qr(Matrix a) {
        int m = a.rows();
        int n = a.cols();
        int k = Math.min(m, n);
        if (k == 0) {
            return new Qr(new Matrix(m, 0), new Matrix(0, n));
        }
        double[] work = a.data().clone();
        double[] tau = new double[k];
        intW info = new intW(0);
        double[] query = new double[1];
        lapack.dgeqrf(m, n, work, m, tau, query, -1, info);
        int lwork = Math.max(1, (int) query[0]);
        lapack.dgeqrf(m, n, work, m, tau, new double[lwork], lwork, info);
        checkInfo(info, "dgeqrf", a);
        Matrix r = new Matrix(k, n);
        for (int j = 0; j < n; j++) {
            for (int i = 0; i <= Math.min(j, k - 1); i++) {
                r.set(i, j, work[i + j * m]);
            }
        }
        // Q: the first k columns of the reflector product, computed in place
        double[] q = java.util.Arrays.copyOf(work, m * k);
        lapack.dorgqr(m, k, k, q, m, tau, query, -1, info);
        lwork = Math.max(1, (int) query[0]);
        lapack.dorgqr(m, k, k, q, m, tau, new double[lwork], lwork, info);
        checkInfo(info, "dorgqr", a);
        return new Qr(Matrix.wrap(m, k, q), r);
    }

    /**
     * Solves A·X = B for symmetric positive definite A (Cholesky, dposv). Neither argument is
     * modified. Cost O(n³ + n²·nrhs).
     *
     * @throws ArithmeticException if A is not positive definite
     */
    public Matrix solveSpd(Matrix a, Matrix b) {
        int n = a.rows();
        if (a.cols() != n || b.rows() != n) {
            throw new IllegalArgumentException("solveSpd: A " + a.shape() + " must be square and match B " + b.shape());
        }
        Matrix x = b.copy();
        if (n == 0 || b.cols() == 0) {
            return x;
        }
        double[] f = a.data().clone();
        intW info = new intW(0);
        lapack.dposv("L", n, b.cols(), f, n, x.data(), n, info);
        if (info.val > 0) {
            throw new ArithmeticException("solveSpd: the " + n + "×" + n
                    + " matrix is not positive definite (leading minor " + info.val + "); add regularisation");
        }
        checkInfo(info, "dposv", a);
        return x;
    }

    private static void checkInfo(intW info, String routine, Matrix a) {
        if (info.val != 0) {
            throw new ArithmeticException(routine + " failed on a " + a.shape() + " matrix (LAPACK info " + info.val + ")");
        }
    }

    @Override
    public String toString() {
        return "LinearAlgebra[" + description + "]";
    }
}
