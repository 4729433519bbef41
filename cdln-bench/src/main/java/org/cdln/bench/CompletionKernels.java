package org.cdln.bench;

import java.util.concurrent.TimeUnit;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.cdln.problem.CompletionProblem;
import org.cdln.problem.LossGradientOracle;
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
 * The completion evaluator's work per training step — loss, G·Rᵀ and Lᵀ·G in one call — on the
 * sparse and the dense path, for the compressed widths (k = 10, 20) and the wide one (k = 100),
 * at d = 100 and p = 0.3 (the reference completion problem) or a sparser p.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CompletionKernels {
    @Param({"100"})
    int d;
    @Param({"0.3"})
    double p;
    @Param({"10", "20", "100"})
    int k;
    @Param({"sparse", "dense"})
    String path;

    private LossGradientOracle evaluator;
    private Matrix left;
    private Matrix right;
    private Matrix gRightT;
    private Matrix leftTG;

    @Setup
    public void setUp() {
        LinearAlgebra la = LinearAlgebra.instance();
        Rng rng = new Rng(1);
        LowRankTarget t = LowRankTarget.random(d, d, 5, rng.split(), la);
        long observed = (long) Math.floor(p * d * d);
        CompletionProblem mc = t.sampleCompletion(observed, Math.min(1000, (long) d * d - observed), rng.split(), "bench");
        mc = path.equals("dense") ? mc.withDenseGradient() : mc.withSparseGradient();
        evaluator = mc.newOracle(k, la);
        left = rng.gaussianMatrix(d, k, 0.1);
        right = rng.gaussianMatrix(k, d, 0.1);
        gRightT = new Matrix(d, k);
        leftTG = new Matrix(k, d);
    }

    @Benchmark
    public double lossAndGradientProducts() {
        return evaluator.lossAndGradientProducts(left, right, gRightT, leftTG);
    }
}
