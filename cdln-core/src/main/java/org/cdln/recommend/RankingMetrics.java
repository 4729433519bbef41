package org.cdln.recommend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cdln.data.Ratings;

/**
 * Top-N ranking metrics, accumulated user by user (plain library code: any recommender that can
 * give a ranked list of item indices per user can use it).
 *
 * <p>Protocol of {@link #evaluate}: for each test user, the candidates are all items the model
 * knows that the user did not rate in training; the relevant items Rel are the user's test items
 * rated ≥ the threshold (default {@value #DEFAULT_THRESHOLD}); only users with |Rel| ≥ 1 are
 * evaluated. With the list L = (l_1 … l_k) of the k best-scored candidates and rel_j = 1 when
 * l_j ∈ Rel:
 * <ul>
 *   <li>precision@k = (Σ_j rel_j)/k;</li>
 *   <li>recall@k = (Σ_j rel_j)/|Rel|;</li>
 *   <li>hit rate@k = 1 when Σ_j rel_j ≥ 1, else 0;</li>
 *   <li>NDCG@k = DCG/IDCG with binary gains, DCG = Σ_j rel_j/log₂(j + 1) and
 *       IDCG = Σ_{j ≤ min(k, |Rel|)} 1/log₂(j + 1);</li>
 *   <li>MAP@k: the mean over users of AP@k = (Σ_j rel_j·precision@j)/min(k, |Rel|);</li>
 * </ul>
 * each averaged over the evaluated users, and catalogue coverage = |∪ L over users|/(items the
 * model knows). A relevant item the model cannot recommend (unknown to it) still counts in |Rel|.
 * A user who is cold (unknown to the model or without training ratings) is ranked by the
 * {@link ColdStart} strategy: {@link ColdStart#BASELINE} ranks by μ + b_i, {@link ColdStart#DROP}
 * leaves the user out (counted), {@link ColdStart#NAN} makes every metric NaN.
 * Cost of {@link #add}: O(k + |Rel|·log |Rel|).
 */
public final class RankingMetrics {
    /** The default relevance threshold: ratings ≥ 4 are relevant. */
    public static final double DEFAULT_THRESHOLD = 4.0;
    /** The default list length k. */
    public static final int DEFAULT_K = 10;

    /**
     * The averaged metrics.
     *
     * @param k         list length
     * @param users     users evaluated
     * @param coldUsers evaluated users ranked by the cold-start strategy, or dropped under DROP
     * @param precision mean precision@k
     * @param recall    mean recall@k
     * @param ndcg      mean NDCG@k
     * @param map       MAP@k
     * @param hitRate   share of users with at least one relevant item in their list
     * @param coverage  share of the catalogue that appears in some list
     */
    public record Result(int k, int users, int coldUsers, double precision, double recall, double ndcg, double map,
                         double hitRate, double coverage) {
    }

    private final int k;
    private final int catalogueSize;
    private final boolean[] recommended;
    private int users;
    private int coldUsers;
    private boolean poisoned;
    private double precision;
    private double recall;
    private double ndcg;
    private double map;
    private double hits;

    /**
     * An empty accumulator.
     *
     * @param k             list length ≥ 1
     * @param catalogueSize number of items that can be recommended (for coverage) ≥ 0
     */
    public RankingMetrics(int k, int catalogueSize) {
        if (k < 1) {
            throw new IllegalArgumentException("ranking list length k must be ≥ 1, got " + k);
        }
        if (catalogueSize < 0) {
            throw new IllegalArgumentException("catalogue size must be ≥ 0, got " + catalogueSize);
        }
        this.k = k;
        this.catalogueSize = catalogueSize;
        this.recommended = new boolean[catalogueSize];
    }

    /**
     * Adds one user.
     *
     * @param list     the recommended item indices, best first (only the first k count; indices in
     *                 [0, catalogueSize))
     * @param relevant the user's relevant item indices (distinct; may lie outside the catalogue,
     *                 e.g. −1 for an item the model does not know), at least one
     */
    public void add(int[] list, int[] relevant) {
        if (relevant.length == 0) {
            throw new IllegalArgumentException("a user without relevant items cannot be ranked; leave them out");
        }
        int[] rel = relevant.clone();
        Arrays.sort(rel);
        int n = Math.min(k, list.length);
        double dcg = 0.0;
        double ap = 0.0;
        int found = 0;
        for (int j = 0; j < n; j++) {
            int item = list[j];
            if (item < 0 || item >= catalogueSize) {
                throw new IllegalArgumentException("recommended item index " + item + " is outside the catalogue [0, "
                        + catalogueSize + ")");
            }
            recommended[item] = true;
            if (Arrays.binarySearch(rel, item) >= 0) {
                found++;
                dcg += 1.0 / log2(j + 2);
                ap += found / (double) (j + 1);
            }
        }
        double idcg = 0.0;
        int ideal = Math.min(k, rel.length);
        for (int j = 0; j < ideal; j++) {
            idcg += 1.0 / log2(j + 2);
        }
        precision += found / (double) k;
        recall += found / (double) rel.length;
        ndcg += dcg / idcg;
        map += ap / ideal;
        hits += found > 0 ? 1 : 0;
        users++;
    }

    /** Counts a cold user ranked by the strategy (call {@link #add} for them too, except under DROP). */
    public void countCold() {
        coldUsers++;
    }

    /** Marks the result NaN (a cold user under {@link ColdStart#NAN}). */
    public void poison() {
        poisoned = true;
    }

    /** The averages so far (NaN when no user was added or the result was poisoned). */
    public Result result() {
        double nan = Double.NaN;
        if (users == 0 || poisoned) {
            return new Result(k, users, coldUsers, nan, nan, nan, nan, nan, poisoned ? nan : coverage());
        }
        return new Result(k, users, coldUsers, precision / users, recall / users, ndcg / users, map / users, hits / users,
                coverage());
    }

    private double coverage() {
        if (catalogueSize == 0) {
            return Double.NaN;
        }
        int c = 0;
        for (boolean b : recommended) {
            c += b ? 1 : 0;
        }
        return c / (double) catalogueSize;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2.0);
    }

    /**
     * Ranking metrics of a model on test ratings (raw ids), by the protocol above: lists from
     * {@link CompletionModel#recommendFor} (the user's training items left out), relevant items
     * the test ratings ≥ {@code threshold}. O(users·d2·k).
     */
    public static Result evaluate(CompletionModel m, Ratings test, int k, double threshold, ColdStart coldStart) {
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("relevance threshold must be a finite rating, got " + threshold);
        }
        int nu = test.numUsers();
        List<List<Integer>> rel = new ArrayList<>(nu);
        for (int u = 0; u < nu; u++) {
            rel.add(null);
        }
        int[] itemMap = new int[test.numItems()];
        for (int i = 0; i < itemMap.length; i++) {
            itemMap[i] = m.items().indexOf(test.items().id(i));
        }
        int unknownCode = -1;
        for (int q = 0; q < test.size(); q++) {
            if (test.rating(q) >= threshold) {
                int u = test.userIndex(q);
                if (rel.get(u) == null) {
                    rel.set(u, new ArrayList<>());
                }
                int i = itemMap[test.itemIndex(q)];
                rel.get(u).add(i >= 0 ? i : unknownCode--);
            }
        }
        RankingMetrics acc = new RankingMetrics(k, m.items().size());
        List<Integer> warm = new ArrayList<>();
        List<int[]> warmRel = new ArrayList<>();
        int[] coldList = null;
        for (int u = 0; u < nu; u++) {
            if (rel.get(u) == null) {
                continue;
            }
            int[] r = rel.get(u).stream().mapToInt(Integer::intValue).toArray();
            int mu = m.users().indexOf(test.users().id(u));
            if (m.warmUser(mu)) {
                warm.add(mu);
                warmRel.add(r);
                continue;
            }
            acc.countCold();
            if (coldStart == ColdStart.NAN) {
                acc.poison();
            } else if (coldStart == ColdStart.BASELINE) {
                if (coldList == null) {
                    coldList = byItemBaseline(m, k);
                }
                acc.add(coldList, r);
            }
        }
        int[] users = warm.stream().mapToInt(Integer::intValue).toArray();
        int[] pos = {0};
        m.recommendFor(users, k, true, ur -> {
            int[] list = ur.items().stream().mapToInt(Recommendation::itemIndex).toArray();
            acc.add(list, warmRel.get(pos[0]++));
        });
        return acc.result();
    }

    /** The k items with the highest μ + b_i among items with training ratings (a cold user's list). */
    static int[] byItemBaseline(CompletionModel m, int k) {
        int d2 = m.items().size();
        Integer[] order = new Integer[d2];
        for (int i = 0; i < d2; i++) {
            order[i] = i;
        }
        RatingBaseline b = m.baseline();
        Arrays.sort(order, (x, y) -> {
            int c = Double.compare(m.warmItem(y) ? b.itemBiasAt(y) : Double.NEGATIVE_INFINITY,
                    m.warmItem(x) ? b.itemBiasAt(x) : Double.NEGATIVE_INFINITY);
            return c != 0 ? c : Integer.compare(x, y);
        });
        int n = Math.min(k, d2);
        int[] out = new int[n];
        for (int j = 0; j < n; j++) {
            out[j] = order[j];
        }
        return out;
    }
}
