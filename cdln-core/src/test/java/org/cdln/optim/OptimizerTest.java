package org.cdln.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cdln.linalg.Matrix;
import org.junit.jupiter.api.Test;

/**
 * One and two hand-computed steps of each optimiser with per-layer multipliers m = (2, 0.5) and
 * η = 0.1 on two layers, w = ([1, −2], [0.5]), gradients g1 = ([0.4, −0.2], [1]) then
 * g2 = ([−0.1, 0.3], [0.5]). The expected values follow optax's update rules, written out here.
 */
class OptimizerTest {
    private static final double ETA = 0.1;
    private static final double[] MULT = {2.0, 0.5};
    private static final double[][] W0 = {{1.0, -2.0}, {0.5}};
    private static final double[][] G1 = {{0.4, -0.2}, {1.0}};
    private static final double[][] G2 = {{-0.1, 0.3}, {0.5}};

    private static Matrix[] matrices(double[][] v) {
        Matrix[] m = new Matrix[v.length];
        for (int l = 0; l < v.length; l++) {
            m[l] = Matrix.wrap(v[l].length, 1, v[l].clone());
        }
        return m;
    }

    /** Runs the optimiser for the given gradient steps and returns the parameters. */
    private static Matrix[] run(OptimizerConfig config, double[][]... grads) {
        Matrix[] params = matrices(W0);
        Optimizer opt = Optimizer.create(config, params, MULT);
        for (double[][] g : grads) {
            opt.step(params, matrices(g));
        }
        assertEquals(grads.length, opt.steps());
        return params;
    }

    private static void assertParams(double[][] expected, Matrix[] actual) {
        for (int l = 0; l < expected.length; l++) {
            assertArrayEquals(expected[l], actual[l].data(), 1e-15, "layer " + l);
        }
    }

    @Test
    void gradientDescentStep() {
        // w − η·m·g: [1 − 0.2·0.4, −2 + 0.2·0.2] = [0.92, −1.96]; 0.5 − 0.05·1 = 0.45
        assertParams(new double[][] {{0.92, -1.96}, {0.45}}, run(OptimizerConfig.gd(ETA), G1));
    }

    @Test
    void heavyBallStepsAccumulateTheTrace() {
        // step 1: trace = g1 → same as GD
        assertParams(new double[][] {{0.92, -1.96}, {0.45}}, run(OptimizerConfig.momentum(ETA), G1));
        // step 2: trace = g2 + 0.9·g1 = ([0.26, 0.12], [1.4]);
        // w = [0.92 − 0.2·0.26, −1.96 − 0.2·0.12] = [0.868, −1.984], 0.45 − 0.05·1.4 = 0.38
        assertParams(new double[][] {{0.868, -1.984}, {0.38}}, run(OptimizerConfig.momentum(ETA), G1, G2));
    }

    @Test
    void adamStepsAreBiasCorrected() {
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        double[][] expected1 = new double[2][];
        double[][] expected2 = new double[2][];
        for (int l = 0; l < 2; l++) {
            expected1[l] = new double[W0[l].length];
            expected2[l] = new double[W0[l].length];
            for (int k = 0; k < W0[l].length; k++) {
                double rate = ETA * MULT[l];
                // step 1: m = (1−β1)g, v = (1−β2)g², m̂ = g, v̂ = g² → w − rate·g/(|g| + ε)
                double g = G1[l][k];
                double m = (1 - b1) * g;
                double v = (1 - b2) * g * g;
                double w = W0[l][k] - rate * (m / (1 - b1)) / (Math.sqrt(v / (1 - b2)) + eps);
                expected1[l][k] = w;
                assertEquals(W0[l][k] - rate * Math.signum(g), w, 1e-7, "step 1 moves by η·m·sign(g)");
                // step 2 with bias corrections 1 − β1², 1 − β2²
                double h = G2[l][k];
                m = b1 * m + (1 - b1) * h;
                v = b2 * v + (1 - b2) * h * h;
                expected2[l][k] = w - rate * (m / (1 - b1 * b1)) / (Math.sqrt(v / (1 - b2 * b2)) + eps);
            }
        }
        assertParams(expected1, run(OptimizerConfig.adam(ETA), G1));
        assertParams(expected2, run(OptimizerConfig.adam(ETA), G1, G2));
        // spot value, layer 0 entry 0 after two steps: m = 0.026, v = 1.6984e-4,
        // m̂ = 0.026/0.19, v̂ = 1.6984e-4/0.001999 → update ≈ 0.469468 → w ≈ 0.8 − 0.2·0.469474
        assertEquals(0.8 - 0.2 * 0.4694682, run(OptimizerConfig.adam(ETA), G1, G2)[0].data()[0], 1e-7);
    }

    @Test
    void rmspropFollowsOptaxScaleByRms() {
        double rho = 0.9;
        double eps = 1e-8;
        double[][] expected = new double[2][];
        for (int l = 0; l < 2; l++) {
            expected[l] = new double[W0[l].length];
            for (int k = 0; k < W0[l].length; k++) {
                double rate = ETA * MULT[l];
                double nu = (1 - rho) * G1[l][k] * G1[l][k];
                double w = W0[l][k] - rate * G1[l][k] / Math.sqrt(nu + eps);
                nu = rho * nu + (1 - rho) * G2[l][k] * G2[l][k];
                expected[l][k] = w - rate * G2[l][k] / Math.sqrt(nu + eps);
            }
        }
        assertParams(expected, run(OptimizerConfig.rmsprop(ETA), G1, G2));
        // spot value: layer 1 step 1: ν = 0.1 → 0.5 − 0.05/√(0.1 + 1e-8)
        assertEquals(0.5 - 0.05 / Math.sqrt(0.1 + 1e-8), run(OptimizerConfig.rmsprop(ETA), G1)[1].data()[0], 1e-15);
    }

    @Test
    void restoredStateContinuesExactlyLikeAnUninterruptedRun() {
        for (OptimizerConfig.Kind kind : OptimizerConfig.Kind.values()) {
            OptimizerConfig c = OptimizerConfig.of(kind, ETA);
            Matrix[] params = matrices(W0);
            Optimizer first = Optimizer.create(c, params, MULT);
            first.step(params, matrices(G1));
            double[][] saved = new double[first.state().length][];
            for (int i = 0; i < saved.length; i++) {
                saved[i] = first.state()[i].clone();
            }
            Optimizer second = Optimizer.create(c, params, MULT);
            second.restore(saved, first.steps());
            second.step(params, matrices(G2));
            Matrix[] uninterrupted = run(c, G1, G2);
            for (int l = 0; l < 2; l++) {
                assertArrayEquals(uninterrupted[l].data(), params[l].data(), 0.0, kind + " layer " + l);
            }
        }
    }

    @Test
    void restoreRejectsStateOfAnotherShape() {
        Matrix[] params = matrices(W0);
        Optimizer adam = Optimizer.create(OptimizerConfig.adam(ETA), params, MULT);
        assertThrows(IllegalArgumentException.class, () -> adam.restore(new double[1][], 1));
        assertThrows(IllegalArgumentException.class,
                () -> adam.restore(new double[][] {new double[2], new double[1], new double[2], new double[2]}, 1));
    }

    @Test
    void createRejectsOneMultiplierPerLayerMismatchAndBadMultipliers() {
        Matrix[] params = matrices(W0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Optimizer.create(OptimizerConfig.gd(ETA), params, new double[] {1.0}));
        assertTrue(e.getMessage().contains("1 rate multipliers for 2 layers"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Optimizer.create(OptimizerConfig.gd(ETA), params, new double[] {1.0, -1.0}));
        assertTrue(e.getMessage().contains("multiplier") && e.getMessage().contains("-1.0"), e.getMessage());
    }
}
