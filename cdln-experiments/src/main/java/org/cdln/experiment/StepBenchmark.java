package org.cdln.experiment;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cdln.compress.SpectralInit;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.cdln.model.DeepLinearNetwork;
import org.cdln.model.Initialization;
import org.cdln.optim.LayerRates;
import org.cdln.optim.OptimizerConfig;
import org.cdln.problem.CompletionProblem;
import org.cdln.problem.FactorizationProblem;
import org.cdln.problem.LowRankTarget;
import org.cdln.problem.Problem;
import org.cdln.problem.SensingProblem;
import org.cdln.train.Trainer;
import org.cdln.train.TrainerConfig;
import org.cdln.train.TrainingContext;
import org.cdln.train.TrainingListener;
import org.cdln.train.TrainingPoint;

/**
 * Time per training step of the real {@link Trainer} loop, for {@code cdln bench}.
 *
 * <p>What is timed: {@link Trainer#fit} runs unchanged (loss and all gradients through
 * {@link org.cdln.model.Backprop}, then one optimiser update); a listener reads the clock at every
 * {@code onStep}, so the interval between two consecutive calls is exactly one step — update plus
 * the next loss-and-gradients — with nothing else in it. The first interval of each fit, which
 * holds the evaluation at step 0, is dropped; no other evaluation happens (the evaluation interval
 * is larger than the budget). After a warm-up fit (JIT compilation), fits are repeated until a
 * time budget is used; the result is the median interval. Problem generation and network
 * construction are not timed.
 *
 * <p>FLOPs ({@link #flopsPerStep}) count 2 per multiply-add of the products the step actually
 * runs: the forward prefix products, the evaluator's products (completion: three sparse passes of
 * |Ω|·k over the observed entries, or three d1·d2·k GEMMs when the evaluator takes the dense path;
 * factorization: three d1·d2·k GEMMs; sensing adds two m·d1·d2 GEMVs) and the backward sweep. Element-wise work (residuals, optimiser update), O(d1·d2) or O(parameters),
 * is not counted.
 */
public final class StepBenchmark {
    private StepBenchmark() {
    }

    /**
     * One benchmark case.
     *
     * @param problem  completion, factorization or sensing
     * @param model    original (wide, width max(d1, d2)) or compressed (spectral init, width r̂)
     * @param d1       rows
     * @param d2       columns
     * @param observed |Ω| for completion, m for sensing, d1·d2 for factorization
     * @param rank     target rank r
     * @param rankHat  compressed width r̂
     */
    public record Case(String problem, String model, int d1, int d2, long observed, int rank, int rankHat) {
        /** "completion/original d=100". */
        public String label() {
            return problem + "/" + model + " " + (d1 == d2 ? "d=" + d1 : d1 + "×" + d2)
                    + (problem.equals("completion") ? " |Ω|=" + observed : problem.equals("sensing") ? " m=" + observed : "");
        }

        /** Whether the case is a compressed completion step, the sparse cases of the roofline. */
        public boolean sparse() {
            return problem.equals("completion") && model.equals("compressed");
        }
    }

    /**
     * The measurement of one case.
     *
     * @param secondsPerStep median step time
     * @param lowerQuartile  the step time a quarter of the intervals are below
     * @param upperQuartile  the step time a quarter of the intervals are above: on a machine whose
     *                       speed changes while it runs (a virtual machine whose host is busy) the
     *                       two are far apart, and the median may sit at either end
     * @param steps          number of step intervals the median is taken over
     * @param flopsPerStep   FLOPs of one step (see the class comment)
     * @param peakHeapBytes  sum of the peak usages of the heap memory pools while the case was
     *                       built and run (an upper bound of the peak heap)
     */
    public record Result(Case c, double secondsPerStep, double lowerQuartile, double upperQuartile, int steps,
                         double flopsPerStep, long peakHeapBytes, String oraclePath, double denseFlopsPerStep) {
        /** (upper − lower quartile) ÷ median: the relative spread of the step times. */
        public double spread() {
            return (upperQuartile - lowerQuartile) / secondsPerStep;
        }

        /** Achieved GFLOP/s. */
        public double gflops() {
            return flopsPerStep / secondsPerStep * 1e-9;
        }

        /**
         * The step's time at the dense path's FLOPs and the dgemm rate ({@code denseFlopsPerStep}
         * ÷ peak) over the measured time: the original network's share of what its dense
         * algorithm could do at GEMM peak. Equal to gflops/peak when the step runs the dense
         * path; above it when the timed choice found a faster sparse path (it can pass 1).
         */
        public double denseBoundFraction(double peakGflops) {
            return denseFlopsPerStep / (peakGflops * 1e9) / secondsPerStep;
        }
    }

    /**
     * The roofline of a compressed completion step (see {@link #roofline}).
     *
     * @param bytesPerStep   the least memory traffic of one step
     * @param flopsPerStep   the least FLOPs of one step (the sparse algorithm's)
     * @param boundSeconds   max(flops/peak FLOP/s, bytes/bandwidthGbPerS)
     * @param fraction       bound ÷ measured seconds per step (1 = at the machine's limit)
     * @param memoryBound    whether the bytes, not the FLOPs, set the bound
     * @param workingSetBytes the bytes of all arrays a step touches (each once)
     * @param level          the memory level that holds them between steps by its size (its own triad
     *                       is measured at half its capacity: context, not the bound's bandwidth)
     * @param bandwidthGbPerS the triad bandwidth on a working set of the step's own size ({@link
     *                       #workingSetTriadGbPerS}), the bandwidth the bound charges the bytes at
     */
    public record Roofline(double bytesPerStep, double flopsPerStep, double boundSeconds, double fraction,
                           boolean memoryBound, double workingSetBytes, MemoryLevel level, double bandwidthGbPerS) {
    }

    /**
     * A level of the memory hierarchy as the steps see it.
     *
     * @param name     "L2", "L3" or "DRAM"
     * @param capacity bytes the step's threads can keep in it (a private cache: its size times the
     *                 threads; a shared one: its size; DRAM: unbounded)
     * @param gbPerS   triad bandwidth measured on a working set of half the capacity (DRAM: {@link
     *                 #streamTriadGbPerS})
     */
    public record MemoryLevel(String name, long capacity, double gbPerS) {
    }

    /**
     * The least work and traffic of one compressed completion step of depth 3 (widths d2, k, k,
     * d1) and the time they imply on this machine. FLOPs, 2 per multiply-add: 6·|Ω|·k for the
     * sampled product and the two sparse products (whichever evaluator runs, this is the least
     * exact one), 2·k²·d2 for each of F = W2·W1, ∂W2 = A·W1ᵀ and ∂W1 = W2ᵀ·A, and 2 per
     * parameter for the update. Bytes: each observed entry's column index and value once
     * (12·|Ω| + 4·(d1 + 1) with the row pointers), and every dense array of the step touched the
     * least number of times its products need — W1, F, A (k×d2): forward read W1 and write F,
     * the evaluator reads W3 and F and writes ∂W3 and A, ∂W2 reads A and W1, ∂W1 reads W2 and A
     * and writes ∂W1, the update reads each W and its gradient and writes W: 8·(11·k·d2 + 5·d1·k
     * + 6·k²) bytes.
     *
     * <p>Those bytes come from where the step's data lives between steps: its working set ({@link
     * #workingSetBytes}) stays in whatever part of the hierarchy holds that many bytes, so they are
     * charged at the triad bandwidth measured on a working set of that same size ({@code
     * bandwidthGbPerS}, {@link #workingSetTriadGbPerS}) — a step whose data sits in L2 is not
     * limited by DRAM bandwidth, and a bound that assumed it would be loose by the ratio of the
     * two. (The level named is the first of {@code levels} that holds the working set with a
     * quarter to spare, by the sizes Linux reports; its own triad, at half its capacity, is not
     * used: a virtual machine may report a last-level cache far larger than the one its data gets,
     * and a triad on half of it then measures DRAM.) The bound is max(FLOPs ÷ dgemm rate, bytes ÷
     * that bandwidth), both measured in the same run with the same threads — a limit no
     * implementation of the step passes.
     */
    public static Roofline roofline(Case c, int innerWidth, double secondsPerStep, double peakGflops,
                                    List<MemoryLevel> levels, double bandwidthGbPerS) {
        double k = innerWidth;
        double d1 = c.d1();
        double d2 = c.d2();
        double nnz = c.observed();
        double params = k * d2 + k * k + d1 * k;
        double flops = 6.0 * nnz * k + 3 * 2.0 * k * k * d2 + 2.0 * params;
        double bytes = 12.0 * nnz + 4.0 * (d1 + 1) + 8.0 * (11.0 * k * d2 + 5.0 * d1 * k + 6.0 * k * k);
        double workingSet = workingSetBytes(c, innerWidth);
        MemoryLevel level = levels.get(levels.size() - 1);
        for (MemoryLevel l : levels) {
            if (workingSet <= 0.75 * l.capacity()) {
                level = l;
                break;
            }
        }
        double tFlops = flops / (peakGflops * 1e9);
        double tBytes = bytes / (bandwidthGbPerS * 1e9);
        double bound = Math.max(tFlops, tBytes);
        return new Roofline(bytes, flops, bound, bound / secondsPerStep, tBytes > tFlops, workingSet, level,
                bandwidthGbPerS);
    }

    /**
     * The bytes of every array a compressed completion step of inner width k touches, each once:
     * 12·|Ω| + 4·(d1 + 1) (column indices, values, row pointers) + 8·(4·k·d2 + 2·d1·k + 2·k²)
     * (W1, F, A and ∂W1; W3 and ∂W3; W2 and ∂W2).
     */
    public static double workingSetBytes(Case c, int innerWidth) {
        double k = innerWidth;
        return 12.0 * c.observed() + 4.0 * (c.d1() + 1) + 8.0 * (4.0 * k * c.d2() + 2.0 * c.d1() * k + 2.0 * k * k);
    }

    /** Doubles per array of the STREAM triad ({@link #streamTriadGbPerS}): 2²², three arrays of 32 MiB. */
    static final int STREAM_DOUBLES = 1 << 22;

    /**
     * Whether a working set of {@code bytes} is at least the STREAM triad's 96 MiB, beyond the
     * caches: its bandwidth is {@link #streamTriadGbPerS}'s, already measured, not a triad of its own.
     */
    public static boolean beyondCaches(double bytes) {
        return bytes >= 24.0 * STREAM_DOUBLES;
    }

    /**
     * The triad's bandwidth ({@link #triadGbPerS}) on three arrays of {@code bytes} in all — the
     * bandwidth of whatever level holds a working set that large, measured rather than looked
     * up — at least 3·2¹⁰ doubles; at most the STREAM triad's (a working set {@link #beyondCaches}
     * gets its measurement again).
     */
    public static double workingSetTriadGbPerS(double bytes) {
        long n = (long) Math.ceil(bytes / 24.0);
        return triadGbPerS((int) Math.max(1 << 10, Math.min(STREAM_DOUBLES, n)));
    }

    /**
     * The memory levels a step's data can live in, smallest first, each with its triad bandwidth
     * on this machine with {@link org.cdln.linalg.Parallel#threads()} threads: the per-core L2 and
     * the shared L3 as Linux describes them (/sys/devices/system/cpu/cpu0/cache; left out where
     * that is not readable), then DRAM ({@link #streamTriadGbPerS}).
     */
    public static List<MemoryLevel> memoryLevels() {
        int threads = org.cdln.linalg.Parallel.threads();
        List<MemoryLevel> out = new ArrayList<>();
        for (int index = 0; index < 8; index++) {
            java.nio.file.Path dir = java.nio.file.Path.of("/sys/devices/system/cpu/cpu0/cache/index" + index);
            try {
                int level = Integer.parseInt(java.nio.file.Files.readString(dir.resolve("level")).trim());
                String type = java.nio.file.Files.readString(dir.resolve("type")).trim();
                long size = parseSize(java.nio.file.Files.readString(dir.resolve("size")).trim());
                String shared = java.nio.file.Files.readString(dir.resolve("shared_cpu_list")).trim();
                if (level < 2 || type.equals("Instruction") || size <= 0) {
                    continue;
                }
                boolean privateCache = !shared.contains(",") && !shared.contains("-");
                long capacity = privateCache ? size * threads : size;
                out.add(new MemoryLevel("L" + level, capacity, triadGbPerS((int) Math.min(1 << 24, capacity / 2 / 24))));
            } catch (java.io.IOException | RuntimeException e) {
                // no such cache index, or not Linux: the levels found so far
            }
        }
        out.add(new MemoryLevel("DRAM", Long.MAX_VALUE, streamTriadGbPerS()));
        return out;
    }

    /** Level by level, the faster of two measurements of the same levels (a by name, b's where it has one). */
    public static List<MemoryLevel> betterLevels(List<MemoryLevel> a, List<MemoryLevel> b) {
        List<MemoryLevel> out = new ArrayList<>();
        for (MemoryLevel l : a) {
            MemoryLevel best = l;
            for (MemoryLevel m : b) {
                if (m.name().equals(l.name()) && m.gbPerS() > best.gbPerS()) {
                    best = m;
                }
            }
            out.add(best);
        }
        return out;
    }

    private static long parseSize(String s) {
        long unit = s.endsWith("K") ? 1024L : s.endsWith("M") ? 1024L * 1024 : s.endsWith("G") ? 1024L << 20 : 1L;
        return Long.parseLong(unit == 1L ? s : s.substring(0, s.length() - 1)) * unit;
    }

    /**
     * Sustainable memory bandwidth in GB/s: a STREAM-triad loop a[i] = b[i] + s·c[i] over three
     * arrays of 2²² doubles (32 MiB each, beyond the caches), split over the {@link
     * org.cdln.linalg.Parallel} pool like the kernels, 24 bytes counted per element (STREAM's
     * convention: no write-allocate traffic). Best of 10 after one warm-up pass.
     */
    public static double streamTriadGbPerS() {
        return triadGbPerS(STREAM_DOUBLES);
    }

    /**
     * The triad's bandwidth on arrays of n doubles each (24·n bytes in all), best of 10 timings
     * after a warm-up; each timing repeats the pass until it covers at least 2²² elements, so that
     * cache-sized arrays are timed over milliseconds, not microseconds.
     */
    public static double triadGbPerS(int n) {
        double[] a = new double[n];
        double[] b = new double[n];
        double[] cc = new double[n];
        java.util.Arrays.fill(b, 1.0);
        java.util.Arrays.fill(cc, 2.0);
        double scalar = 3.0;
        int passes = Math.max(1, (1 << 22) / n);
        double best = Double.POSITIVE_INFINITY;
        int parts = org.cdln.linalg.Parallel.threads();
        // compile the loop first: timings of the interpreter would be of the JIT, not the memory
        double[] w = new double[256];
        for (int rep = 0; rep < 20_000; rep++) {
            triad(w, w, w, 0.5, 0, w.length, 1);
        }
        for (int rep = 0; rep < 11; rep++) {
            long t0 = System.nanoTime();
            org.cdln.linalg.Parallel.forParts(parts, n, (part, from, to) -> triad(a, b, cc, scalar, from, to, passes));
            double t = (System.nanoTime() - t0) * 1e-9;
            if (rep > 0) {
                best = Math.min(best, t);
            }
        }
        if (a[n / 2] != 7.0) {
            throw new IllegalStateException("triad produced " + a[n / 2]);
        }
        return 24.0 * n * (double) passes / best * 1e-9;
    }

    /** passes × (a[i] = b[i] + s·c[i] for i in [from, to)). */
    private static void triad(double[] a, double[] b, double[] c, double s, int from, int to, int passes) {
        for (int pass = 0; pass < passes; pass++) {
            for (int i = from; i < to; i++) {
                a[i] = b[i] + s * c[i];
            }
        }
    }

    /** The cases of {@code cdln bench}: d ∈ {100, 300, 1000} (and 3000 unless quick), plus large completion. */
    public static List<Case> cases(boolean quick) {
        List<Case> cs = new ArrayList<>();
        int[] ds = quick ? new int[] {100, 300, 1000} : new int[] {100, 300, 1000, 3000};
        for (String problem : List.of("completion", "factorization", "sensing")) {
            for (int d : ds) {
                for (String model : List.of("original", "compressed")) {
                    Case c = standard(problem, model, d);
                    if (c != null) {
                        cs.add(c);
                    }
                }
            }
        }
        cs.add(new Case("completion", "compressed", 10_000, 10_000, 1_000_000L, 10, 20));
        if (!quick) {
            cs.add(new Case("completion", "compressed", 100_000, 100_000, 10_000_000L, 10, 20));
        }
        return cs;
    }

    /** Largest stacked sensing operator the benchmark builds, in entries (512 MiB). */
    public static final long SENSING_OPERATOR_LIMIT = 1L << 26;

    /**
     * A case at the reference settings of its problem: completion r = 5, p = 0.3, r̂ = 10;
     * factorization r = 10, r̂ = 20; sensing r = 5, r̂ = 10, m = 4·d·r capped so that the stacked
     * operator holds at most {@link #SENSING_OPERATOR_LIMIT} entries — null (skipped) when that
     * leaves m &lt; d.
     */
    public static Case standard(String problem, String model, int d) {
        return switch (problem) {
            case "completion" -> new Case(problem, model, d, d, (long) Math.floor(0.3 * d * (double) d), 5, 10);
            case "factorization" -> new Case(problem, model, d, d, (long) d * d, 10, 20);
            case "sensing" -> {
                long m = Math.min(4L * d * 5, SENSING_OPERATOR_LIMIT / ((long) d * d));
                yield m < d ? null : new Case(problem, model, d, d, m, 5, 10);
            }
            default -> throw new IllegalArgumentException("unknown problem '" + problem
                    + "'; use completion, factorization or sensing");
        };
    }

    /**
     * Builds and times one case.
     *
     * @param budgetSeconds time to spend on measured fits after the warm-up
     */
    public static Result run(Case c, LinearAlgebra la, double budgetSeconds, long seed) {
        System.gc();
        resetPeaks();
        Rng rng = new Rng(seed);
        Problem problem = buildProblem(c, rng.split(), la);
        DeepLinearNetwork net;
        TrainerConfig base;
        double eta = referenceStep(c);
        double alpha = c.problem().equals("completion") ? 5.0 : 1.0;
        base = new TrainerConfig(1, 0.0, Integer.MAX_VALUE, OptimizerConfig.gd(eta), null, 0.0);
        if (c.model().equals("original")) {
            int width = Math.max(c.d1(), c.d2());
            net = DeepLinearNetwork.wide(c.d1(), c.d2(), width, 3, Initialization.ORTH, 1e-2, rng.split(), la);
        } else {
            net = new SpectralInit(c.rankHat(), 3, 1e-2).build(problem, seed, la);
            base = base.withLayerRates(LayerRates.discrepant(3, alpha));
        }
        StepClock clock = new StepClock();
        // warm-up: at least one fit, until ~1/3 of the budget or 300 steps
        long warmSteps = 2;
        long t0 = System.nanoTime();
        while (true) {
            clock.reset(warmSteps);
            fit(base.withMaxSteps(warmSteps), clock, net, problem, la);
            double elapsed = (System.nanoTime() - t0) * 1e-9;
            if (elapsed > budgetSeconds / 3 || warmSteps >= 300) {
                break;
            }
            warmSteps = Math.min(300, warmSteps * 4);
        }
        double perStep = Math.max(1e-7, clock.median());
        long stepsPerFit = Math.max(3, Math.min(5000, (long) (budgetSeconds / 5 / perStep)));
        List<Double> intervals = new ArrayList<>();
        long start = System.nanoTime();
        do {
            clock.reset(stepsPerFit);
            fit(base.withMaxSteps(stepsPerFit), clock, net, problem, la);
            for (int i = 0; i < clock.count(); i++) {
                intervals.add(clock.interval(i));
            }
        } while ((System.nanoTime() - start) * 1e-9 < budgetSeconds && intervals.size() < 100_000);
        double[] all = intervals.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(all);
        double median = all[all.length / 2];
        String path = problem instanceof CompletionProblem mc ? mc.oraclePath(net.layer(net.depth()).cols(), la) : "dense";
        return new Result(c, median, all[all.length / 4], all[(3 * all.length) / 4], all.length,
                flopsPerStep(c, net, problem, la), peakHeapBytes(), path,
                denseFlopsPerStep(c, net));
    }

    /**
     * The reference step size of the case's problem (docs/method.md §3: completion 10, factorization 1,
     * sensing 20 at d = 200, m = 4000). For sensing it is rescaled by the top curvature of the
     * loss, ≈ (√m + d)²/m² for N(0, 1/m²) measurements, relative to the reference setting, so that
     * the benchmark's other (d, m) train without diverging, as a real run would.
     */
    static double referenceStep(Case c) {
        return switch (c.problem()) {
            case "completion" -> 10.0;
            case "factorization" -> 1.0;
            default -> {
                double m = c.observed();
                double d = Math.sqrt((double) c.d1() * c.d2());
                double curvature = Math.pow(Math.sqrt(m) + d, 2) / (m * m);
                double reference = Math.pow(Math.sqrt(4000.0) + 200.0, 2) / (4000.0 * 4000.0);
                yield 20.0 * Math.min(1.0, reference / curvature);
            }
        };
    }

    private static void fit(TrainerConfig config, StepClock clock, DeepLinearNetwork net, Problem problem,
                            LinearAlgebra la) {
        new Trainer(config, la).addListener(clock).fit("bench", net, problem);
    }

    /** Builds the problem of a case; the target is a {@link LowRankTarget} (never formed for completion). */
    public static Problem buildProblem(Case c, Rng rng, LinearAlgebra la) {
        LowRankTarget t = LowRankTarget.random(c.d1(), c.d2(), c.rank(), rng.split(), la);
        String desc = c.label() + " (benchmark, rank " + c.rank() + ")";
        return switch (c.problem()) {
            case "completion" -> {
                long total = (long) c.d1() * c.d2();
                long held = Math.min(total - c.observed(), 100_000L);
                yield t.sampleCompletion(c.observed(), held, rng.split(), desc);
            }
            case "factorization" -> new FactorizationProblem(t.toDense(la), desc);
            case "sensing" -> SensingProblem.gaussian(t.toDense(la), (int) c.observed(), rng.split(), la, desc);
            default -> throw new IllegalArgumentException(c.problem());
        };
    }

    /**
     * FLOPs of one training step for the case (see the class comment). For completion it counts
     * the path the problem's evaluator takes ({@link CompletionProblem#usesDenseProducts}): three
     * d1·d2·k GEMMs, or three sparse passes of |Ω|·k.
     */
    public static double flopsPerStep(Case c, DeepLinearNetwork net, Problem problem, LinearAlgebra la) {
        int[] w = net.widths();
        int depth = w.length - 1;
        double d1 = c.d1();
        double d2 = c.d2();
        double k = w[depth - 1];
        double f = 0.0;
        for (int l = 2; l <= depth - 1; l++) {
            f += 2.0 * w[l] * w[l - 1] * d2;          // forward F_l = W_l·F_(l−1)
            f += 2.0 * w[l] * w[l - 1] * d2;          // ∂W_l = A_l·F_(l−1)ᵀ
            f += 2.0 * w[l - 1] * w[l] * d2;          // A_(l−1) = W_lᵀ·A_l
        }
        f += switch (c.problem()) {
            case "completion" -> ((CompletionProblem) problem).usesDenseProducts((int) k, la)
                    ? 6.0 * d1 * d2 * k : 6.0 * c.observed() * k;
            case "factorization" -> 6.0 * d1 * d2 * k;
            default -> 6.0 * d1 * d2 * k + 4.0 * c.observed() * d1 * d2;
        };
        return f;
    }

    /**
     * FLOPs of one step if its evaluator took the dense path: the backprop products of
     * {@link #flopsPerStep} and three d1·d2·k GEMMs (plus the two GEMVs of sensing).
     */
    public static double denseFlopsPerStep(Case c, DeepLinearNetwork net) {
        int[] w = net.widths();
        int depth = w.length - 1;
        double d2 = c.d2();
        double k = w[depth - 1];
        double f = 0.0;
        for (int l = 2; l <= depth - 1; l++) {
            f += 3 * 2.0 * w[l] * w[l - 1] * d2;
        }
        f += 6.0 * c.d1() * d2 * k;
        if (c.problem().equals("sensing")) {
            f += 4.0 * c.observed() * c.d1() * d2;
        }
        return f;
    }

    /**
     * GFLOP/s of C ← A·B for n×n matrices through {@link LinearAlgebra#gemm} with the same
     * threads as the steps: the best of 10 after one warm-up — the peak this machine attains,
     * which on a shared machine the median underestimates.
     */
    public static double dgemmGflops(int n, LinearAlgebra la) {
        Rng rng = new Rng(1);
        Matrix a = rng.gaussianMatrix(n, n, 1.0);
        Matrix b = rng.gaussianMatrix(n, n, 1.0);
        Matrix cm = new Matrix(n, n);
        la.gemm(false, false, 1.0, a, b, 0.0, cm);
        double[] t = new double[10];
        for (int i = 0; i < t.length; i++) {
            long s = System.nanoTime();
            la.gemm(false, false, 1.0, a, b, 0.0, cm);
            t[i] = (System.nanoTime() - s) * 1e-9;
        }
        Arrays.sort(t);
        return 2.0 * n * (double) n * n / t[0] * 1e-9;
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    private static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** Reads the clock at every step; interval i is the time between onStep(i + 1) and onStep(i + 2). */
    static final class StepClock implements TrainingListener {
        private long[] stamps = new long[16];
        private int n;

        void reset(long steps) {
            int need = (int) Math.min(Integer.MAX_VALUE - 8, steps + 2);
            if (stamps.length < need) {
                stamps = new long[need];
            }
            n = 0;
        }

        @Override
        public void onStep(long step, double loss, TrainingContext context) {
            if (n < stamps.length) {
                stamps[n++] = System.nanoTime();
            }
        }

        /** Number of clean intervals (the first, which holds the step-0 evaluation, is dropped). */
        int count() {
            return Math.max(0, n - 2);
        }

        double interval(int i) {
            return (stamps[i + 2] - stamps[i + 1]) * 1e-9;
        }

        double median() {
            int c = count();
            if (c == 0) {
                return Double.NaN;
            }
            double[] v = new double[c];
            for (int i = 0; i < c; i++) {
                v[i] = interval(i);
            }
            Arrays.sort(v);
            return v[c / 2];
        }
    }
}
