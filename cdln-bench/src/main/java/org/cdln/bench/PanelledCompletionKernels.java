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
 * The completion oracle's call (loss, G·Rᵀ and Lᵀ·G) where the factors need column panels and a
 * panel leaves each row only a few entries — the regime of the 10⁵×10⁵ problem with 10⁷ entries,
 * at a twentieth of its size: 10⁵×2·10⁴, 10 entries a row (or 40), r̂ = 20, so that R and Lᵀ·G
 * (6.4 MB) are swept in panels of 6,553 columns (the 2 MiB rule) and a panel holds ≈ 3.3 entries
 * of a row (or 13). Each path is one forced kernel ("fused-registers": the register kernel, which
 * reads and writes the transposed rows in place; "fused-vector": the plain vector kernel), on one
 * thread. Run with {@code CDLN_THREADS=1} (and {@code OPENBLAS_NUM_THREADS=1}, for its few BLAS
 * calls); the fork runs with the vector module.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class PanelledCompletionKernels {
    @Param({"10", "40"})
    int perRow;
    @Param({"fused-registers", "fused-vector"})
    String path;

    private static final int ROWS = 100_000;
    private static final int COLS = 20_000;
    private static final int K = 20;

    private OracleCall call;

    @Setup
    public void setUp() {
        LinearAlgebra la = LinearAlgebra.instance();
        Rng rng = new Rng(1);
        LowRankTarget t = LowRankTarget.random(ROWS, COLS, 5, rng.split(), la);
        CompletionProblem mc = t.sampleCompletion((long) perRow * ROWS, 1000, rng.split(), "bench");
        call = new OracleCall(mc, path, K, rng, la);
    }

    @Benchmark
    public double lossAndGradientProducts() {
        return call.call();
    }
}
