package org.cdln.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Closed-form back-propagation against central finite differences, on every backend and variant. */
class MlpGradientTest {
    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (LinearAlgebra la : backends()) {
            b.add(Arguments.of(la, MlpArchitecture.plain(6, new int[] {5, 4}, 3)));
            b.add(Arguments.of(la, MlpArchitecture.withDlnBlock(6, new int[] {5, 4}, 3, 3, 0.7)));
            b.add(Arguments.of(la, MlpArchitecture.withCdlnBlock(6, new int[] {5, 4}, 3, 3, 2, 0.7, 2.0)));
            b.add(Arguments.of(la, MlpArchitecture.plain(6, new int[0], 4)));
        }
        return b.build();
    }

    static LinearAlgebra[] backends() {
        return LinearAlgebra.nativeBackend().map(n -> new LinearAlgebra[] {LinearAlgebra.java(), n})
                .orElse(new LinearAlgebra[] {LinearAlgebra.java()});
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    void backpropMatchesCentralDifferences(LinearAlgebra la, MlpArchitecture arch) {
        Mlp net = Mlp.initialize(arch, 11, la);
        Rng rng = new Rng(5);
        // non-zero biases, so that their gradients and the ReLU masks are exercised
        for (int l = 0; l < net.depth(); l++) {
            if (net.bias(l) != null) {
                net.bias(l).copyFrom(rng.gaussianMatrix(net.bias(l).rows(), 1, 0.3));
            }
        }
        int batch = 7;
        Matrix x = rng.gaussianMatrix(arch.inputs(), batch, 1.0);
        int[] y = new int[batch];
        for (int j = 0; j < batch; j++) {
            y[j] = rng.nextInt(arch.classes());
        }
        Matrix[] grads = net.newGradients();
        double loss = net.lossAndGradients(x, y, grads, la);
        assertEquals(net.loss(x, y, la), loss, 1e-14);
        Matrix[] params = net.parameters();
        double h = 1e-6;
        for (int p = 0; p < params.length; p++) {
            double[] w = params[p].data();
            double maxErr = 0;
            double maxGrad = 0;
            for (int k = 0; k < w.length; k++) {
                double keep = w[k];
                w[k] = keep + h;
                double up = net.loss(x, y, la);
                w[k] = keep - h;
                double down = net.loss(x, y, la);
                w[k] = keep;
                double numeric = (up - down) / (2 * h);
                maxErr = Math.max(maxErr, Math.abs(numeric - grads[p].data()[k]));
                maxGrad = Math.max(maxGrad, Math.abs(numeric));
            }
            assertTrue(maxGrad > 1e-6, "parameter " + p + " of " + arch.name() + " has a vanishing gradient: " + maxGrad);
            assertTrue(maxErr < 1e-7 * Math.max(1, maxGrad), "parameter " + p + " of " + arch.describe()
                    + ": max |numeric − analytic| = " + maxErr + " (max |gradient| " + maxGrad + ")");
        }
    }

    @Test
    void softmaxCrossEntropyOfATinyCaseMatchesTheFormula() {
        LinearAlgebra la = LinearAlgebra.java();
        MlpArchitecture arch = MlpArchitecture.plain(2, new int[0], 3);
        Mlp net = Mlp.of(arch, new Matrix[] {Matrix.ofRows(new double[] {1, 0}, new double[] {0, 1},
                new double[] {1, 1})}, new Matrix[] {new Matrix(3, 1)});
        // x = (1, 2), logits (1, 2, 3); label 2: −log(e³/(e + e² + e³)) = log(1 + e⁻¹ + e⁻²) = 0.4076059644…
        Matrix x = Matrix.ofRows(new double[] {1}, new double[] {2});
        assertEquals(Math.log(1 + Math.exp(-1) + Math.exp(-2)), net.loss(x, new int[] {2}, la), 1e-15);
        assertEquals(0.40760596444438, net.loss(x, new int[] {2}, la), 1e-12);
        // ∂ℓ/∂b = softmax − e_2 = (e⁻²/Z, e⁻¹/Z, 1/Z − 1) with Z = 1 + e⁻¹ + e⁻²
        Matrix[] g = net.newGradients();
        net.lossAndGradients(x, new int[] {2}, g, la);
        double z = 1 + Math.exp(-1) + Math.exp(-2);
        assertEquals(Math.exp(-2) / z, g[1].get(0, 0), 1e-15);
        assertEquals(Math.exp(-1) / z, g[1].get(1, 0), 1e-15);
        assertEquals(1 / z - 1, g[1].get(2, 0), 1e-15);
        // ∂ℓ/∂W = (softmax − e_2)·xᵀ
        assertEquals(2 * (1 / z - 1), g[0].get(2, 1), 1e-15);
    }
}
