package org.cdln.recommend;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cdln.data.Ratings;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;

/**
 * The two baselines every recommender comparison reports, as rank-0 {@link CompletionModel}s:
 * the global mean (r̂ = μ) and the biases-only model (r̂ = μ + b_u + b_i, damped biases of
 * {@link RatingBaseline} — the popularity effect top-N lists are measured against). Nothing is
 * selected on the validation share; fitting costs O(n) (O(SWEEPS·n) for biases).
 */
public final class BaselineEstimator implements RatingsEstimator {
    private final Centering centering;
    private final double damping;
    private final boolean clip;

    /**
     * @param centering {@link Centering#MEAN} (global mean) or {@link Centering#BIASES}
     * @param damping   λ_b ≥ 0 of the biases
     * @param clip      clip predictions to the training range
     */
    public BaselineEstimator(Centering centering, double damping, boolean clip) {
        if (centering == Centering.NONE) {
            throw new IllegalArgumentException("a baseline needs centering mean or biases, got none");
        }
        this.centering = centering;
        this.damping = damping;
        this.clip = clip;
    }

    /** The global-mean baseline. */
    public static BaselineEstimator globalMean() {
        return new BaselineEstimator(Centering.MEAN, 0.0, true);
    }

    /** The biases-only baseline with λ_b = 5 (the damping the networks' centering uses). */
    public static BaselineEstimator biases() {
        return new BaselineEstimator(Centering.BIASES, DeepMatrixCompletion.DEFAULTS.get(DeepMatrixCompletion.BIAS_DAMPING), true);
    }

    /** No validation share: the baselines select nothing. */
    @Override
    public double validationFraction() {
        return 0.0;
    }

    @Override
    public long seed() {
        return 0L;
    }

    @Override
    public CompletionModel fit(Ratings train, Ratings validation) {
        RatingsEstimator.requireSharedMappings(train, validation);
        if (train.size() == 0) {
            throw new IllegalArgumentException("no training ratings");
        }
        long t0 = System.nanoTime();
        RatingBaseline b = RatingBaseline.fit(train, centering, damping);
        double lo = clip ? train.minRating() : Double.NaN;
        double hi = clip ? train.maxRating() : Double.NaN;
        ModelKind kind = centering == Centering.MEAN ? ModelKind.GLOBAL_MEAN : ModelKind.BIASES;
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("model", kind.label());
        meta.put("centering", centering.name().toLowerCase());
        meta.put("bias_damping", DeepMatrixCompletion.g(damping));
        meta.put("clip", clip ? DeepMatrixCompletion.g(lo) + ".." + DeepMatrixCompletion.g(hi) : "off");
        meta.putAll(DeepMatrixCompletion.provenance(train, validation, LinearAlgebra.instance()));
        meta.put("parameters", String.valueOf(centering == Centering.MEAN ? 1 : 1 + train.numUsers() + train.numItems()));
        meta.put("training_seconds", DeepMatrixCompletion.g((System.nanoTime() - t0) * 1e-9));
        return CompletionModel.of(kind, b, new Matrix(train.numUsers(), 0), new Matrix(0, train.numItems()), lo, hi, train,
                meta);
    }

    @Override
    public String toString() {
        return centering == Centering.MEAN ? "global mean" : "biases (λ_b = " + DeepMatrixCompletion.g(damping) + ")";
    }
}
