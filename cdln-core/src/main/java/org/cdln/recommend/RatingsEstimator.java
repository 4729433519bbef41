package org.cdln.recommend;

import org.cdln.data.Ratings;
import org.cdln.data.Splits;

/**
 * A rating-model estimator (the C-DLN, the wide DLN, AltMin): fits a {@link CompletionModel} on
 * training ratings while measuring a validation share for early stopping and model selection.
 */
public interface RatingsEstimator {
    /** Share of the ratings held out for validation by {@link #fit(Ratings)}, in [0, 1). */
    double validationFraction();

    /** Seed of the validation split (and of the estimator's initialisation). */
    long seed();

    /**
     * Fits on {@code train}, measuring on {@code validation} (same id mappings, e.g. the two halves
     * of a {@link Splits.Split}; may be empty). The model's seen items are those of {@code train}.
     */
    CompletionModel fit(Ratings train, Ratings validation);

    /**
     * Checks that {@code train} and {@code validation} index users and items the same way, as
     * {@link #fit(Ratings, Ratings)} requires.
     *
     * @throws IllegalArgumentException naming the fix when they do not
     */
    static void requireSharedMappings(Ratings train, Ratings validation) {
        if (!train.users().equals(validation.users()) || !train.items().equals(validation.items())) {
            throw new IllegalArgumentException("training and validation ratings must share their id mappings; "
                    + "make them with Splits or Ratings.remap");
        }
    }

    /**
     * Fits on the ratings, holding out {@link #validationFraction()} of them (seeded); items rated
     * in the validation share count as seen too, so that recommendations leave them out.
     */
    default CompletionModel fit(Ratings ratings) {
        if (validationFraction() > 0.0) {
            Splits.Split s = Splits.random(ratings, validationFraction(), seed());
            return fit(s.train(), s.test()).withSeenFrom(ratings);
        }
        return fit(ratings, ratings.subset(new int[0], "no validation"));
    }
}
