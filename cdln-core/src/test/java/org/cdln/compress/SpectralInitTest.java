package org.cdln.compress;

import static org.cdln.Oracle.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.cdln.Oracle;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.cdln.linalg.Svd;
import org.cdln.linalg.TruncatedSvd;
import org.cdln.model.DeepLinearNetwork;
import org.cdln.problem.CompletionProblem;
import org.cdln.problem.FactorizationProblem;
import org.cdln.problem.Problem;
import org.cdln.problem.SensingProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compressed network's spectral initialisation (docs/method.md §3): P(0) = ε^L·U_r̂·V_r̂ᵀ of the
 * surrogate for L ≥ 3 and U_r̂·V_r̂ᵀ for L = 2, with the surrogate and its SVD computed here by
 * hand and with EJML. U_r̂·V_r̂ᵀ is sign-free and unique when σ_r̂ &gt; σ_(r̂+1), which each case
 * asserts first.
 */
class SpectralInitTest {
    private static final LinearAlgebra LA = LinearAlgebra.instance();
    private static final double EPS = 0.1;

    /** A problem, its surrogate computed independently, and the width r̂. */
    record Case(String name, Problem problem, Matrix surrogate, int rankHat) {
        @Override
        public String toString() {
            return name + ", r̂ = " + rankHat;
        }
    }

    static Stream<Arguments> cases() {
        int d = 8;
        Matrix y = Oracle.times(Oracle.gaussian(d, 2, 1), Oracle.gaussian(2, d, 2));

        // completion with a known mask: S = (1/p)·P_Ω(Y), p = |Ω|/d²
        Matrix mask = new Matrix(d, d);
        java.util.Random r = new java.util.Random(3);
        int observed = 0;
        for (int k = 0; k < d * d; k++) {
            if (r.nextDouble() < 0.4) {
                mask.data()[k] = 1.0;
                observed++;
            }
        }
        double p = observed / (double) (d * d);
        Matrix completionSurrogate = new Matrix(d, d);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                completionSurrogate.set(i, j, mask.get(i, j) * y.get(i, j) / p);
            }
        }

        // sensing: S = (1/m)·Σ_i y_i·A_i with y_i = ⟨A_i, Y⟩, both by hand
        int m = 40;
        SensingProblem sensing = SensingProblem.gaussian(y, m, new Rng(4), LA, "test");
        Matrix a = sensing.operator();
        Matrix sensingSurrogate = new Matrix(d, d);
        for (int i = 0; i < m; i++) {
            double yi = 0.0;
            for (int e = 0; e < d * d; e++) {
                yi += a.get(e, i) * y.data()[e];
            }
            for (int e = 0; e < d * d; e++) {
                sensingSurrogate.data()[e] += yi * a.get(e, i) / m;
            }
        }

        Matrix rect = Oracle.gaussian(5, 7, 5);
        Stream.Builder<Arguments> b = Stream.builder();
        for (int depth : new int[] {2, 3, 4}) {
            b.add(Arguments.of(new Case("completion", CompletionProblem.withMask(y, mask, "test"),
                    completionSurrogate, 4), depth));
            b.add(Arguments.of(new Case("sensing", sensing, sensingSurrogate, 4), depth));
            b.add(Arguments.of(new Case("factorization of rank 2", new FactorizationProblem(y), y, 2), depth));
            b.add(Arguments.of(new Case("factorization 5×7", new FactorizationProblem(rect), rect, 3), depth));
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0}, depth {1}")
    @MethodSource("cases")
    void productIsScaledLeadingSingularProjectorOfTheSurrogate(Case c, int depth) {
        double[] s = Oracle.singularValues(c.surrogate());
        assertTrue(s[c.rankHat() - 1] - (c.rankHat() < s.length ? s[c.rankHat()] : 0.0) > 1e-6 * s[0],
                "test precondition: no gap after σ_r̂, the projector would not be unique");

        DeepLinearNetwork net = new SpectralInit(c.rankHat(), depth, EPS).build(c.problem(), 7, LA);
        Matrix expected = Oracle.leadingSingularProjector(c.surrogate(), c.rankHat());
        double scale = depth == 2 ? 1.0 : Math.pow(EPS, depth);
        expected.scaleInPlace(scale);

        Matrix product = net.layer(1);
        for (int l = 2; l <= depth; l++) {
            product = Oracle.times(net.layer(l), product);
        }
        assertTrue(maxAbsDiff(product, expected) <= 1e-12 * scale,
                "P(0) differs from the scaled projector by " + maxAbsDiff(product, expected));

        // inner layers are exactly ε·I (r̂×r̂)
        for (int l = 2; l < depth; l++) {
            Matrix expectedInner = Matrix.identity(c.rankHat());
            expectedInner.scaleInPlace(EPS);
            assertEquals(0.0, maxAbsDiff(net.layer(l), expectedInner), "W" + l + " is not ε·I");
        }
        int d1 = c.problem().rows();
        int d2 = c.problem().cols();
        int rh = c.rankHat();
        long params = (long) (d1 + d2) * rh + (long) (depth - 2) * rh * rh;
        assertEquals(params, net.parameterCount());
        assertEquals(params, new SpectralInit(rh, depth, EPS).parameterCount(d1, d2));
        if (d1 == d2) {
            assertEquals(2L * d1 * rh + (long) (depth - 2) * rh * rh, net.parameterCount());
        }
    }

    @Test
    void paperParameterCountAtReferenceSize() {
        // d = 100, r̂ = 10, L = 3: 2·100·10 + 10² = 2100 instead of 3·100² = 30000
        assertEquals(2100, new SpectralInit(10, 3, 1e-2).parameterCount(100, 100));
        assertEquals(2 * 5, SpectralInit.forRank(5, 3, 1e-2).rankHat());
    }

    @Test
    void rejectsInvalidSettings() {
        assertThrows(IllegalArgumentException.class, () -> new SpectralInit(0, 3, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new SpectralInit(2, 1, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new SpectralInit(2, 3, 0.0));
        assertThrows(IllegalArgumentException.class, () -> new SpectralInit(2, 3, Double.NaN));
        Problem p = new FactorizationProblem(Oracle.gaussian(4, 6, 9));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SpectralInit(5, 3, 0.1).build(p, 1, LA));
        assertTrue(e.getMessage().contains("rank-hat") && e.getMessage().contains("[1, 4]"), e.getMessage());
    }

    @Test
    void randomizedTruncatedSvdFindsTheLeadingSubspace() {
        // S = G1·diag(decaying)·G2 (60×50): the randomized path used for large surrogates must find
        // the same leading-3 projector as a dense EJML SVD
        Matrix left = Oracle.gaussian(60, 12, 21);
        Matrix right = Oracle.gaussian(12, 50, 22);
        for (int i = 0; i < 12; i++) {
            for (int j = 0; j < 50; j++) {
                right.set(i, j, right.get(i, j) * Math.pow(0.3, i));
            }
        }
        Matrix s = Oracle.times(left, right);
        Svd svd = TruncatedSvd.randomized(org.cdln.linalg.LinearOperator.of(s, LA), 3, 10, 8, LA, new Rng(5));
        Matrix projector = Oracle.times(svd.u(), svd.vt());
        Matrix expected = Oracle.leadingSingularProjector(s, 3);
        assertTrue(maxAbsDiff(projector, expected) < 1e-8, "randomized SVD off by " + maxAbsDiff(projector, expected));
        double[] sv = Oracle.singularValues(s);
        for (int i = 0; i < 3; i++) {
            assertEquals(sv[i], svd.s()[i], 1e-10 * sv[0]);
        }
    }
}
