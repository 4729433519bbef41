package org.cdln.bench;

import java.util.concurrent.TimeUnit;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Rng;
import org.cdln.problem.CompletionProblem;
import org.cdln.problem.LowRankTarget;
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
 * The completion oracle's work per training step — loss, G·Rᵀ and Lᵀ·G in one call — on each
 * path: the fused sparse kernel in plain Java ("fused-scalar") and in jdk.incubator.vector
 * ("fused-vector"), the vector kernel that keeps a row in registers ("fused-registers", k = 10
 * and 20 only), the same on factors padded to three whole vectors ("fused-padded", 9 ≤ k ≤ 12; for
 * other k the forced kernel falls back as below), the vector kernel on factors padded to whole vectors, four entries per group
 * ("fused-blocks", k ≤ 12; for wider k it falls back to "fused-vector"), the same residuals and
 * products as three separate sweeps ("unfused": the
 * oracle's loss, then G·Bᵀ, then Aᵀ·G), and the dense path ("dense": three GEMMs), for the
 * compressed widths (k = 10, 20) and the wide one (k = 100), at p = 0.3 (the reference
 * completion problem) and d = 100, 300, 1000. Compare within one run, e.g.
 * {@code -p d=1000 -p k=10}; the fork runs with the vector module. For one thread set both
 * {@code OPENBLAS_NUM_THREADS=1} and {@code CDLN_THREADS=1} (without the first the dense path runs
 * OpenBLAS's own threads, without the second the sparse one splits over cdln's).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class CompletionKernels {
    @Param({"100", "300", "1000"})
    int d;
    @Param({"0.3"})
    double p;
    @Param({"10", "20", "100"})
    int k;
    @Param({"fused-scalar", "fused-vector", "fused-registers", "fused-padded", "fused-blocks", "unfused", "dense"})
    String path;

    private OracleCall call;

    @Setup
    public void setUp() {
        LinearAlgebra la = LinearAlgebra.instance();
        Rng rng = new Rng(1);
        LowRankTarget t = LowRankTarget.random(d, d, 5, rng.split(), la);
        long observed = (long) Math.floor(p * d * d);
        CompletionProblem mc = t.sampleCompletion(observed, Math.min(1000, (long) d * d - observed), rng.split(), "bench");
        call = new OracleCall(mc, path, k, rng, la);
    }

    @Benchmark
    public double lossAndGradientProducts() {
        return call.call();
    }
}
