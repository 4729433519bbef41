package org.cdln.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The optimiser contract ({@link Optimizer}'s lifecycle), run against every kind: it descends on a
 * convex quadratic, a zero rate scale freezes the parameters (a zero multiplier is refused), the step count
 * is kept, {@code state()}/{@code restore} continue a run exactly, a step allocates nothing, and
 * the multipliers must match the parameters. Each kind's own update formula is checked in
 * {@code OptimizerTest}.
 */
class OptimizerContractTest {
    private static Matrix[] params(Rng rng) {
        return new Matrix[] {rng.gaussianMatrix(4, 3, 1.0), rng.gaussianMatrix(2, 5, 1.0)};
    }

    /** g ← w − c: the gradient of ½‖w − c‖². */
    private static void gradient(Matrix[] w, Matrix[] c, Matrix[] g) {
        for (int l = 0; l < w.length; l++) {
            g[l].copyFrom(w[l]);
            g[l].addScaledInPlace(-1.0, c[l]);
        }
    }

    private static double loss(Matrix[] w, Matrix[] c) {
        double s = 0;
        for (int l = 0; l < w.length; l++) {
            double d = w[l].distance(c[l]);
            s += 0.5 * d * d;
        }
        return s;
    }

    private static Matrix[] zerosLike(Matrix[] w) {
        Matrix[] z = new Matrix[w.length];
        for (int l = 0; l < w.length; l++) {
            z[l] = new Matrix(w[l].rows(), w[l].cols());
        }
        return z;
    }

    private static double eta(OptimizerConfig.Kind k) {
        return k == OptimizerConfig.Kind.GD || k == OptimizerConfig.Kind.MOMENTUM ? 0.1 : 0.01;
    }

    @ParameterizedTest
    @EnumSource(OptimizerConfig.Kind.class)
    void descendsOnAConvexQuadraticAndCountsItsSteps(OptimizerConfig.Kind kind) {
        Rng rng = new Rng(1);
        Matrix[] w = params(rng);
        Matrix[] c = params(rng);
        Matrix[] g = zerosLike(w);
        Optimizer o = Optimizer.create(OptimizerConfig.of(kind, eta(kind)), w, new double[] {1, 1});
        double start = loss(w, c);
        for (int t = 0; t < 300; t++) {
            gradient(w, c, g);
            o.step(w, g);
        }
        assertEquals(300, o.steps());
        assertTrue(loss(w, c) < 0.1 * start, kind + ": loss " + start + " → " + loss(w, c));
    }

    @ParameterizedTest
    @EnumSource(OptimizerConfig.Kind.class)
    void aZeroRateScaleFreezesTheParametersAndAZeroMultiplierIsRefused(OptimizerConfig.Kind kind) {
        Rng rng = new Rng(2);
        Matrix[] w = params(rng);
        Matrix[] c = params(rng);
        Matrix[] g = zerosLike(w);
        Optimizer o = Optimizer.create(OptimizerConfig.of(kind, eta(kind)), w, new double[] {1, 3});
        for (int t = 0; t < 5; t++) {
            gradient(w, c, g);
            o.step(w, g);
        }
        Matrix[] before = {w[0].copy(), w[1].copy()};
        o.setRateScale(0.0);
        gradient(w, c, g);
        o.step(w, g);
        assertEquals(0.0, w[0].distance(before[0]), kind + ": rate scale 0 must freeze every layer");
        assertEquals(0.0, w[1].distance(before[1]), kind + ": rate scale 0 must freeze every layer");
        assertThrows(IllegalArgumentException.class, () -> o.setRateScale(Double.NaN));
        assertThrows(IllegalArgumentException.class,
                () -> Optimizer.create(OptimizerConfig.of(kind, 1), w, new double[] {1, 0}));
    }

    @ParameterizedTest
    @EnumSource(OptimizerConfig.Kind.class)
    void savedStateContinuesTheRunExactly(OptimizerConfig.Kind kind) {
        Rng rng = new Rng(3);
        Matrix[] c = params(new Rng(4));
        Matrix[] a = params(rng);
        Matrix[] g = zerosLike(a);
        OptimizerConfig cfg = OptimizerConfig.of(kind, eta(kind));
        Optimizer oa = Optimizer.create(cfg, a, new double[] {1, 2});
        for (int t = 0; t < 7; t++) {
            gradient(a, c, g);
            oa.step(a, g);
        }
        Matrix[] b = {a[0].copy(), a[1].copy()};
        Optimizer ob = Optimizer.create(cfg, b, new double[] {1, 2});
        double[][] saved = oa.state();
        double[][] copy = new double[saved.length][];
        for (int i = 0; i < saved.length; i++) {
            copy[i] = saved[i].clone();
        }
        ob.restore(copy, oa.steps());
        Matrix[] gb = zerosLike(b);
        for (int t = 0; t < 5; t++) {
            gradient(a, c, g);
            oa.step(a, g);
            gradient(b, c, gb);
            ob.step(b, gb);
        }
        assertEquals(0.0, a[0].distance(b[0]), kind + ": restored run differs");
        assertEquals(0.0, a[1].distance(b[1]), kind + ": restored run differs");
        assertEquals(oa.steps(), ob.steps());
    }

    @ParameterizedTest
    @EnumSource(OptimizerConfig.Kind.class)
    void aStepAllocatesNothingAndMultipliersMustMatch(OptimizerConfig.Kind kind) {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
        Rng rng = new Rng(5);
        Matrix[] w = {rng.gaussianMatrix(64, 64, 1.0)};
        Matrix[] g = {rng.gaussianMatrix(64, 64, 1.0)};
        Optimizer o = Optimizer.create(OptimizerConfig.of(kind, 1e-6), w, new double[] {1});
        for (int t = 0; t < 2000; t++) {
            o.step(w, g);   // warm up the JIT
        }
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int t = 0; t < 1000; t++) {
            o.step(w, g);
        }
        double perStep = (mx.getThreadAllocatedBytes(tid) - before) / 1000.0;
        assertTrue(perStep < 64, kind + ": a step allocated " + perStep + " bytes");
        assertThrows(IllegalArgumentException.class,
                () -> Optimizer.create(OptimizerConfig.of(kind, 1), w, new double[] {1, 1}));
    }
}
