package org.cdln.bench;

import java.util.concurrent.TimeUnit;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.cdln.optim.Optimizer;
import org.cdln.optim.OptimizerConfig;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One optimiser update of the three layers of a square depth-3 network of width d (3·d²
 * parameters) on {@code threads} threads: above {@link Optimizer#SPLIT_MIN_PARAMETERS} every
 * thread updates its share of each layer. The rate is tiny so that the parameters stay finite
 * over millions of invocations.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OptimizerUpdate {
    @Param({"100", "300", "1000"})
    int d;
    @Param({"1", "2"})
    int threads;
    @Param({"GD", "ADAM"})
    OptimizerConfig.Kind kind;

    private Matrix[] params;
    private Matrix[] grads;
    private Optimizer optimizer;

    @Setup
    public void setUp() {
        LinearAlgebra.setThreads(threads);
        Rng rng = new Rng(1);
        params = new Matrix[] {rng.gaussianMatrix(d, d, 1.0), rng.gaussianMatrix(d, d, 1.0), rng.gaussianMatrix(d, d, 1.0)};
        grads = new Matrix[] {rng.gaussianMatrix(d, d, 1.0), rng.gaussianMatrix(d, d, 1.0), rng.gaussianMatrix(d, d, 1.0)};
        optimizer = Optimizer.create(OptimizerConfig.of(kind, 1e-12), params, new double[] {1.0, 1.0, 1.0});
    }

    @TearDown
    public void tearDown() {
        LinearAlgebra.setThreads(null);
    }

    @Benchmark
    public Matrix update() {
        optimizer.step(params, grads);
        return params[0];
    }
}
