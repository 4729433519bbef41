package org.cdln.recommend;

/**
 * RMSE and MAE of a model on a set of ratings under a {@link ColdStart} strategy, with the number
 * of pairs the strategy handled: a pair is cold when its user or its item is unknown to the model
 * or had no training rating.
 *
 * @param coldStart    the strategy used
 * @param total        ratings given
 * @param scored       ratings that entered the metrics (total minus the cold pairs under
 *                     {@link ColdStart#DROP}, else total)
 * @param rmse         √(mean (r̂ − r)²) over the scored ratings; NaN when none are scored, or under
 *                     {@link ColdStart#NAN} when a cold pair is among them
 * @param mae          mean |r̂ − r| over the scored ratings (NaN likewise)
 * @param coldUserOnly cold pairs whose user is cold (item known and rated)
 * @param coldItemOnly cold pairs whose item is cold (user known and rated)
 * @param coldBoth     cold pairs whose user and item are both cold
 */
public record RatingEvaluation(ColdStart coldStart, int total, int scored, double rmse, double mae, int coldUserOnly,
                               int coldItemOnly, int coldBoth) {
    /** The pairs the cold-start strategy handled. */
    public int cold() {
        return coldUserOnly + coldItemOnly + coldBoth;
    }
}
