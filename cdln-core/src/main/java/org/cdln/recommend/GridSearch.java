package org.cdln.recommend;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cdln.data.Ratings;

/**
 * Model selection on a validation share: fits every candidate estimator on the same training
 * ratings, measuring each on the same validation ratings, and returns the model with the lowest
 * validation RMSE (ties: the first candidate). Never looks at test data: {@link #fit(Ratings)}
 * carves the validation share out of the ratings it is given. Cost: the sum of the candidates'.
 */
public final class GridSearch implements RatingsEstimator {
    private final List<RatingsEstimator> candidates;
    private final List<String> labels;
    private final double validationFraction;
    private final long seed;

    /**
     * @param candidates         the estimators to choose from (at least one)
     * @param labels             a label per candidate for provenance, e.g. "k=10 lambda=10"
     * @param validationFraction share held out by {@link #fit(Ratings)}, in (0, 0.5]
     * @param seed               seed of that split
     */
    public GridSearch(List<RatingsEstimator> candidates, List<String> labels, double validationFraction, long seed) {
        if (candidates.isEmpty() || candidates.size() != labels.size()) {
            throw new IllegalArgumentException("a grid needs at least one candidate and one label per candidate, got "
                    + candidates.size() + " candidates and " + labels.size() + " labels");
        }
        if (!(validationFraction > 0.0 && validationFraction <= 0.5)) {
            throw new IllegalArgumentException("validation fraction of a grid search must be in (0, 0.5], got "
                    + validationFraction);
        }
        this.candidates = List.copyOf(candidates);
        this.labels = List.copyOf(labels);
        this.validationFraction = validationFraction;
        this.seed = seed;
    }

    @Override
    public double validationFraction() {
        return validationFraction;
    }

    @Override
    public long seed() {
        return seed;
    }

    /** The candidates. */
    public List<RatingsEstimator> candidates() {
        return candidates;
    }

    @Override
    public CompletionModel fit(Ratings train, Ratings validation) {
        RatingsEstimator.requireSharedMappings(train, validation);
        if (validation.size() == 0 && candidates.size() > 1) {
            throw new IllegalArgumentException("a grid of " + candidates.size() + " candidates needs validation ratings");
        }
        CompletionModel best = null;
        double bestRmse = Double.POSITIVE_INFINITY;
        String bestLabel = null;
        StringBuilder tried = new StringBuilder();
        for (int c = 0; c < candidates.size(); c++) {
            CompletionModel m = candidates.get(c).fit(train, validation);
            double rmse = m.evaluate(validation, ColdStart.BASELINE).rmse();
            tried.append(tried.length() == 0 ? "" : "; ").append(labels.get(c)).append(" → ")
                    .append(String.format(Locale.ROOT, "%.4f", rmse));
            if (best == null || rmse < bestRmse) {
                best = m;
                bestRmse = rmse;
                bestLabel = labels.get(c);
            }
        }
        if (candidates.size() == 1) {
            return best;
        }
        Map<String, String> meta = new LinkedHashMap<>(best.settings());
        meta.put("grid", tried.toString());
        meta.put("grid_choice", bestLabel);
        return best.withSettings(meta);
    }
}
