package org.cdln.recommend;

import java.util.Arrays;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Rng;
import org.cdln.linalg.SparseMatrix;
import org.cdln.linalg.Svd;
import org.cdln.linalg.TruncatedSvd;

/**
 * Automatic width r̂ for the compressed network (beyond the paper, which assumes the rank r is
 * known): sign-flip parallel analysis of the completion surrogate.
 *
 * <p>Rule. Let S = (1/p)·P_Ω(R) be the surrogate of the observed residuals R (docs/method.md §3 step 2)
 * and σ_1 ≥ σ_2 ≥ … its singular values. Flipping the sign of every observed entry independently
 * at random, N_t = (1/p)·P_Ω(s_t ⊙ R), keeps the magnitudes and the sampling pattern but destroys
 * any low-rank structure: its spectrum is a noise bulk. The noise edge is max_t σ_1(N_t) over
 * {@value #TRIALS} draws, the estimated rank r = #{i : σ_i &gt; edge}, and r̂ = 2·max(r, 1) (the
 * paper's r̂ = 2r), capped at min(d1, d2). (Horn's parallel analysis with random sign flips:
 * Hong, Sheng and Dobriban, "Selecting the number of components in PCA via random signflips",
 * 2020.) The rule is conservative: the flipped entries keep the signal's magnitudes, so the edge
 * sits a little above the true bulk and components just above the bulk can be missed; on
 * MovieLens-100K it finds r = 2. {@link DeepMatrixCompletion}'s automatic width therefore starts
 * a validation sweep at this r̂ and doubles it while the validation error improves.
 *
 * <p>Cost: {@value #TRIALS} randomized truncated SVDs of a sparse d1×d2 matrix, O(q·14·|Ω|) each
 * (q = 8 power iterations), plus the surrogate's own leading singular values when not given.
 */
public final class RankSelection {
    /** Number of sign-flip draws. */
    public static final int TRIALS = 3;
    /** The largest rank the rule can return. */
    public static final int MAX_RANK = 64;

    private RankSelection() {
    }

    /**
     * The outcome of the rule.
     *
     * @param rank           r, the number of singular values above the noise edge
     * @param rankHat        r̂ = min(2·max(r, 1), min(d1, d2))
     * @param singularValues the leading singular values of the surrogate that were compared
     * @param noiseEdge      the largest top singular value over the sign-flipped surrogates
     */
    public record Result(int rank, int rankHat, double[] singularValues, double noiseEdge) {
        /** One line for logs and provenance. */
        public String describe() {
            return "sign-flip parallel analysis: " + rank + " singular value" + (rank == 1 ? "" : "s")
                    + " of the surrogate above the noise edge " + String.format("%.4g", noiseEdge) + " → r̂ = 2·"
                    + Math.max(rank, 1) + (rankHat < 2 * Math.max(rank, 1) ? " capped at " + rankHat : "")
                    + " = " + rankHat;
        }
    }

    /**
     * Applies the rule to the observed residuals (a d1×d2 sparse matrix with one stored entry per
     * observation).
     */
    public static Result parallelAnalysis(SparseMatrix observed, long seed, LinearAlgebra la) {
        int d = Math.min(observed.rows(), observed.cols());
        double p = observed.nonZeros() / ((double) observed.rows() * observed.cols());
        Svd s = TruncatedSvd.randomized(observed.times(1.0 / p), Math.min(MAX_RANK + 1, d), 10, 8, la,
                new Rng(seed).split());
        return parallelAnalysis(observed, s.s(), seed, la);
    }

    /**
     * The rule with the surrogate's leading singular values already known (e.g. from the SVD of
     * the spectral initialisation); only the sign-flipped surrogates are decomposed.
     *
     * @param singularValues σ_1 ≥ σ_2 ≥ … of (1/p)·P_Ω(R), as many as are known
     */
    public static Result parallelAnalysis(SparseMatrix observed, double[] singularValues, long seed, LinearAlgebra la) {
        int d = Math.min(observed.rows(), observed.cols());
        double p = observed.nonZeros() / ((double) observed.rows() * observed.cols());
        double[] sv = Arrays.copyOf(singularValues, Math.min(singularValues.length, MAX_RANK + 1));
        Rng rng = new Rng(seed);
        rng.split();
        double edge = 0.0;
        double[] v = observed.values().clone();
        for (int t = 0; t < TRIALS; t++) {
            Rng signs = rng.split();
            for (int e = 0; e < v.length; e++) {
                v[e] = signs.nextInt(2) == 0 ? -v[e] : v[e];
            }
            Svd n = TruncatedSvd.randomized(withValues(observed, v, 1.0 / p), Math.min(4, d), 10, 8, la, rng.split());
            edge = Math.max(edge, n.s()[0]);
        }
        int r = 0;
        while (r < sv.length && r < MAX_RANK && sv[r] > edge) {
            r++;
        }
        return new Result(r, Math.min(2 * Math.max(r, 1), d), sv, edge);
    }

    /** The pattern of s with values v·scale (stored order). */
    private static SparseMatrix withValues(SparseMatrix s, double[] v, double scale) {
        int[] ptr = s.rowPointers();
        int[] rows = new int[v.length];
        double[] scaled = new double[v.length];
        for (int i = 0; i < s.rows(); i++) {
            for (int e = ptr[i]; e < ptr[i + 1]; e++) {
                rows[e] = i;
                scaled[e] = v[e] * scale;
            }
        }
        return SparseMatrix.fromCoordinates(s.rows(), s.cols(), rows, s.columnIndices(), scaled);
    }
}
