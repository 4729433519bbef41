package org.cdln.problem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cdln.Oracle;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.junit.jupiter.api.Test;

/** Matrix sensing (docs/method.md §2): ½Σ(⟨A_i, P⟩ − y_i)², recovery ‖P − Y‖_F/‖Y‖_F, A_i ~ N(0,1)/m. */
class SensingProblemTest {
    private static final LinearAlgebra LA = LinearAlgebra.instance();

    /**
     * Hand case: A_1 = I, A_2 = e_0·e_1ᵀ (vec, column-major: [1,0,0,1] and [0,0,1,0]),
     * Y = [[1, 2], [3, 4]] → y = (5, 2). P = [[1, 1], [2, 2]] → ⟨A_i, P⟩ = (3, 1), r = (−2, −1),
     * loss = ½(4 + 1) = 2.5, recovery = √6/√30, G = −2·A_1 − A_2 = [[−2, −1], [0, −2]],
     * G·rightᵀ (right = [1, 1]) = [−3; −2].
     */
    @Test
    void lossRecoveryAndGradientOnAHandComputedCase() {
        Matrix y = Matrix.ofRows(new double[] {1, 2}, new double[] {3, 4});
        Matrix op = Matrix.ofRows(new double[] {1, 0}, new double[] {0, 0}, new double[] {0, 1}, new double[] {1, 0});
        SensingProblem s = new SensingProblem(2, 2, op, new double[] {5, 2}, y, "hand");
        Matrix left = Matrix.ofRows(new double[] {1}, new double[] {2});
        Matrix right = Matrix.ofRows(new double[] {1, 1});
        LossGradientOracle ev = s.newOracle(1, LA);
        assertEquals(2.5, ev.loss(left, right), 1e-15);
        assertEquals(2.5, ev.lossAndGradient(left, right), 1e-15);
        assertEquals(Math.sqrt(6.0 / 30.0), ev.lastRecoveryError(), 1e-15);
        Matrix gbt = new Matrix(2, 1);
        ev.gradientTimesTransposed(right, gbt);
        assertArrayEquals(new double[] {-3, -2}, gbt.data(), 1e-15);
        // surrogate (1/m)Σ y_i A_i = (5·I + 2·A_2)/2 = [[2.5, 1], [0, 2.5]]
        assertArrayEquals(new double[] {2.5, 0, 1, 2.5}, s.surrogate().toDense().data(), 1e-15);
    }

    @Test
    void gaussianMeasurementsSurrogateAndLossMatchTheirDefinitions() {
        int d1 = 6;
        int d2 = 5;
        int m = 50;
        Matrix y = Oracle.gaussian(d1, d2, 1);
        SensingProblem s = SensingProblem.gaussian(y, m, new Rng(2), LA, "test");
        Matrix a = s.operator();
        assertEquals(d1 * d2, a.rows());
        assertEquals(m, a.cols());
        // y_i = ⟨A_i, Y⟩ and S = (1/m)·Σ y_i·A_i, by hand
        double[] yi = new double[m];
        Matrix surrogate = new Matrix(d1, d2);
        for (int i = 0; i < m; i++) {
            for (int e = 0; e < d1 * d2; e++) {
                yi[i] += a.get(e, i) * y.data()[e];
            }
            for (int e = 0; e < d1 * d2; e++) {
                surrogate.data()[e] += yi[i] * a.get(e, i) / m;
            }
        }
        assertArrayEquals(yi, s.measurements(), 1e-14);
        assertTrue(Oracle.maxAbsDiff(surrogate, s.surrogate().toDense()) < 1e-15);
        // ½Σ(⟨A_i, P⟩ − y_i)² at a random P = left·right
        Matrix left = Oracle.gaussian(d1, 2, 3);
        Matrix right = Oracle.gaussian(2, d2, 4);
        Matrix p = Oracle.times(left, right);
        double loss = 0;
        for (int i = 0; i < m; i++) {
            double ip = 0;
            for (int e = 0; e < d1 * d2; e++) {
                ip += a.get(e, i) * p.data()[e];
            }
            loss += 0.5 * (ip - yi[i]) * (ip - yi[i]);
        }
        LossGradientOracle ev = s.newOracle(2, LA);
        assertEquals(loss, ev.lossAndGradient(left, right), 1e-13 * loss);
        assertEquals(Oracle.relativeFrobenius(p, y), ev.lastRecoveryError(), 1e-14);
    }

    @Test
    void measurementEntriesHaveStandardDeviationOneOverM() {
        // the reference normalisation is N(0,1)/m, not 1/√m; 20·20·40 = 16000 draws give the
        // sample standard deviation to about 0.6%, so 5% separates 1/m = 0.025 from 1/√m ≈ 0.16
        int m = 40;
        Matrix a = SensingProblem.gaussian(Oracle.gaussian(20, 20, 1), m, new Rng(5), LA, "").operator();
        double ss = 0;
        for (double v : a.data()) {
            ss += v * v;
        }
        double std = Math.sqrt(ss / a.size());
        assertEquals(1.0 / m, std, 0.05 / m);
    }

    @Test
    void rejectsInconsistentShapes() {
        assertThrows(IllegalArgumentException.class, () -> new SensingProblem(2, 2, new Matrix(3, 2),
                new double[2], null, ""));
        assertThrows(IllegalArgumentException.class, () -> new SensingProblem(2, 2, new Matrix(4, 2),
                new double[3], null, ""));
        assertThrows(IllegalArgumentException.class, () -> SensingProblem.gaussian(Matrix.identity(2), 0,
                new Rng(1), LA, ""));
    }
}
