package org.cdln.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.cdln.Oracle;
import org.cdln.compress.SpectralInit;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.cdln.problem.CompletionProblem;
import org.cdln.problem.LossGradientOracle;
import org.cdln.problem.FactorizationProblem;
import org.cdln.problem.Problem;
import org.cdln.problem.SensingProblem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Backprop}'s closed-form layer gradients against central finite differences of the
 * problem's loss, for every problem (factorization, completion on the sparse and the dense path,
 * sensing) and every model shape (wide depth 2/3/4, compressed depth 2/3, unequal hidden widths),
 * on square and rectangular targets.
 *
 * <p>The loss is quadratic in each single weight (P is affine in it), so the central difference
 * (ℓ(w + h) − ℓ(w − h))/(2h) is exact up to rounding, of order u·ℓ/h ≈ 1e-12·ℓ for h = 1e-4;
 * the required relative error ‖g_fd − g‖_F/‖g‖_F &lt; 1e-6 leaves a wide margin. The finite-difference
 * loss is computed by {@link LossGradientOracle#loss} on left = W_L and right = W_(L−1)·…·W_1 formed with
 * EJML, independently of Backprop's forward pass.
 */
class BackpropGradientTest {
    private static final LinearAlgebra LA = LinearAlgebra.instance();
    private static final double EPS = 0.5;
    private static final double H = 1e-4;

    record Named<T>(String name, T value) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        int[][] shapes = {{6, 6}, {5, 7}};
        for (int[] shape : shapes) {
            int d1 = shape[0];
            int d2 = shape[1];
            String size = d1 + "×" + d2;
            // a rank-2 target from an independent generator
            Matrix y = Oracle.times(Oracle.gaussian(d1, 2, 7 + d1), Oracle.gaussian(2, d2, 8 + d2));
            CompletionProblem completion = CompletionProblem.sample(y, 0.5, new Rng(3), "test");
            List<Named<Problem>> problems = List.of(
                    new Named<>("factorization " + size, new FactorizationProblem(y)),
                    new Named<>("completion (sparse) " + size, completion),
                    new Named<>("completion (dense) " + size, completion.withDenseGradient()),
                    new Named<>("sensing " + size, SensingProblem.gaussian(y, 25, new Rng(4), LA, "test")));
            int width = Math.max(d1, d2);
            List<Named<Function<Problem, DeepLinearNetwork>>> models = List.of(
                    new Named<>("wide depth 2", p -> DeepLinearNetwork.wide(d1, d2, width, 2, Initialization.ORTH,
                            EPS, new Rng(11), LA)),
                    new Named<>("wide depth 3", p -> DeepLinearNetwork.wide(d1, d2, width, 3, Initialization.ORTH,
                            EPS, new Rng(12), LA)),
                    new Named<>("wide depth 4", p -> DeepLinearNetwork.wide(d1, d2, width, 4, Initialization.ORTH,
                            EPS, new Rng(13), LA)),
                    new Named<>("compressed depth 3", p -> new SpectralInit(3, 3, EPS).build(p, 14, LA)),
                    new Named<>("compressed depth 2", p -> new SpectralInit(3, 2, EPS).build(p, 15, LA)),
                    new Named<>("widths 4,7,3", p -> DeepLinearNetwork.initialize(new int[] {d2, 4, 7, 3, d1},
                            Initialization.NORM, EPS, new Rng(16), LA)));
            for (Named<Problem> p : problems) {
                for (Named<Function<Problem, DeepLinearNetwork>> m : models) {
                    out.add(Arguments.of(p, m));
                }
            }
        }
        return out.stream();
    }

    /** ℓ at the network's point through the evaluator, the right factor formed with EJML. */
    private static double loss(LossGradientOracle evaluator, DeepLinearNetwork net) {
        int depth = net.depth();
        Matrix right = net.layer(1);
        for (int l = 2; l < depth; l++) {
            right = Oracle.times(net.layer(l), right);
        }
        return evaluator.loss(net.layer(depth), right);
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void gradientsMatchCentralFiniteDifferences(Named<Problem> problem,
                                                Named<Function<Problem, DeepLinearNetwork>> model) {
        Problem p = problem.value();
        DeepLinearNetwork net = model.value().apply(p);
        int inner = net.layer(net.depth()).cols();
        DeepLinearNetwork before = net.copy();

        Matrix[] grads = Backprop.gradientBuffers(net);
        double loss = new Backprop(net.widths(), LA).lossAndGradients(net, p.newOracle(inner, LA), grads);
        for (int l = 1; l <= net.depth(); l++) {
            assertArrayEquals(before.layer(l).data(), net.layer(l).data(), 0.0, "Backprop modified W" + l);
        }

        LossGradientOracle fd = p.newOracle(inner, LA);
        assertEquals(loss(fd, net), loss, 1e-13 * Math.abs(loss), "Backprop's loss differs from LossGradientOracle.loss");
        double diff = 0.0;
        double norm = 0.0;
        for (int l = 1; l <= net.depth(); l++) {
            double[] w = net.layer(l).data();
            double[] g = grads[l - 1].data();
            for (int k = 0; k < w.length; k++) {
                double w0 = w[k];
                w[k] = w0 + H;
                double plus = loss(fd, net);
                w[k] = w0 - H;
                double minus = loss(fd, net);
                w[k] = w0;
                double numeric = (plus - minus) / (2 * H);
                diff += (numeric - g[k]) * (numeric - g[k]);
                norm += g[k] * g[k];
            }
        }
        assertTrue(Math.sqrt(norm) > 1e-6, "gradient too small to test: ‖g‖ = " + Math.sqrt(norm));
        double rel = Math.sqrt(diff / norm);
        assertTrue(rel < 1e-6, "relative gradient error " + rel + " ≥ 1e-6 (‖g‖ = " + Math.sqrt(norm) + ")");
    }
}
