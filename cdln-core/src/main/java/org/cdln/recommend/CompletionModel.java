package org.cdln.recommend;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cdln.data.IdMapping;
import org.cdln.data.Ratings;
import org.cdln.linalg.Matrix;

/**
 * A fitted rating model: r̂(u, i) = clip(b(u, i) + U[u, :]·V[:, i]), with the centering baseline
 * b(u, i) = μ + b_u + b_i ({@link RatingBaseline}) and the low-rank factors U (d1×k) and V (k×d2).
 * For a deep linear network U = W_L and V = W_(L−1)·…·W_1 (so U·V is its end-to-end matrix P);
 * for AltMin they are its two factors. Immutable and thread-safe.
 *
 * <p>Users and items are addressed by their raw ids ({@link IdMapping}); the model also keeps
 * which items each user rated in training, so that {@link #recommend} can leave them out.
 * {@link #save}/{@link #load} round-trip exactly: every double is written bit for bit
 * ({@link ModelFile} documents the format). Costs: one prediction O(k); a recommendation list
 * O(d2·k + d2·log K).
 */
public final class CompletionModel {
    private final ModelKind kind;
    private final IdMapping users;
    private final IdMapping items;
    private final RatingBaseline baseline;
    private final Matrix userFactors;
    private final Matrix itemFactors;
    private final double[] userRows;
    private final double clipMin;
    private final double clipMax;
    private final int[] seenPtr;
    private final int[] seenItems;
    private final int[] itemCounts;
    private final ModelSettings record;
    private final Map<String, String> settings;
    private final List<FitPoint> trajectory;

    /** A model whose settings and provenance are given as their flat text view (parsed by {@link ModelSettings#fromText}). */
    CompletionModel(ModelKind kind, IdMapping users, IdMapping items, RatingBaseline baseline, Matrix userFactors,
                    Matrix itemFactors, double clipMin, double clipMax, int[] seenPtr, int[] seenItems,
                    Map<String, String> settings, List<FitPoint> trajectory) {
        this(kind, users, items, baseline, userFactors, itemFactors, clipMin, clipMax, seenPtr, seenItems,
                ModelSettings.fromText(settings), trajectory);
    }

    CompletionModel(ModelKind kind, IdMapping users, IdMapping items, RatingBaseline baseline, Matrix userFactors,
                    Matrix itemFactors, double clipMin, double clipMax, int[] seenPtr, int[] seenItems,
                    ModelSettings record, List<FitPoint> trajectory) {
        int d1 = users.size();
        int d2 = items.size();
        if (userFactors.rows() != d1 || itemFactors.cols() != d2 || userFactors.cols() != itemFactors.rows()) {
            throw new IllegalArgumentException("factors " + userFactors.shape() + " and " + itemFactors.shape()
                    + " do not fit " + d1 + " users × " + d2 + " items");
        }
        if (baseline.users() != d1 || baseline.items() != d2) {
            throw new IllegalArgumentException("the baseline has " + baseline.users() + " user and " + baseline.items()
                    + " item biases for " + d1 + " users × " + d2 + " items");
        }
        if (seenPtr.length != d1 + 1 || seenPtr[d1] != seenItems.length) {
            throw new IllegalArgumentException("seen-items index does not fit " + d1 + " users");
        }
        if (Double.isNaN(clipMin) != Double.isNaN(clipMax) || clipMin > clipMax) {
            throw new IllegalArgumentException("clip range [" + clipMin + ", " + clipMax + "] is not a range");
        }
        this.kind = kind;
        this.users = users;
        this.items = items;
        this.baseline = baseline;
        this.userFactors = userFactors.copy();
        this.itemFactors = itemFactors.copy();
        this.userRows = userFactors.transpose().data();
        this.clipMin = clipMin;
        this.clipMax = clipMax;
        this.seenPtr = seenPtr.clone();
        this.seenItems = seenItems.clone();
        this.itemCounts = new int[d2];
        for (int i : this.seenItems) {
            itemCounts[i]++;
        }
        this.record = record;
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(record.asText()));
        this.trajectory = List.copyOf(trajectory);
    }

    /**
     * A model from its parts, for engines that fit outside this library (the Spark estimator) and
     * hand their result to it for serving and {@link #save}. Arrays and matrices are copied.
     *
     * @param seenPtr   CSR row pointers (d1 + 1) of the items each user rated in training
     * @param seenItems the item indices of those ratings, sorted within each user
     * @throws IllegalArgumentException when the shapes do not fit the mappings
     */
    public static CompletionModel of(ModelKind kind, IdMapping users, IdMapping items, RatingBaseline baseline,
                                     Matrix userFactors, Matrix itemFactors, double clipMin, double clipMax,
                                     int[] seenPtr, int[] seenItems, Map<String, String> settings,
                                     List<FitPoint> trajectory) {
        return new CompletionModel(kind, users, items, baseline, userFactors, itemFactors, clipMin, clipMax, seenPtr,
                seenItems, settings, trajectory);
    }

    /** The item indices a user index rated in training, sorted (a copy). O(n_u). */
    public int[] seenItems(int user) {
        return java.util.Arrays.copyOfRange(seenItems, seenPtr[user], seenPtr[user + 1]);
    }

    /** The user → items-rated index (CSR, items sorted) of training ratings. O(n log n). */
    static int[][] seenIndex(Ratings train) {
        int d1 = train.numUsers();
        int[] ptr = new int[d1 + 1];
        for (int k = 0; k < train.size(); k++) {
            ptr[train.userIndex(k) + 1]++;
        }
        for (int u = 0; u < d1; u++) {
            ptr[u + 1] += ptr[u];
        }
        int[] fill = ptr.clone();
        int[] idx = new int[train.size()];
        for (int k = 0; k < train.size(); k++) {
            idx[fill[train.userIndex(k)]++] = train.itemIndex(k);
        }
        for (int u = 0; u < d1; u++) {
            java.util.Arrays.sort(idx, ptr[u], ptr[u + 1]);
        }
        return new int[][] {ptr, idx};
    }

    /**
     * A model from its parts, e.g. factors fitted elsewhere, a synthetic model for benchmarks, or
     * a baseline-only model (k = 0). The seen items are the pairs of {@code seen}, which must use
     * the given mappings. O(n log n + (d1 + d2)·k).
     *
     * @param kind        which estimator fitted the factors (e.g. {@link ModelKind#ALTMIN})
     * @param userFactors U, d1×k
     * @param itemFactors V, k×d2
     * @param clipMin     lower clip bound (NaN with clipMax NaN: no clipping)
     * @param seen        the training ratings (for leaving seen items out and for cold start)
     * @throws IllegalArgumentException when the shapes, biases or mappings do not fit
     */
    public static CompletionModel of(ModelKind kind, RatingBaseline baseline, Matrix userFactors, Matrix itemFactors,
                                     double clipMin, double clipMax, Ratings seen, Map<String, String> settings) {
        int[][] idx = seenIndex(seen);
        return new CompletionModel(kind, seen.users(), seen.items(), baseline, userFactors, itemFactors, clipMin, clipMax,
                idx[0], idx[1], settings, List.of());
    }

    /** Which estimator fitted this model. */
    public ModelKind kind() {
        return kind;
    }

    /** Known users (rows). */
    public IdMapping users() {
        return users;
    }

    /** Known items (columns). */
    public IdMapping items() {
        return items;
    }

    /** The centering baseline. */
    public RatingBaseline baseline() {
        return baseline;
    }

    /** k, the inner dimension of U·V. */
    public int rank() {
        return userFactors.cols();
    }

    /** U, d1×k (a copy). */
    public Matrix userFactors() {
        return userFactors.copy();
    }

    /** V, k×d2 (a copy). */
    public Matrix itemFactors() {
        return itemFactors.copy();
    }

    /** Lower clip bound, NaN when predictions are not clipped. */
    public double clipMin() {
        return clipMin;
    }

    /** Upper clip bound, NaN when predictions are not clipped. */
    public double clipMax() {
        return clipMax;
    }

    /** How the model was made: settings, data, backend, version (ordered, unmodifiable). */
    public Map<String, String> settings() {
        return settings;
    }

    /**
     * The deep-matrix-completion settings the model was fitted with, typed and validated by their
     * declarations ({@link DeepMatrixCompletion#SCHEMA}; automatic ones with the value they took):
     * the record the model file stores, each setting with its declared type. Empty for a model that
     * records none (AltMin, baselines, files written before the declarations).
     */
    public java.util.Optional<org.cdln.settings.Settings> declaredSettings() {
        return java.util.Optional.ofNullable(record.declared());
    }

    /** The typed record and the provenance, as the model file stores them. */
    ModelSettings record() {
        return record;
    }

    /** The evaluations made while fitting (empty for hand-built models). */
    public List<FitPoint> trajectory() {
        return trajectory;
    }

    /** The unclipped prediction b(u, i) + U[u, :]·V[:, i] for indices. O(k). */
    public double score(int user, int item) {
        int k = userFactors.cols();
        double[] v = itemFactors.data();
        int uo = user * k;
        int io = item * k;
        double dot = 0.0;
        for (int c = 0; c < k; c++) {
            dot += userRows[uo + c] * v[io + c];
        }
        return baseline.predict(user, item) + dot;
    }

    /** The prediction for indices, clipped to the rating range. O(k). */
    public double predict(int user, int item) {
        return clip(score(user, item));
    }

    private double clip(double s) {
        return Double.isNaN(clipMin) ? s : Math.max(clipMin, Math.min(clipMax, s));
    }

    /**
     * The predicted rating of a user for an item, by raw ids.
     *
     * @throws IllegalArgumentException when the user or the item is unknown to the model
     */
    public double predict(String user, String item) {
        return predict(userIndex(user), itemIndex(item));
    }

    /**
     * Predictions for pairs (users[k], items[k]) by raw ids; NaN for a pair whose user or item is
     * unknown. O(n·k).
     */
    public double[] predict(String[] userIds, String[] itemIds) {
        if (userIds.length != itemIds.length) {
            throw new IllegalArgumentException(userIds.length + " users but " + itemIds.length + " items; give pairs");
        }
        double[] out = new double[userIds.length];
        for (int k = 0; k < out.length; k++) {
            int u = users.indexOf(userIds[k]);
            int i = items.indexOf(itemIds[k]);
            out[k] = u < 0 || i < 0 ? Double.NaN : predict(u, i);
        }
        return out;
    }

    /** Predictions for every rating of a set (by raw ids); NaN where the user or item is unknown. */
    public double[] predict(Ratings r) {
        String[] us = new String[r.size()];
        String[] is = new String[r.size()];
        for (int k = 0; k < us.length; k++) {
            us[k] = r.users().id(r.userIndex(k));
            is[k] = r.items().id(r.itemIndex(k));
        }
        return predict(us, is);
    }

    /** True when the user rated the item in the training data. O(log n_u). */
    public boolean rated(int user, int item) {
        return java.util.Arrays.binarySearch(seenItems, seenPtr[user], seenPtr[user + 1], item) >= 0;
    }

    /** Number of training ratings of a user index. */
    public int ratingCount(int user) {
        return seenPtr[user + 1] - seenPtr[user];
    }

    /**
     * The k items with the highest predicted score for a user, best first (ties: lower item
     * index first). O(d2·rank + d2·log k).
     *
     * @param excludeSeen leave out items the user rated in training
     * @throws IllegalArgumentException for an unknown user or k &lt; 1
     */
    public List<Recommendation> recommend(String user, int k, boolean excludeSeen) {
        if (k < 1) {
            throw new IllegalArgumentException("the number of recommendations must be ≥ 1, got " + k);
        }
        int u = userIndex(user);
        k = Math.min(k, items.size()); // no list is longer than the items: a huge k must not size the heap
        double[] score = new double[items.size()];
        for (int i = 0; i < score.length; i++) {
            score[i] = score(u, i);
        }
        boolean[] skip = new boolean[score.length];
        if (excludeSeen) {
            for (int e = seenPtr[u]; e < seenPtr[u + 1]; e++) {
                skip[seenItems[e]] = true;
            }
        }
        // a min-heap of the best k so far: worst on top
        java.util.PriorityQueue<Integer> heap = new java.util.PriorityQueue<>(k + 1, (a, b) -> {
            int c = Double.compare(score[a], score[b]);
            return c != 0 ? c : Integer.compare(b, a);
        });
        for (int i = 0; i < score.length; i++) {
            if (skip[i]) {
                continue;
            }
            heap.add(i);
            if (heap.size() > k) {
                heap.poll();
            }
        }
        List<Recommendation> out = new ArrayList<>(heap.size());
        while (!heap.isEmpty()) {
            int i = heap.poll();
            out.add(new Recommendation(items.id(i), i, score[i], clip(score[i])));
        }
        Collections.reverse(out);
        return out;
    }

    /**
     * RMSE and MAE of the predictions on a set of ratings (given by raw ids); ratings of unknown
     * users or items are counted in the result, not scored. O(n·k).
     */
    public RatingMetrics evaluate(Ratings r) {
        Ratings.Aligned a = r.alignTo(users, items);
        Ratings known = a.known();
        double se = 0.0;
        double ae = 0.0;
        for (int k = 0; k < known.size(); k++) {
            double e = predict(known.userIndex(k), known.itemIndex(k)) - known.rating(k);
            se += e * e;
            ae += Math.abs(e);
        }
        int n = known.size();
        return new RatingMetrics(n, n == 0 ? Double.NaN : Math.sqrt(se / n), n == 0 ? Double.NaN : ae / n,
                a.unknownUserOnly(), a.unknownItemOnly(), a.unknownBoth());
    }

    /** Number of training ratings of an item index. */
    public int itemRatingCount(int item) {
        return itemCounts[item];
    }

    /** True when the user index is known and had at least one training rating. */
    boolean warmUser(int u) {
        return u >= 0 && seenPtr[u + 1] > seenPtr[u];
    }

    /** True when the item index is known and had at least one training rating. */
    boolean warmItem(int i) {
        return i >= 0 && itemCounts[i] > 0;
    }

    /**
     * The prediction for user and item indices (−1: unknown) under a cold-start strategy: the
     * model's prediction when both are warm, else the strategy's value ({@link ColdStart}; NaN
     * for {@link ColdStart#NAN} and {@link ColdStart#DROP}). O(k).
     */
    public double predict(int user, int item, ColdStart coldStart) {
        boolean wu = warmUser(user);
        boolean wi = warmItem(item);
        if (wu && wi) {
            return predict(user, item);
        }
        if (coldStart != ColdStart.BASELINE) {
            return Double.NaN;
        }
        double b = baseline.mean() + (wu ? baseline.userBiasAt(user) : 0.0) + (wi ? baseline.itemBiasAt(item) : 0.0);
        return clip(b);
    }

    /** The prediction by raw ids under a cold-start strategy (unknown ids are cold, not errors). O(k). */
    public double predict(String user, String item, ColdStart coldStart) {
        return predict(users.indexOf(user), items.indexOf(item), coldStart);
    }

    /**
     * RMSE and MAE on a set of ratings (raw ids) under a cold-start strategy, with the number of
     * cold pairs it handled ({@link RatingEvaluation}). O(n·k).
     */
    public RatingEvaluation evaluate(Ratings r, ColdStart coldStart) {
        int[] um = new int[r.numUsers()];
        int[] im = new int[r.numItems()];
        for (int q = 0; q < um.length; q++) {
            um[q] = users.indexOf(r.users().id(q));
        }
        for (int q = 0; q < im.length; q++) {
            im[q] = items.indexOf(r.items().id(q));
        }
        double se = 0.0;
        double ae = 0.0;
        int scored = 0;
        int cu = 0;
        int ci = 0;
        int cb = 0;
        for (int q = 0; q < r.size(); q++) {
            int u = um[r.userIndex(q)];
            int i = im[r.itemIndex(q)];
            boolean wu = warmUser(u);
            boolean wi = warmItem(i);
            if (!wu && !wi) {
                cb++;
            } else if (!wu) {
                cu++;
            } else if (!wi) {
                ci++;
            }
            if (!(wu && wi) && coldStart == ColdStart.DROP) {
                continue;
            }
            double e = predict(u, i, coldStart) - r.rating(q);
            se += e * e;
            ae += Math.abs(e);
            scored++;
        }
        return new RatingEvaluation(coldStart, r.size(), scored, scored == 0 ? Double.NaN : Math.sqrt(se / scored),
                scored == 0 ? Double.NaN : ae / scored, cu, ci, cb);
    }

    /**
     * The top-k unseen items of every user, best first, in user order ({@link BatchTopN}: blocked
     * matrix products over user blocks on cdln's threads, a bounded heap per user, memory
     * independent of users × items). For many users prefer the streaming
     * {@link #recommendForAll(int, boolean, java.util.function.Consumer)}. O(d1·d2·k).
     */
    public List<UserRecommendations> recommendForAll(int k) {
        List<UserRecommendations> out = new ArrayList<>(users.size());
        recommendForAll(k, true, out::add);
        return out;
    }

    /**
     * Streams the top-k items of every user, in user order, to {@code sink} (called on the calling
     * thread). Memory: O(threads·block·d2) for scores, independent of the number of users.
     *
     * @param excludeSeen leave out the items each user rated in training
     */
    public void recommendForAll(int k, boolean excludeSeen, java.util.function.Consumer<UserRecommendations> sink) {
        int[] all = new int[users.size()];
        for (int u = 0; u < all.length; u++) {
            all[u] = u;
        }
        recommendFor(all, k, excludeSeen, sink);
    }

    /**
     * Streams the top-k items of the given user indices, in the given order, to {@code sink}.
     * Lists are those {@link #recommend} returns (same order, same ties: lower item index first).
     *
     * @throws IllegalArgumentException for k &lt; 1 or an index outside [0, d1)
     */
    public void recommendFor(int[] userIndices, int k, boolean excludeSeen,
                             java.util.function.Consumer<UserRecommendations> sink) {
        new BatchTopN(this, k, excludeSeen).run(userIndices, sink);
    }

    /**
     * A new model that also scores a user who was not in the fit (or re-scores a known one from
     * new ratings), without refitting: the user's bias and factor row come from a ridge
     * least-squares solve against the fixed item side ({@link FoldIn}). The other users'
     * predictions are unchanged.
     *
     * @param user    the raw id (appended to the users when new, replaced when known)
     * @param items   the raw ids of the items the user rated (unknown items are ignored)
     * @param ratings the ratings, one per item
     * @param lambda  the ridge λ ≥ 0 of the factor solve ({@link FoldIn#autoLambda} chooses one)
     */
    public CompletionModel foldIn(String user, String[] items, double[] ratings, double lambda) {
        return FoldIn.apply(this, user, items, ratings, lambda);
    }

    /** {@link #foldIn(String, String[], double[], double)} with the automatic λ ({@link FoldIn#autoLambda}). */
    public CompletionModel foldIn(String user, String[] items, double[] ratings) {
        return foldIn(user, items, ratings, FoldIn.autoLambda(this));
    }

    double[] userRowsLive() {
        return userRows;
    }

    double clipValue(double s) {
        return clip(s);
    }

    /** The index of a raw user id. */
    public int userIndex(String user) {
        int u = users.indexOf(user);
        if (u < 0) {
            throw new IllegalArgumentException("unknown user '" + user + "': the model knows " + users.size()
                    + " users (ids " + users.id(0) + " … " + users.id(users.size() - 1) + ")");
        }
        return u;
    }

    /** The index of a raw item id. */
    public int itemIndex(String item) {
        int i = items.indexOf(item);
        if (i < 0) {
            throw new IllegalArgumentException("unknown item '" + item + "': the model knows " + items.size()
                    + " items (ids " + items.id(0) + " … " + items.id(items.size() - 1) + ")");
        }
        return i;
    }

    /**
     * Writes the model to a file ({@link ModelFile} format; written to a temporary file first and
     * moved into place, so a failed save never leaves half a model).
     */
    public void save(Path file) {
        ModelFile.write(this, file);
    }

    /**
     * Reads a model written by {@link #save}; its predictions are identical to the saved model's.
     *
     * @throws IllegalArgumentException when the file is not a cdln model, has an unsupported
     *                                  version or is corrupt
     */
    public static CompletionModel load(Path file) {
        return ModelFile.read(file);
    }

    /**
     * The same model with more provenance entries (added after the existing ones, replacing equal
     * keys), e.g. the path of the ratings file a command read. The predictions are unchanged.
     */
    public CompletionModel withProvenance(Map<String, String> extra) {
        Map<String, String> m = new LinkedHashMap<>(settings);
        m.putAll(extra);
        return withSettings(m);
    }

    /**
     * The same model whose "seen" items are those of the given ratings (same mappings), e.g. all
     * the ratings a fit was given, validation share included, so that recommendations never
     * return an item the user already rated.
     */
    CompletionModel withSeenFrom(Ratings ratings) {
        int[][] seen = seenIndex(ratings);
        return new CompletionModel(kind, users, items, baseline, userFactors, itemFactors, clipMin, clipMax, seen[0],
                seen[1], record, trajectory);
    }

    /** The same model with other settings/provenance (the constructor copies the factors again: O(k·(d1 + d2))). */
    CompletionModel withSettings(Map<String, String> newSettings) {
        return new CompletionModel(kind, users, items, baseline, userFactors, itemFactors, clipMin, clipMax, seenPtr,
                seenItems, newSettings, trajectory);
    }

    int[] seenPointers() {
        return seenPtr;
    }

    int[] seenItemIndices() {
        return seenItems;
    }

    Matrix userFactorsLive() {
        return userFactors;
    }

    Matrix itemFactorsLive() {
        return itemFactors;
    }

    @Override
    public String toString() {
        return "CompletionModel[" + kind + ", " + users.size() + " users × " + items.size() + " items, rank " + rank()
                + ", centering " + baseline.centering().name().toLowerCase() + "]";
    }
}
