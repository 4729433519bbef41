package org.cdln.recommend;

import org.cdln.settings.Rule;
import org.cdln.settings.Schema;
import org.cdln.settings.Setting;

/**
 * The settings of evaluating and serving a fitted model, each declared once (name, description,
 * rule, default): what cold pairs get ({@link ColdStart}), the ranking protocol
 * ({@link RankingMetrics}: list length k and relevance threshold) and the ridge of fold-in
 * ({@link FoldIn}). Prediction-time settings: none is stored in a model file.
 */
public final class EvaluationSettings {
    /** The schema of these settings. */
    public static final Schema SCHEMA = new Schema("recommender evaluation", 1);

    /** What a pair with a cold user or item gets. */
    public static final Setting<ColdStart> COLD_START = SCHEMA.add(Setting.ofEnum("coldStart", ColdStart.SETTING,
            "What a pair whose user or item is unknown or had no training rating gets: baseline (μ + b_i, μ + b_u or μ, "
                    + "clipped), nan (the metric becomes NaN) or drop (left out, counted).", ColdStart.class,
            ColdStart::parse, ColdStart.DEFAULT));
    /** The ranking list length k. */
    public static final Setting<Integer> RANKING_K = SCHEMA.add(Setting.ofInt("rankingK", "ranking list length k",
            "How many items each user's ranked list holds for precision, recall, NDCG, MAP and hit rate at k.",
            Rule.atLeast(1), RankingMetrics.DEFAULT_K));
    /** Test ratings at or above this are relevant. */
    public static final Setting<Double> RELEVANCE_THRESHOLD = SCHEMA.add(Setting.ofDouble("relevanceThreshold",
            "relevance threshold", "A test rating at or above it makes the item relevant to the user.",
            new Rule<>(Double::isFinite, "a finite rating"), RankingMetrics.DEFAULT_THRESHOLD));
    /** The ridge λ of fold-in. */
    public static final Setting<Double> FOLD_IN_LAMBDA = SCHEMA.add(Setting.ofDoubleOrAuto("foldInLambda",
            FoldIn.SETTING, "Ridge λ of the fold-in solve of a new user's factor row; auto: an AltMin model's own λ, "
                    + "else residual variance over the spread of the fitted user rows (FoldIn.autoLambda).",
            Rule.nonNegative()));

    private EvaluationSettings() {
    }

    /**
     * The λ a fold-in uses for a setting value: {@link FoldIn#autoLambda} for auto, else the value.
     *
     * @param value {@link Setting#AUTO} or a λ ≥ 0 (checked)
     */
    public static double foldInLambda(CompletionModel m, Object value) {
        Object v = FOLD_IN_LAMBDA.check(value);
        return v == Setting.AUTO ? FoldIn.autoLambda(m) : (Double) v;
    }
}
