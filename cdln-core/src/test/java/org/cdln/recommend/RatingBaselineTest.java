package org.cdln.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.cdln.data.IdMapping;
import org.cdln.data.Ratings;
import org.junit.jupiter.api.Test;

/** Centering: the global mean and the damped user/item biases. */
class RatingBaselineTest {
    /** r_ui = 3 + a_u + c_i on a complete 3×2 grid, a = (1, 0, −1), c = (0.5, −0.5): exactly additive. */
    private static Ratings additive() {
        double[] a = {1, 0, -1};
        double[] c = {0.5, -0.5};
        int[] u = new int[6];
        int[] i = new int[6];
        double[] v = new double[6];
        int k = 0;
        for (int x = 0; x < 3; x++) {
            for (int y = 0; y < 2; y++) {
                u[k] = x;
                i[k] = y;
                v[k++] = 3 + a[x] + c[y];
            }
        }
        return Ratings.of(IdMapping.of(java.util.List.of("u0", "u1", "u2")), IdMapping.of(java.util.List.of("i0", "i1")),
                u, i, v, null, "additive");
    }

    @Test
    void undampedBiasesExplainAnAdditiveMatrixExactly() {
        RatingBaseline b = RatingBaseline.fit(additive(), Centering.BIASES, 0.0);
        assertEquals(3.0, b.mean(), 1e-12);
        for (double res : b.residuals(additive())) {
            assertEquals(0.0, res, 1e-9);
        }
        assertEquals(1.0, b.userBias()[0], 1e-9);
        assertEquals(-0.5, b.itemBias()[1], 1e-9);
    }

    @Test
    void dampingShrinksTheItemBiasesByNOverNPlusLambda() {
        // first half-sweep: b_i = Σ_u (r_ui − μ)/(n_i + λ_b) with n_i = 3: item 0 → 1.5/(3 + 3)
        RatingBaseline b = RatingBaseline.fit(additive(), Centering.BIASES, 3.0);
        assertEquals(3.0, b.mean(), 1e-12);
        // users: (Σ_i r_ui − μ − b_i)/(2 + 3); with the item biases symmetric, b_u = 2·a_u/5 exactly
        assertEquals(0.4, b.userBias()[0], 1e-9);
        assertEquals(0.25, b.itemBias()[0], 1e-9);
    }

    @Test
    void meanCenteringOnlySubtractsTheMean() {
        RatingBaseline b = RatingBaseline.fit(additive(), Centering.MEAN, 5.0);
        assertEquals(3.0, b.predict(2, 1), 1e-12);
        RatingBaseline none = RatingBaseline.fit(additive(), Centering.NONE, 5.0);
        assertEquals(0.0, none.predict(0, 0));
    }
}
