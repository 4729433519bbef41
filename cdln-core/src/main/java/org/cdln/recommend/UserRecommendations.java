package org.cdln.recommend;

import java.util.List;

/**
 * One user's recommendation list from a batch ({@link CompletionModel#recommendFor}).
 *
 * @param userId    the raw user id
 * @param userIndex its row index in the model
 * @param items     the recommended items, best first
 */
public record UserRecommendations(String userId, int userIndex, List<Recommendation> items) {
    /** Copies the list (the record is immutable). */
    public UserRecommendations {
        items = List.copyOf(items);
    }
}
