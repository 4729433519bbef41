package org.cdln.compress;

import java.util.ArrayList;
import java.util.List;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Svd;
import org.cdln.model.Backprop;
import org.cdln.model.DeepLinearNetwork;
import org.cdln.optim.LayerRates;
import org.cdln.problem.Problem;

/**
 * Law-of-Parsimony compression (Yaras, Wang, Zhu, Balzano, Qu, arXiv 2306.01154; docs/method.md §5): a
 * width-2r network built from the wide network's initialisation and its first gradient, whose
 * end-to-end product follows the wide network's trajectory.
 *
 * <p><b>Construction.</b> Wide network W1(0) (w×d2), …, WL(0) (d1×w), ε = ‖W1(0)‖_F/√w (the
 * reference code's {@code init_scale}), G1 = ∂loss/∂W1 at t = 0 with top-r singular vectors
 * U_r (w×r), V_r (d2×r). The 2r-dimensional input subspace that moves is
 * <pre>  span(V) = span([W1(0)ᵀ·U_r / ε, V_r]),   V (d2×2r) orthonormal (thin SVD),</pre>
 * and the compressed network has L + 2 layers:
 * <pre>  C1 = Vᵀ (2r×d2),  C2 … C(L+1) = ε·I (2r×2r, L of them),  C(L+2) = P(0)·V / ε^L (d1×2r),</pre>
 * so that its product at t = 0 is P(0)·V·Vᵀ. Its outer layers step with γ·η, the inner ones
 * with η ({@link #layerRates}).
 *
 * <p><b>Relation to the reference code</b> ({@code compute_factor}/{@code compress_network}): it
 * forms the (d2 − 2r)-dimensional intersection S of span(W1(0)ᵀ·Ugrad[:, r:]/ε) and
 * span(Vgrad[:, r:]) from the null space of [Va, −Vb], then takes 2r columns of a basis of S^⊥.
 * When W1(0)/ε is orthogonal (square orthogonal initialisation), S^⊥ is exactly
 * span(W1(0)ᵀ·U_r/ε) + span(V_r), the subspace built here from a d2×2r matrix instead of three
 * d×d SVDs; the two agree to rounding (see the tests). Only the subspace matters: any orthonormal
 * basis V gives the same product trajectory.
 *
 * <p><b>What is exact.</b> For factorization (loss c·‖P − Y‖_F², rank-r Y) with square orthogonal
 * initialisation W_l(0) = ε·O_l, gradient descent keeps
 * W_l(t) = U_l·diag(W̃_l(t), ρ(t)·I_(d−2r))·U_(l−1)ᵀ with fixed orthogonal U_l whose first 2r
 * columns of U_0 span S^⊥ (Yaras et al., Thm. 1; ρ(t) ≤ ε shrinks by η·c'·ρ^(2L−1) per step). In these
 * bases the 2r-block starts at W̃_l(0) = ε·I, and its GD update is exactly that of the inner layers
 * of this network when C1 and C(L+2) do not move. So with γ → 0, in exact arithmetic,
 * ‖P(t) − P_c(t)‖_F = ρ(t)^L·√(d − 2r) ≤ ε^L·√(d − 2r) at every step.
 * <b>What is approximate.</b> (1) γ &gt; 0: C1 stays B·Vᵀ and C(L+2) stays U_L,1·B′ (factorization),
 * so the network is a depth-(L+2) network in the same subspace whose outer 2r×2r factors B, B′
 * move at rate γη; the trajectories differ by O(γ). (2) Completion and sensing: the subspace is
 * only approximately invariant, so the product follows the wide one only approximately; a small
 * γ &gt; 0 lets the outer layers correct the subspace.
 *
 * <p>Cost: one forward/backward pass of the wide network, one SVD of G1 (O(w·d2·min(w, d2))), one
 * of a d2×2r matrix and the product P(0) (O(L·w²·d)). Parameters: (d1 + d2)·2r + L·4r².
 *
 * @param rank  r, the target rank (the width is 2r)
 * @param gamma γ, the outer layers' rate relative to η (default 0.01)
 */
public record Parsimony(int rank, double gamma) {
    /** The default outer-layer rate γ relative to η. */
    public static final double DEFAULT_GAMMA = 0.01;

    public Parsimony {
        if (rank < 1) {
            throw new IllegalArgumentException("rank r must be ≥ 1, got " + rank);
        }
        if (!(gamma > 0.0 && gamma <= 1.0)) {
            throw new IllegalArgumentException("outer rate gamma must be in (0, 1], got " + gamma);
        }
    }

    /** r with the default γ = 0.01. */
    public static Parsimony forRank(int rank) {
        return new Parsimony(rank, DEFAULT_GAMMA);
    }

    /** Width of the compressed network, 2r. */
    public int width() {
        return 2 * rank;
    }

    /** Per-layer multipliers (γ, 1, …, 1, γ) for the L + 2 layers of a network built from a depth-L one. */
    public double[] layerRates(int wideDepth) {
        double[] m = LayerRates.uniform(wideDepth + 2);
        m[0] = gamma;
        m[m.length - 1] = gamma;
        return m;
    }

    /** ε = ‖W1(0)‖_F / √w, the initialisation scale as the reference code reads it from the weights. */
    public static double initScale(DeepLinearNetwork wide) {
        Matrix w1 = wide.layer(1);
        return w1.frobeniusNorm() / Math.sqrt(w1.rows());
    }

    /**
     * The orthonormal basis V (d2×2r) of the input subspace that moves: the leading singular vectors
     * of [W1(0)ᵀ·U_r/ε, V_r] with U_r, V_r the top-r singular vectors of G1 = ∂loss/∂W1 at t = 0.
     * Neither argument is modified.
     *
     * @throws IllegalArgumentException when 2r exceeds the input dimension or the first layer's width
     */
    public Matrix subspace(DeepLinearNetwork wide, Problem problem, LinearAlgebra la) {
        Matrix w1 = wide.layer(1);
        int d2 = w1.cols();
        if (2 * rank > Math.min(d2, w1.rows())) {
            throw new IllegalArgumentException("Law-of-Parsimony width 2r = " + (2 * rank) + " exceeds the wide network's"
                    + " input dimension " + d2 + " or width " + w1.rows() + "; choose r ≤ " + Math.min(d2, w1.rows()) / 2);
        }
        Matrix g1 = firstGradient(wide, problem, la);
        Svd g = la.svd(g1);
        if (!(g.s()[0] > 0.0)) {
            throw new IllegalArgumentException("the first gradient of W1 is zero (the wide network already fits the"
                    + " data); the moving subspace is undefined");
        }
        double eps = initScale(wide);
        Matrix ur = g.u().columns(0, rank);
        Matrix a = la.multiply(true, w1, false, ur);
        a.scaleInPlace(1.0 / eps);
        Matrix vr = g.vt().rowRange(0, rank).transpose();
        Matrix both = new Matrix(d2, 2 * rank);
        System.arraycopy(a.data(), 0, both.data(), 0, a.size());
        System.arraycopy(vr.data(), 0, both.data(), a.size(), vr.size());
        return la.svd(both).u();
    }

    /** G1 = ∂loss/∂W1 of the wide network at its current point (a new matrix). */
    public static Matrix firstGradient(DeepLinearNetwork wide, Problem problem, LinearAlgebra la) {
        Matrix[] grads = Backprop.gradientBuffers(wide);
        new Backprop(wide.widths(), la).lossAndGradients(wide,
                problem.newOracle(wide.layer(wide.depth()).cols(), la), grads);
        return grads[0];
    }

    /**
     * Builds the compressed network of L + 2 layers from the wide network at its initialisation
     * (not modified). Train it with {@link #layerRates}(L) on the same η.
     */
    public DeepLinearNetwork build(DeepLinearNetwork wide, Problem problem, LinearAlgebra la) {
        return fromSubspace(wide, subspace(wide, problem, la), la);
    }

    /** Builds the compressed network from a given orthonormal basis V (d2×2r) of the moving subspace. */
    public DeepLinearNetwork fromSubspace(DeepLinearNetwork wide, Matrix v, LinearAlgebra la) {
        if (v.cols() != 2 * rank || v.rows() != wide.inputDim()) {
            throw new IllegalArgumentException("need a " + wide.inputDim() + "×" + (2 * rank) + " basis V, got " + v.shape());
        }
        int depth = wide.depth();
        double eps = initScale(wide);
        List<Matrix> layers = new ArrayList<>();
        layers.add(v.transpose());
        for (int l = 0; l < depth; l++) {
            Matrix eye = Matrix.identity(2 * rank);
            eye.scaleInPlace(eps);
            layers.add(eye);
        }
        Matrix last = la.multiply(wide.product(la), v);
        last.scaleInPlace(1.0 / Math.pow(eps, depth));
        layers.add(last);
        return DeepLinearNetwork.of(layers, "law-of-parsimony compression of a depth-" + depth + " network, width=2r="
                + (2 * rank) + ", eps=" + eps + ", gamma=" + gamma);
    }

    /** (d1 + d2)·2r + L·(2r)², the parameters of the compressed network. */
    public long parameterCount(int d1, int d2, int wideDepth) {
        long w = 2L * rank;
        return (d1 + d2) * w + wideDepth * w * w;
    }
}
