package org.cdln.recommend;

/**
 * One recommended item.
 *
 * @param itemId          the raw item id
 * @param itemIndex       its column index in the model
 * @param score           the unclipped prediction, which orders the list
 * @param predictedRating the prediction clipped to the rating range (what {@code predict} returns)
 */
public record Recommendation(String itemId, int itemIndex, double score, double predictedRating) {
}
