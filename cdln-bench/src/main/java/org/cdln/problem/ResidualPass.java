package org.cdln.problem;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * The factorization oracle's dense residual pass (g = (p − y)·scale and Σ (p − y)², {@link
 * ScaledResiduals}) over n = d² elements, "scalar" against "vector" (the same bits). n = 10⁴, 9·10⁴
 * and 10⁶ are the d = 100, 300 and 1000 problems of {@code cdln bench}. The "vector" path needs the
 * vector module, which the fork adds; without it both rows run the scalar pass.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ResidualPass {
    @Param({"10000", "90000", "1000000"})
    int n;
    @Param({"scalar", "vector"})
    String pass;

    private ScaledResiduals residuals;
    private double[] p;
    private double[] y;
    private double[] g;

    @Setup
    public void setUp() {
        SplittableRandom rng = new SplittableRandom(1);
        p = new double[n];
        y = new double[n];
        g = new double[n];
        for (int e = 0; e < n; e++) {
            p[e] = rng.nextDouble();
            y[e] = rng.nextDouble();
        }
        residuals = pass.equals("scalar") ? ScaledResiduals.scalar() : ScaledResiduals.preferred();
    }

    @Benchmark
    public double apply() {
        return residuals.apply(p, y, g, 1.0 / n, n);
    }
}
