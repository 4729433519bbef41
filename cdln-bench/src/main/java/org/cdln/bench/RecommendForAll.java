package org.cdln.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cdln.data.IdMapping;
import org.cdln.data.Ratings;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.cdln.recommend.Centering;
import org.cdln.recommend.CompletionModel;
import org.cdln.recommend.ModelKind;
import org.cdln.recommend.RatingBaseline;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Batch top-10 of every user ({@link CompletionModel#recommendForAll}) on synthetic models:
 * MovieLens-100K's shape (943 users × 1,682 items, rank 16, 106 rated items per user as in
 * u.data) and a large one (10⁵ users × 5·10⁴ items, rank 32, 20 rated items per user).
 * Factors are Gaussian, biases N(0, 0.3²); the lists are consumed by a counting sink.
 *
 * <p>JMH: {@code java -cp "cdln-bench/target/classes:cdln-bench/target/lib/*" org.openjdk.jmh.Main RecommendForAll}.
 * Throughput and peak heap in one run: {@code java -cp … org.cdln.bench.RecommendForAll [USERS ITEMS RANK SEEN]}
 * prints users per second (best of 10 passes after 5 warm-ups for ≤ 10⁴ users, else one pass after a
 * warm-up on 2,000 users) and the peak heap used while recommending (sum of the heap pools' peaks after a
 * GC, an upper bound).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class RecommendForAll {
    @Param({"943x1682x16x106", "100000x50000x32x20"})
    String shape;

    private CompletionModel model;

    @Setup
    public void setUp() {
        String[] f = shape.split("x");
        model = synthetic(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                1);
    }

    @Benchmark
    public long top10ForAll() {
        long[] n = {0};
        model.recommendForAll(10, true, r -> n[0] += r.items().size());
        return n[0];
    }

    /** A synthetic model: Gaussian factors scaled to ratings' size, {@code seen} distinct items per user. */
    static CompletionModel synthetic(int users, int items, int rank, int seen, long seed) {
        Rng rng = new Rng(seed);
        Matrix u = rng.gaussianMatrix(users, rank, 1.0 / Math.sqrt(rank));
        Matrix v = rng.gaussianMatrix(rank, items, 1.0);
        double[] bu = new double[users];
        double[] bi = new double[items];
        for (int q = 0; q < users; q++) {
            bu[q] = 0.3 * rng.gaussian();
        }
        for (int q = 0; q < items; q++) {
            bi[q] = 0.3 * rng.gaussian();
        }
        int n = users * seen;
        int[] ui = new int[n];
        int[] ii = new int[n];
        double[] val = new double[n];
        for (int q = 0; q < users; q++) {
            long[] pick = rng.sampleWithoutReplacement(items, seen);
            for (int j = 0; j < seen; j++) {
                ui[q * seen + j] = q;
                ii[q * seen + j] = (int) pick[j];
                val[q * seen + j] = 3;
            }
        }
        Ratings r = Ratings.of(ids("u", users), ids("i", items), ui, ii, val, null, "synthetic " + users + "×" + items);
        return CompletionModel.of(ModelKind.CDLN, new RatingBaseline(Centering.BIASES, 3.5, bu, bi, 5), u, v, 1, 5, r,
                Map.of());
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean s ? s.getProcessCpuTime() : 0L;
    }

    private static IdMapping ids(String prefix, int n) {
        List<String> l = new ArrayList<>(n);
        for (int q = 0; q < n; q++) {
            l.add(prefix + q);
        }
        return IdMapping.of(l);
    }

    /** One timed pass (after one warm-up pass) with its users per second and peak heap. */
    public static void main(String[] args) {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int items = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        int rank = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        int seen = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        CompletionModel m = synthetic(users, items, rank, seen, 1);
        LinearAlgebra la = LinearAlgebra.instance();
        int[] first = new int[Math.min(users, 2000)];
        for (int q = 0; q < first.length; q++) {
            first[q] = q;
        }
        int passes = users <= 10_000 ? 10 : 1;
        for (int w = 0; w < (passes > 1 ? 5 : 1); w++) {
            m.recommendFor(first, 10, true, r -> { });           // warm-up: JIT and pool threads
        }
        System.gc();
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        long before = pools.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
        pools.forEach(MemoryPoolMXBean::resetPeakUsage);
        long[] lists = {0};
        double s = Double.POSITIVE_INFINITY;
        double cpu = Double.POSITIVE_INFINITY;
        for (int p = 0; p < passes; p++) {
            lists[0] = 0;
            long t0 = System.nanoTime();
            long c0 = processCpuNanos();
            m.recommendForAll(10, true, r -> lists[0] += r.items().isEmpty() ? 0 : 1);
            s = Math.min(s, (System.nanoTime() - t0) * 1e-9);
            cpu = Math.min(cpu, (processCpuNanos() - c0) * 1e-9);
        }
        long peak = pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.out.printf(Locale.ROOT, "recommendForAll(10): %,d users × %,d items, rank %d, %d seen per user; %s%n",
                users, items, rank, seen, la.threadingDescription());
        System.out.printf(Locale.ROOT, "  process CPU %.3f s (all threads; on a loaded machine wall time counts waiting for "
                + "a core, CPU time does not): %,.0f users per CPU-second%n", cpu, users / cpu);
        System.out.printf(Locale.ROOT, "  wall %.3f s (best of %d), %,.0f users/s, %,d lists; heap used before %.0f MB, peak during %.0f MB "
                + "(max heap %.0f MB)%n", s, passes, users / s, lists[0], before / 1048576.0, peak / 1048576.0,
                Runtime.getRuntime().maxMemory() / 1048576.0);
    }
}
