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
import org.openjdk.jmh.annotations.Warmup;

/**
 * C ← A·B through the facade ({@link LinearAlgebra#gemm}) for the shapes a training step uses:
 * n×n×n for the wide network, and r̂×r̂ by r̂×n for the compressed network's inner layer, where
 * the JNI call overhead matters. GFLOP/s = 2·m·n·k / time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Gemm {
    @Param({"10", "100", "1000"})
    int m;
    @Param({"100"})
    int n;

    private final LinearAlgebra la = LinearAlgebra.instance();
    private Matrix a;
    private Matrix b;
    private Matrix c;

    @Setup
    public void setUp() {
        Rng rng = new Rng(1);
        a = rng.gaussianMatrix(m, m, 1.0);
        b = rng.gaussianMatrix(m, n, 1.0);
        c = new Matrix(m, n);
    }

    @Benchmark
    public Matrix gemm() {
        la.gemm(false, false, 1.0, a, b, 0.0, c);
        return c;
    }
}
