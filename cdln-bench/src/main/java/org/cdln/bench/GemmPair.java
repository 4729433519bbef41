package org.cdln.bench;

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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The two independent gradient products of a wide layer, ∂W = A·Fᵀ and Wᵀ·A (n×n×n each), on
 * {@code threads} threads: {@code pair} is {@link LinearAlgebra#gemmPair} (concurrently or each
 * split, as it measured on its first call; the choice is printed at tear-down), {@code sequential}
 * two {@link LinearAlgebra#gemm} calls, each split over the threads. GFLOP/s = 4·n³ / time. Run
 * with {@code OPENBLAS_NUM_THREADS=1}, as the launcher does: otherwise OpenBLAS threads each call
 * itself and cdln splits nothing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GemmPair {
    @Param({"300", "1000"})
    int n;
    @Param({"1", "2"})
    int threads;

    private LinearAlgebra la;
    private Matrix a;
    private Matrix f;
    private Matrix w;
    private Matrix c1;
    private Matrix c2;

    @Setup
    public void setUp() {
        LinearAlgebra.setThreads(threads);
        la = LinearAlgebra.instance();
        Rng rng = new Rng(1);
        a = rng.gaussianMatrix(n, n, 1.0);
        f = rng.gaussianMatrix(n, n, 1.0);
        w = rng.gaussianMatrix(n, n, 1.0);
        c1 = new Matrix(n, n);
        c2 = new Matrix(n, n);
    }

    @TearDown
    public void tearDown() {
        la.pairChoices().forEach(line -> System.out.println("gemmPair: " + line));
        LinearAlgebra.setThreads(null);
    }

    @Benchmark
    public Matrix pair() {
        la.gemmPair(false, true, 1.0, a, f, c1, true, false, 1.0, w, a, c2);
        return c2;
    }

    @Benchmark
    public Matrix sequential() {
        la.gemm(false, true, 1.0, a, f, 0.0, c1);
        la.gemm(true, false, 1.0, w, a, 0.0, c2);
        return c2;
    }
}
