package org.cdln.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link LossGradientOracle} keeps, run against every implementation (the way
 * EJML's {@code StandardSvdChecks} runs against every SVD): the fused call equals the separate
 * ones, the gradient products are the derivative of the loss (central differences), a
 * {@link LossGradientOracle#loss} call leaves the recorded point intact, an oracle reused from a
 * large-magnitude point to a small one (and a problem that served a wide oracle before a narrow
 * one) gives what a fresh one gives, and the arguments are never modified. Subclasses say which
 * problem to build; sizes are rectangular on purpose.
 */
abstract class LossGradientOracleContract {
    static final LinearAlgebra LA = LinearAlgebra.instance();
    static final int D1 = 9;
    static final int D2 = 7;

    /** A problem of size D1×D2 of this implementation's kind, seeded. */
    abstract Problem problem(long seed);

    private static Matrix random(int r, int c, Rng rng, double scale) {
        return rng.gaussianMatrix(r, c, scale);
    }

    private static double dot(Matrix a, Matrix b) {
        double s = 0;
        for (int j = 0; j < a.cols(); j++) {
            for (int i = 0; i < a.rows(); i++) {
                s += a.get(i, j) * b.get(i, j);
            }
        }
        return s;
    }

    private static void assertClose(Matrix expected, Matrix actual, double tol, String what) {
        double scale = Math.max(1e-300, expected.frobeniusNorm());
        assertTrue(expected.distance(actual) <= tol * scale, what + ": off by " + expected.distance(actual) / scale);
    }

    @Test
    void fusedCallEqualsTheSeparateOnes() {
        Rng rng = new Rng(1);
        int k = 3;
        Matrix l = random(D1, k, rng, 0.5);
        Matrix r = random(k, D2, rng, 0.5);
        LossGradientOracle a = problem(2).newOracle(k, LA);
        LossGradientOracle b = problem(2).newOracle(k, LA);
        Matrix g1 = new Matrix(D1, k);
        Matrix h1 = new Matrix(k, D2);
        double fused = a.lossAndGradientProducts(l, r, g1, h1);
        double loss = b.lossAndGradient(l, r);
        Matrix g2 = new Matrix(D1, k);
        Matrix h2 = new Matrix(k, D2);
        b.gradientTimesTransposed(r, g2);
        b.transposedTimesGradient(l, h2);
        assertEquals(loss, fused, 1e-12 * Math.abs(loss));
        assertClose(g2, g1, 1e-12, "G·Rᵀ");
        assertClose(h2, h1, 1e-12, "Lᵀ·G");
        assertEquals(b.lastRecoveryError(), a.lastRecoveryError(), 1e-12 * Math.abs(b.lastRecoveryError()) + 0.0);
    }

    @Test
    void gradientProductsAreTheDerivativeOfTheLoss() {
        Rng rng = new Rng(3);
        int k = 2;
        Matrix l = random(D1, k, rng, 0.7);
        Matrix r = random(k, D2, rng, 0.7);
        LossGradientOracle o = problem(4).newOracle(k, LA);
        o.lossAndGradient(l, r);
        Matrix gl = new Matrix(D1, k);   // ∂loss/∂L = G·Rᵀ
        Matrix gr = new Matrix(k, D2);   // ∂loss/∂R = Lᵀ·G
        o.gradientTimesTransposed(r, gl);
        o.transposedTimesGradient(l, gr);
        Matrix dl = random(D1, k, rng, 1.0);
        Matrix dr = random(k, D2, rng, 1.0);
        double h = 1e-5;
        Matrix lp = l.copy();
        lp.addScaledInPlace(h, dl);
        Matrix lm = l.copy();
        lm.addScaledInPlace(-h, dl);
        Matrix rp = r.copy();
        rp.addScaledInPlace(h, dr);
        Matrix rm = r.copy();
        rm.addScaledInPlace(-h, dr);
        double numeric = (o.loss(lp, rp) - o.loss(lm, rm)) / (2 * h);
        double analytic = dot(gl, dl) + dot(gr, dr);
        assertEquals(analytic, numeric, 1e-6 * Math.max(1, Math.abs(analytic)));
    }

    @Test
    void aLossCallLeavesTheRecordedStateIntact() {
        Rng rng = new Rng(5);
        int k = 3;
        Matrix l = random(D1, k, rng, 0.5);
        Matrix r = random(k, D2, rng, 0.5);
        LossGradientOracle o = problem(6).newOracle(k, LA);
        LossGradientOracle fresh = problem(6).newOracle(k, LA);
        o.lossAndGradient(l, r);
        fresh.lossAndGradient(l, r);
        double other = o.loss(random(D1, k, rng, 2.0), random(k, D2, rng, 2.0));
        assertTrue(Double.isFinite(other));
        Matrix g = new Matrix(D1, k);
        Matrix gf = new Matrix(D1, k);
        o.gradientTimesTransposed(r, g);
        fresh.gradientTimesTransposed(r, gf);
        assertClose(gf, g, 0.0, "G·Rᵀ after a loss call");
        Matrix h = new Matrix(k, D2);
        Matrix hf = new Matrix(k, D2);
        o.transposedTimesGradient(l, h);
        fresh.transposedTimesGradient(l, hf);
        assertClose(hf, h, 0.0, "Lᵀ·G after a loss call");
        assertEquals(fresh.lastRecoveryError(), o.lastRecoveryError(), 0.0);
        assertEquals(fresh.loss(l, r), o.loss(l, r), 0.0);
    }

    @Test
    void largeThenSmallGivesWhatAFreshOracleGives() {
        Rng rng = new Rng(7);
        Problem p = problem(8);
        p.newOracle(6, LA).lossAndGradient(random(D1, 6, rng, 1e3), random(6, D2, rng, 1e3));  // a wide one first
        int k = 2;
        LossGradientOracle reused = p.newOracle(k, LA);
        reused.lossAndGradient(random(D1, k, rng, 1e4), random(k, D2, rng, 1e4));                // large values
        Matrix l = random(D1, k, rng, 1e-3);
        Matrix r = random(k, D2, rng, 1e-3);
        Matrix g = new Matrix(D1, k);
        Matrix h = new Matrix(k, D2);
        double loss = reused.lossAndGradientProducts(l, r, g, h);                                // then small ones
        LossGradientOracle fresh = problem(8).newOracle(k, LA);
        Matrix gf = new Matrix(D1, k);
        Matrix hf = new Matrix(k, D2);
        double lossFresh = fresh.lossAndGradientProducts(l, r, gf, hf);
        assertEquals(lossFresh, loss, 1e-12 * Math.abs(lossFresh));
        assertClose(gf, g, 1e-12, "G·Rᵀ");
        assertClose(hf, h, 1e-12, "Lᵀ·G");
    }

    @Test
    void argumentsAreNotModifiedAndTheZeroPointIsFinite() {
        Rng rng = new Rng(9);
        int k = 3;
        Matrix l = random(D1, k, rng, 0.5);
        Matrix r = random(k, D2, rng, 0.5);
        Matrix l0 = l.copy();
        Matrix r0 = r.copy();
        LossGradientOracle o = problem(10).newOracle(k, LA);
        o.lossAndGradientProducts(l, r, new Matrix(D1, k), new Matrix(k, D2));
        o.loss(l, r);
        assertEquals(0.0, l.distance(l0));
        assertEquals(0.0, r.distance(r0));
        double atZero = o.lossAndGradient(new Matrix(D1, k), new Matrix(k, D2));
        assertTrue(atZero > 0 && Double.isFinite(atZero), "the loss at P = 0 is ½-mean-square of the data: " + atZero);
    }

    static Matrix target(long seed) {
        return SyntheticTarget.generate(D1, D2, 2, new Rng(seed), LA).y();
    }
}
