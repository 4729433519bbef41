package org.cdln.recommend;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.cdln.data.Splits;

/**
 * Cross-validation of rating models: every model is fitted on every fold's training ratings —
 * choosing whatever it chooses (r̂, early stopping, a {@link GridSearch}) on a validation share
 * of those training ratings only — and measured once on the fold's test ratings: RMSE and MAE
 * under a {@link ColdStart} strategy and the {@link RankingMetrics} at k. The summary is the
 * mean and the sample standard deviation over folds.
 */
public final class CrossValidation {
    /**
     * How the test folds are scored.
     *
     * @param k         ranking list length ≥ 1
     * @param threshold ratings ≥ threshold are relevant
     * @param coldStart what cold pairs and users get
     */
    public record Protocol(int k, double threshold, ColdStart coldStart) {
        /** Validates the protocol by the declarations of {@link EvaluationSettings}. */
        public Protocol {
            EvaluationSettings.RANKING_K.check(k);
            EvaluationSettings.RELEVANCE_THRESHOLD.check(threshold);
            if (coldStart == null) {
                throw new IllegalArgumentException("a cold-start strategy is required (baseline, nan or drop)");
            }
        }

        /** The declared defaults: k = 10, threshold 4, cold start baseline. */
        public static final Protocol DEFAULT = new Protocol((Integer) EvaluationSettings.RANKING_K.defaultValue(),
                (Double) EvaluationSettings.RELEVANCE_THRESHOLD.defaultValue(),
                (ColdStart) EvaluationSettings.COLD_START.defaultValue());
    }

    /** A named fold. */
    public record Fold(String name, Splits.Split split) {
    }

    /** A named model to cross-validate. */
    public record Candidate(String name, RatingsEstimator estimator) {
    }

    /**
     * One model on one fold.
     *
     * @param fold       the fold's name
     * @param rating     RMSE/MAE with the cold pairs counted
     * @param ranking    the ranking metrics
     * @param fitSeconds wall-clock seconds of the fit (selection included)
     * @param chosen     what the fit chose (rank, grid choice, steps), from the model's settings
     */
    public record FoldResult(String fold, RatingEvaluation rating, RankingMetrics.Result ranking, double fitSeconds,
                             Map<String, String> chosen) {
    }

    /** A mean and sample standard deviation (0 for one value; NaN when any value is NaN). */
    public record MeanSd(double mean, double sd) {
        /** Of the values. */
        public static MeanSd of(double[] v) {
            int n = v.length;
            if (n == 0) {
                return new MeanSd(Double.NaN, Double.NaN);
            }
            double s = 0.0;
            for (double x : v) {
                s += x;
            }
            double mean = s / n;
            double ss = 0.0;
            for (double x : v) {
                ss += (x - mean) * (x - mean);
            }
            return new MeanSd(mean, n == 1 ? 0.0 : Math.sqrt(ss / (n - 1)));
        }
    }

    /** All folds of one model. */
    public record ModelResult(String model, List<FoldResult> folds) {
        /** Copies the list. */
        public ModelResult {
            folds = List.copyOf(folds);
        }

        /** Mean ± sd of a per-fold value. */
        public MeanSd summary(java.util.function.ToDoubleFunction<FoldResult> metric) {
            return MeanSd.of(folds.stream().mapToDouble(metric).toArray());
        }
    }

    /** The outcome: the protocol, the folds' names and every model's results. */
    public record Result(Protocol protocol, List<String> folds, List<ModelResult> models) {
        /** Copies the lists. */
        public Result {
            folds = List.copyOf(folds);
            models = List.copyOf(models);
        }
    }

    private CrossValidation() {
    }

    /**
     * Runs the cross-validation, fold by fold, model by model.
     *
     * @param progress told a line after every fit (may be a no-op)
     */
    public static Result run(List<Fold> folds, List<Candidate> models, Protocol protocol, Consumer<String> progress) {
        if (folds.isEmpty() || models.isEmpty()) {
            throw new IllegalArgumentException("cross-validation needs at least one fold and one model, got "
                    + folds.size() + " folds and " + models.size() + " models");
        }
        Map<String, List<FoldResult>> byModel = new LinkedHashMap<>();
        for (Candidate c : models) {
            byModel.put(c.name(), new ArrayList<>());
        }
        for (Fold f : folds) {
            for (Candidate c : models) {
                long t0 = System.nanoTime();
                CompletionModel m = c.estimator().fit(f.split().train());
                double seconds = (System.nanoTime() - t0) * 1e-9;
                FoldResult r = score(f.name(), m, f.split(), protocol, seconds);
                byModel.get(c.name()).add(r);
                progress.accept(String.format(java.util.Locale.ROOT,
                        "%s %s: RMSE %.4f, MAE %.4f, P@%d %.4f, NDCG@%d %.4f, fit %.1f s%s", f.name(), c.name(),
                        r.rating().rmse(), r.rating().mae(), protocol.k(), r.ranking().precision(), protocol.k(),
                        r.ranking().ndcg(), seconds, r.chosen().isEmpty() ? "" : " " + r.chosen()));
            }
        }
        List<ModelResult> out = new ArrayList<>();
        byModel.forEach((name, rs) -> out.add(new ModelResult(name, rs)));
        return new Result(protocol, folds.stream().map(Fold::name).toList(), out);
    }

    /** Scores a fitted model on a split's test ratings. */
    public static FoldResult score(String fold, CompletionModel m, Splits.Split split, Protocol p, double fitSeconds) {
        RatingEvaluation e = m.evaluate(split.test(), p.coldStart());
        RankingMetrics.Result rk = RankingMetrics.evaluate(m, split.test(), p.k(), p.threshold(), p.coldStart());
        Map<String, String> chosen = new LinkedHashMap<>();
        for (String key : List.of("rank_hat", "width", "rank", "lambda", "grid_choice", "best_step", "steps")) {
            String v = m.settings().get(key);
            if (v != null) {
                chosen.put(key, v);
            }
        }
        return new FoldResult(fold, e, rk, fitSeconds, chosen);
    }
}
