package org.cdln.spark;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.cdln.linalg.Matrix;
import org.cdln.recommend.ColdStart;
import org.cdln.recommend.CompletionModel;
import org.cdln.recommend.RatingBaseline;

/**
 * A serializable copy of a {@link CompletionModel}'s scoring parts, broadcast to executors:
 * r̂(u, i) = clip(μ + b_u + b_i + U[u, :]·V[:, i]). Raw ids are looked up as strings. A user or
 * an item without training ratings is scored by the library's cold-start strategy ({@link ColdStart}).
 */
final class Scorer implements Serializable {
    private static final long serialVersionUID = 1L;

    final String[] userIds;
    final String[] itemIds;
    final int k;
    final double[] u;
    final double[] v;
    final double mu;
    final double[] bu;
    final double[] bi;
    final double lo;
    final double hi;
    /** Users and items with at least one training rating (the others are cold, as in the library). */
    final boolean[] warmUser;
    final boolean[] warmItem;
    private transient Map<String, Integer> userIndex;
    private transient Map<String, Integer> itemIndex;

    Scorer(CompletionModel m) {
        userIds = m.users().ids().toArray(new String[0]);
        itemIds = m.items().ids().toArray(new String[0]);
        k = m.rank();
        u = m.userFactors().transpose().data();
        Matrix vm = m.itemFactors();
        v = vm.data();
        RatingBaseline b = m.baseline();
        mu = b.mean();
        bu = b.userBias();
        bi = b.itemBias();
        lo = m.clipMin();
        hi = m.clipMax();
        warmUser = new boolean[userIds.length];
        for (int q = 0; q < warmUser.length; q++) {
            warmUser[q] = m.ratingCount(q) > 0;
        }
        warmItem = new boolean[itemIds.length];
        for (int q = 0; q < warmItem.length; q++) {
            warmItem[q] = m.itemRatingCount(q) > 0;
        }
    }

    int user(Object id) {
        if (userIndex == null) {
            userIndex = index(userIds);
        }
        Integer q = id == null ? null : userIndex.get(id.toString());
        return q == null ? -1 : q;
    }

    int item(Object id) {
        if (itemIndex == null) {
            itemIndex = index(itemIds);
        }
        Integer q = id == null ? null : itemIndex.get(id.toString());
        return q == null ? -1 : q;
    }

    private static Map<String, Integer> index(String[] ids) {
        Map<String, Integer> m = new HashMap<>(ids.length * 2);
        for (int q = 0; q < ids.length; q++) {
            m.put(ids[q], q);
        }
        return m;
    }

    /** The unclipped score of known indices. O(k). */
    double score(int user, int item) {
        int uo = user * k;
        int io = item * k;
        double dot = 0.0;
        for (int c = 0; c < k; c++) {
            dot += u[uo + c] * v[io + c];
        }
        // the library's order of operations (CompletionModel.score), so predictions agree bit for bit
        return mu + bu[user] + bi[item] + dot;
    }

    double clip(double s) {
        return Double.isNaN(lo) ? s : Math.max(lo, Math.min(hi, s));
    }

    /**
     * The prediction for raw ids under a cold-start strategy, as the library's
     * {@code CompletionModel.predict(int, int, ColdStart)}: the model's prediction when the user
     * and the item both had training ratings, else the known part of the baseline (BASELINE) or NaN.
     */
    double predict(Object userId, Object itemId, ColdStart coldStart) {
        int q = user(userId);
        int i = item(itemId);
        boolean wu = q >= 0 && warmUser[q];
        boolean wi = i >= 0 && warmItem[i];
        if (wu && wi) {
            return clip(score(q, i));
        }
        if (coldStart != ColdStart.BASELINE) {
            return Double.NaN;
        }
        return clip(mu + (wu ? bu[q] : 0.0) + (wi ? bi[i] : 0.0));
    }
}
