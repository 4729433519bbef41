package org.cdln.recommend;

/**
 * How well a model predicts a set of ratings. Ratings of users or items the model does not know
 * cannot be scored; they are counted here, not dropped silently.
 *
 * @param count           ratings scored (known user and known item)
 * @param rmse            √(mean (r̂ − r)²) over the scored ratings (NaN when none)
 * @param mae             mean |r̂ − r| over the scored ratings (NaN when none)
 * @param unknownUserOnly ratings whose user is unknown to the model
 * @param unknownItemOnly ratings whose item is unknown to the model
 * @param unknownBoth     ratings whose user and item are both unknown
 */
public record RatingMetrics(int count, double rmse, double mae, int unknownUserOnly, int unknownItemOnly,
                            int unknownBoth) {

    /** ½·MSE = RMSE²/2, the paper's "recovery error". */
    public double halfMse() {
        return 0.5 * rmse * rmse;
    }

    /** Ratings that could not be scored. */
    public int unknown() {
        return unknownUserOnly + unknownItemOnly + unknownBoth;
    }

    /** All ratings given, scored or not. */
    public int total() {
        return count + unknown();
    }
}
