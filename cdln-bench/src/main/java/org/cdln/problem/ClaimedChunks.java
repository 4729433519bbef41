package org.cdln.problem;

import java.util.concurrent.TimeUnit;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
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
 * The sparse completion oracle's call split over two threads, cut two ways: "halves" (one row
 * part of half the stored entries per thread, each thread its own) and "claimed" (the cut the
 * oracle makes: a large and a small chunk per thread — 3/8, 3/8, 1/8, 1/8 of the entries — that
 * the threads claim in turn, so that a thread on a slower core runs fewer). d×d, p = 0.3, k = 10,
 * the padded register kernel (the plain vector one where the vector module has no padded kernel,
 * the scalar one without the module). It lives in the oracle's package because the cut is not a
 * setting: the oracle picks it. Run with {@code CDLN_THREADS=2 OPENBLAS_NUM_THREADS=1}; the two
 * cuts give the same results to rounding, and each the same bits at every call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ClaimedChunks {
    @Param({"300", "1000"})
    int d;
    @Param({"halves", "claimed"})
    String cut;

    private SparseCompletionOracle oracle;
    private Matrix left;
    private Matrix right;
    private Matrix gRightT;
    private Matrix leftTG;

    @Setup
    public void setUp() {
        LinearAlgebra la = LinearAlgebra.instance();
        Rng rng = new Rng(1);
        int k = 10;
        LowRankTarget t = LowRankTarget.random(d, d, 5, rng.split(), la);
        long observed = (long) Math.floor(0.3 * d * d);
        CompletionProblem mc = t.sampleCompletion(observed, 1000, rng.split(), "bench");
        CompletionKernel kernel = CompletionKernel.vectorPaddedRegisters() != null ? CompletionKernel.vectorPaddedRegisters()
                : CompletionKernel.preferred();
        kernel.warmUp(k);
        oracle = new SparseCompletionOracle(mc, k, 2, 0, kernel, cut.equals("halves") ? 2 : 0);
        left = rng.gaussianMatrix(d, k, 0.1);
        right = rng.gaussianMatrix(k, d, 0.1);
        gRightT = new Matrix(d, k);
        leftTG = new Matrix(k, d);
        oracle.settleAlignment(left, right, gRightT, leftTG);
    }

    @Benchmark
    public double lossAndGradientProducts() {
        return oracle.lossAndGradientProducts(left, right, gRightT, leftTG);
    }
}
