package org.cdln.compress;

import java.util.ArrayList;
import java.util.List;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.cdln.linalg.Svd;
import org.cdln.linalg.TruncatedSvd;
import org.cdln.model.DeepLinearNetwork;
import org.cdln.problem.Problem;

/**
 * The compressed deep linear network (C-DLN) with spectral initialisation — the paper's algorithm
 * (docs/method.md §3).
 *
 * <p>With the problem's surrogate S = U·Σ·Vᵀ and width r̂:
 * W1 = c·V[:, :r̂]ᵀ (r̂×d2), W2..W(L−1) = ε·I (r̂×r̂), WL = c·U[:, :r̂] (d1×r̂), so that
 * P(0) = c²·ε^(L−2)·U_r̂·V_r̂ᵀ. The outer scale c is ε for depth L ≥ 3, giving P(0) = ε^L·U_r̂V_r̂ᵀ,
 * and 1 for depth 2, as in the reference code. Train it with the discrepant rate
 * {@link org.cdln.optim.LayerRates#discrepant}. Parameters: 2·d·r̂ + (L−2)·r̂² instead of L·d².
 *
 * @param rankHat r̂, the width (default 2r)
 * @param depth   L ≥ 2
 * @param eps     ε &gt; 0
 */
public record SpectralInit(int rankHat, int depth, double eps) {

    public SpectralInit {
        if (rankHat < 1) {
            throw new IllegalArgumentException("rank-hat r̂ must be ≥ 1, got " + rankHat);
        }
        if (depth < 2) {
            throw new IllegalArgumentException("depth must be ≥ 2, got " + depth);
        }
        if (!(eps > 0.0) || !Double.isFinite(eps)) {
            throw new IllegalArgumentException("eps must be a finite number > 0, got " + eps);
        }
    }

    /** The paper's default width r̂ = 2r for target rank r. */
    public static SpectralInit forRank(int r, int depth, double eps) {
        return new SpectralInit(2 * r, depth, eps);
    }

    /** The outer-layer scale c: ε for L ≥ 3, 1 for L = 2 (reference code). */
    public double outerScale() {
        return depth == 2 ? 1.0 : eps;
    }

    /**
     * Builds the compressed network from the problem's surrogate. The leading r̂ singular vectors
     * are exact (LAPACK) for surrogates up to {@value TruncatedSvd#DENSE_LIMIT} entries and from
     * randomized subspace iteration (seeded with {@code seed}) above.
     *
     * @throws IllegalArgumentException if r̂ exceeds min(d1, d2)
     */
    public DeepLinearNetwork build(Problem problem, long seed, LinearAlgebra la) {
        int d = Math.min(problem.rows(), problem.cols());
        if (rankHat > d) {
            throw new IllegalArgumentException("rank-hat r̂ = " + rankHat + " exceeds min(d1, d2) = " + d
                    + "; choose r̂ in [1, " + d + "]");
        }
        Svd svd = TruncatedSvd.of(problem.surrogate(), rankHat, la, new Rng(seed));
        return fromSingularVectors(svd.u(), svd.vt(), la);
    }

    /** Builds the network from given leading singular vectors U (d1×r̂) and Vᵀ (r̂×d2). */
    public DeepLinearNetwork fromSingularVectors(Matrix u, Matrix vt, LinearAlgebra la) {
        if (u.cols() != rankHat || vt.rows() != rankHat) {
            throw new IllegalArgumentException("need r̂ = " + rankHat + " singular vectors, got U " + u.shape()
                    + " and Vᵀ " + vt.shape());
        }
        double c = outerScale();
        List<Matrix> layers = new ArrayList<>();
        layers.add(vt.times(c));
        for (int l = 2; l <= depth - 1; l++) {
            Matrix eye = Matrix.identity(rankHat);
            eye.scaleInPlace(eps);
            layers.add(eye);
        }
        layers.add(u.times(c));
        return DeepLinearNetwork.of(layers, "spectral init (C-DLN), rank-hat=" + rankHat + ", depth=" + depth
                + ", eps=" + eps);
    }

    /** 2·d·r̂ + (L−2)·r̂² for a d×d problem; (d1 + d2)·r̂ + (L−2)·r̂² in general. */
    public long parameterCount(int d1, int d2) {
        return (long) (d1 + d2) * rankHat + (long) (depth - 2) * rankHat * rankHat;
    }
}
