package org.cdln.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cdln.analysis.ProductTrajectory;
import org.cdln.analysis.Subspaces;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.cdln.model.DeepLinearNetwork;
import org.cdln.model.Initialization;
import org.cdln.problem.FactorizationProblem;
import org.cdln.problem.SyntheticTarget;
import org.cdln.train.TrainResult;
import org.cdln.train.Trainer;
import org.cdln.train.TrainerConfig;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Law-of-Parsimony compression on a rank-3 factorization of a 30×30 target, depth 3, ε = 1e-2.
 *
 * <p>The bounds. (1) With the outer layers practically frozen (γ = 1e-12) the compressed product
 * is the wide product without its (d − 2r)-dimensional remnant (see {@link Parsimony}), so
 * max_t ‖P(t) − P_c(t)‖_F = ε^L·√(d − 2r), reached at t = 0: asserted to 1e-6 relative. (2) With
 * γ = 0.01 the outer 2r×2r factors B, B′ move by at most about γ·(path length of an inner layer)·
 * (its largest norm) ≤ γ·σ_1^(1/L)·σ_1^(1/L) (inner layers grow monotonically from ε to at most
 * σ_1(Y)^(1/L) under incremental learning, and ‖∂ℓ/∂B‖ ≤ ‖W̃_l‖·‖∂ℓ/∂W̃_l‖); the product,
 * B′·M·B, then differs by at most about 2γ·σ_1^(2/L) relative to ‖Y‖_F, plus the remnant
 * ε^L·√(d − 2r). This first-order bound is loose (measured: about 1e-3 against 0.1) but is
 * violated by a wrong subspace, whose error is of the order of ‖Y‖.
 */
class ParsimonyTest {
    static final int D = 30;
    static final int R = 3;
    static final double EPS = 1e-2;
    static final LinearAlgebra LA = LinearAlgebra.instance();
    static SyntheticTarget target;
    static FactorizationProblem problem;
    static DeepLinearNetwork wide;
    static ProductTrajectory wideTrajectory;
    static TrainerConfig config;

    @BeforeAll
    static void trainWide() {
        Rng rng = new Rng(11);
        target = SyntheticTarget.generate(D, D, R, rng.split(), LA);
        problem = new FactorizationProblem(target.y());
        wide = DeepLinearNetwork.wide(D, D, D, 3, Initialization.ORTH, EPS, rng.split(), LA);
        config = TrainerConfig.gd(15, 2500, 0, 25);
        wideTrajectory = ProductTrajectory.recording(LA);
        TrainResult r = new Trainer(config, LA).addListener(wideTrajectory).fit("original", wide, problem);
        assertTrue(r.finalRecoveryError() < 1e-12, "the wide network learned Y: " + r.finalRecoveryError());
    }

    static double maxDistance(double gamma) {
        Parsimony p = new Parsimony(R, gamma);
        DeepLinearNetwork c = p.build(wide, problem, LA);
        ProductTrajectory follow = ProductTrajectory.following(wideTrajectory, LA);
        new Trainer(config.withLayerRates(p.layerRates(3)), LA).addListener(follow).fit("parsimony", c, problem);
        assertEquals(101, follow.deviations().size());
        return follow.maxDistance();
    }

    @Test
    void frozenOuterLayersReproduceTheWideTrajectoryUpToTheInitialRemnant() {
        double remnant = Math.pow(EPS, 3) * Math.sqrt(D - 2 * R);
        double max = maxDistance(1e-12);
        assertEquals(remnant, max, 1e-6 * remnant);
    }

    @Test
    void defaultOuterRateFollowsWithinTheFirstOrderBound() {
        double yNorm = target.y().frobeniusNorm();
        double bound = 2 * Parsimony.DEFAULT_GAMMA * Math.pow(target.s()[0], 2.0 / 3) + Math.pow(EPS, 3)
                * Math.sqrt(D - 2 * R) / yNorm;
        double rel = maxDistance(Parsimony.DEFAULT_GAMMA) / yNorm;
        assertTrue(rel <= bound, "max ‖P − P_c‖/‖Y‖ = " + rel + " > bound " + bound);
        assertTrue(rel > 1e-6, "γ > 0 does move the outer layers: " + rel);
    }

    @Test
    void networkHasDepthPlusTwoLayersAndStartsAtTheProjectedProduct() {
        Parsimony p = Parsimony.forRank(R);
        DeepLinearNetwork c = p.build(wide, problem, LA);
        assertEquals(5, c.depth());
        assertEquals(p.parameterCount(D, D, 3), c.parameterCount());
        Matrix v = p.subspace(wide, problem, LA);
        Matrix expected = LA.multiply(false, LA.multiply(wide.product(LA), v), true, v);
        assertTrue(c.product(LA).distance(expected) < 1e-12 * expected.frobeniusNorm() + 1e-20);
        assertEquals(EPS, Parsimony.initScale(wide), 1e-15);
        double[] rates = p.layerRates(3);
        assertEquals(0.01, rates[0]);
        assertEquals(1.0, rates[2]);
        assertEquals(0.01, rates[4]);
    }

    @Test
    void subspaceEqualsTheReferenceCodesConstruction() {
        Matrix mine = Parsimony.forRank(R).subspace(wide, problem, LA);
        Matrix reference = referenceConstruction(Parsimony.firstGradient(wide, problem, LA), wide.layer(1), R);
        assertEquals(2 * R, reference.cols());
        assertTrue(Subspaces.largestPrincipalAngle(mine, reference, LA) < 1e-8,
                "angle " + Subspaces.largestPrincipalAngle(mine, reference, LA));
        // and it contains the theory's S^⊥ ⊇ span(Yᵀ): the residual (I − V·Vᵀ)·V* vanishes
        Matrix rowY = target.v();
        Matrix residual = rowY.copy();
        LA.gemm(false, false, -1.0, mine, LA.multiply(true, mine, false, rowY), 1.0, residual);
        assertTrue(residual.frobeniusNorm() < 1e-10, "span(Yᵀ) ⊂ span(V): residual " + residual.frobeniusNorm());
    }

    @Test
    void invalidArgumentsNameTheParameter() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Parsimony(0, 0.01)).getMessage()
                .contains("rank"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Parsimony(2, 0)).getMessage()
                .contains("gamma"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new Parsimony(16, 0.01).subspace(wide, problem, LA)).getMessage().contains("2r = 32"));
    }

    /**
     * The reference code's compute_factor, transcribed with EJML's full SVDs (an independent
     * implementation): Va = W1(0)ᵀ·Ugrad[:, r:]/ε, Vb = Vgrad[:, r:], the null space of [Va, −Vb]
     * gives their intersection V0 = Va·N[:k, :], and the last 2r left singular vectors of V0 span
     * its complement.
     */
    static Matrix referenceConstruction(Matrix g1, Matrix w1, int r) {
        int d = g1.rows();
        double eps = w1.frobeniusNorm() / Math.sqrt(w1.rows());
        DMatrixRMaj g = ejml(g1);
        DMatrixRMaj[] usv = fullSvd(g);
        DMatrixRMaj ugradRest = CommonOps_DDRM.extract(usv[0], 0, d, r, d);
        DMatrixRMaj vgradRest = CommonOps_DDRM.extract(usv[2], 0, d, r, d);
        DMatrixRMaj va = new DMatrixRMaj(d, d - r);
        CommonOps_DDRM.multTransA(ejml(w1), ugradRest, va);
        CommonOps_DDRM.scale(1.0 / eps, va);
        DMatrixRMaj both = new DMatrixRMaj(d, 2 * (d - r));
        CommonOps_DDRM.insert(va, both, 0, 0);
        DMatrixRMaj minusVb = vgradRest.copy();
        CommonOps_DDRM.scale(-1, minusVb);
        CommonOps_DDRM.insert(minusVb, both, 0, d - r);
        DMatrixRMaj n = fullSvd(both)[2];
        DMatrixRMaj x = CommonOps_DDRM.extract(n, 0, d - r, d, 2 * (d - r));
        DMatrixRMaj v0 = new DMatrixRMaj(d, x.numCols);
        CommonOps_DDRM.mult(va, x, v0);
        DMatrixRMaj u = fullSvd(v0)[0];
        DMatrixRMaj last = CommonOps_DDRM.extract(u, 0, d, d - 2 * r, d);
        Matrix out = new Matrix(d, 2 * r);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < 2 * r; j++) {
                out.set(i, j, last.get(i, 2 * r - 1 - j));
            }
        }
        return out;
    }

    private static DMatrixRMaj ejml(Matrix m) {
        return new DMatrixRMaj(m.toRowArrays());
    }

    /** U (m×m), W, V (n×n) with singular values in descending order. */
    private static DMatrixRMaj[] fullSvd(DMatrixRMaj a) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(a.numRows, a.numCols, true,
                true, false);
        if (!svd.decompose(a.copy())) {
            throw new IllegalStateException("EJML SVD failed");
        }
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj w = svd.getW(null);
        DMatrixRMaj v = svd.getV(null, false);
        SingularOps_DDRM.descendingOrder(u, false, w, v, false);
        return new DMatrixRMaj[] {u, w, v};
    }
}
