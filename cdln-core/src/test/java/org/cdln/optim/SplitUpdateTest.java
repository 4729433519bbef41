package org.cdln.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An update large enough to be split over threads ({@link Optimizer#SPLIT_MIN_PARAMETERS}) gives
 * exactly the one-thread numbers, for every optimiser, over several steps (its state included).
 */
class SplitUpdateTest {
    @AfterEach
    void resetThreads() {
        LinearAlgebra.setThreads(null);
    }

    /** Three layers, 3·233·191 = 133 509 parameters (above the split size), odd sizes for uneven parts. */
    private static Matrix[] params(Rng rng) {
        return new Matrix[] {rng.gaussianMatrix(233, 191, 1.0), rng.gaussianMatrix(191, 233, 1.0),
            rng.gaussianMatrix(233, 191, 1.0)};
    }

    private static Matrix[] run(OptimizerConfig.Kind kind, int threads) {
        LinearAlgebra.setThreads(threads);
        Rng rng = new Rng(7);
        Matrix[] w = params(rng);
        Matrix[] g = params(rng);
        OptimizerConfig config = OptimizerConfig.of(kind, 0.01);
        Optimizer opt = Optimizer.create(config, w, new double[] {1.0, 0.5, 2.0});
        for (int step = 0; step < 4; step++) {
            opt.step(w, g);
            for (Matrix m : g) {
                m.scaleInPlace(0.9);
            }
        }
        return w;
    }

    @ParameterizedTest
    @EnumSource(OptimizerConfig.Kind.class)
    void splitUpdateEqualsOneThread(OptimizerConfig.Kind kind) {
        Matrix[] one = run(kind, 1);
        for (int threads : new int[] {2, 3}) {
            Matrix[] split = run(kind, threads);
            for (int l = 0; l < one.length; l++) {
                assertArrayEquals(one[l].data(), split[l].data(), 0.0, kind + " layer " + l + " on " + threads + " threads");
            }
        }
    }
}
