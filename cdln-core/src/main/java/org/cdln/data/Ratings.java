package org.cdln.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cdln.linalg.SparseMatrix;

/**
 * An immutable set of ratings r(u, i): rating k is given by user index {@link #userIndex(int)},
 * item index {@link #itemIndex(int)} and value {@link #rating(int)}, with optional Unix
 * timestamps. The {@link IdMapping}s translate between raw ids and indices; the rating matrix Y
 * is {@code numUsers() × numItems()} with one stored entry per rating (users are rows, items are
 * columns). A (user, item) pair occurs at most once.
 *
 * <p>Storage is columnar (three arrays of length n), memory O(n + users + items). Splits and
 * subsets share the mappings of the set they come from, so that their indices agree.
 */
public final class Ratings {
    private final IdMapping users;
    private final IdMapping items;
    private final int[] user;
    private final int[] item;
    private final double[] value;
    private final long[] timestamp;
    private final String source;

    private Ratings(IdMapping users, IdMapping items, int[] user, int[] item, double[] value, long[] timestamp,
                    String source) {
        this.users = users;
        this.items = items;
        this.user = user;
        this.item = item;
        this.value = value;
        this.timestamp = timestamp;
        this.source = source;
    }

    /**
     * Ratings from index arrays (copied).
     *
     * @param timestamps Unix seconds per rating, or null when unknown
     * @param source     where the ratings come from (a file name, "u1.base", …), for messages and provenance
     * @throws IllegalArgumentException on arrays of different lengths, an index outside a mapping,
     *                                  a non-finite rating or a repeated (user, item) pair
     */
    public static Ratings of(IdMapping users, IdMapping items, int[] userIndex, int[] itemIndex, double[] values,
                             long[] timestamps, String source) {
        int n = values.length;
        if (userIndex.length != n || itemIndex.length != n || (timestamps != null && timestamps.length != n)) {
            throw new IllegalArgumentException("rating arrays differ in length: users " + userIndex.length + ", items "
                    + itemIndex.length + ", values " + n + (timestamps != null ? ", timestamps " + timestamps.length : ""));
        }
        Map<Long, Integer> seen = new HashMap<>(n * 2);
        for (int k = 0; k < n; k++) {
            if (userIndex[k] < 0 || userIndex[k] >= users.size()) {
                throw new IllegalArgumentException("rating " + k + " has user index " + userIndex[k] + ", outside [0, "
                        + users.size() + ")");
            }
            if (itemIndex[k] < 0 || itemIndex[k] >= items.size()) {
                throw new IllegalArgumentException("rating " + k + " has item index " + itemIndex[k] + ", outside [0, "
                        + items.size() + ")");
            }
            if (!Double.isFinite(values[k])) {
                throw new IllegalArgumentException("rating " + k + " of user " + users.id(userIndex[k]) + " is "
                        + values[k] + "; ratings must be finite numbers");
            }
            Integer prev = seen.put(pairKey(userIndex[k], itemIndex[k]), k);
            if (prev != null) {
                throw new IllegalArgumentException("user " + users.id(userIndex[k]) + " rated item "
                        + items.id(itemIndex[k]) + " twice (ratings " + prev + " and " + k + "); keep one");
            }
        }
        return new Ratings(users, items, userIndex.clone(), itemIndex.clone(), values.clone(),
                timestamps == null ? null : timestamps.clone(), source);
    }

    /** A builder that takes raw ids; later ratings of the same (user, item) pair replace earlier ones. */
    public static Builder builder(String source) {
        return new Builder(source);
    }

    static long pairKey(int u, int i) {
        return ((long) u << 32) | (i & 0xffffffffL);
    }

    /** n, the number of ratings. */
    public int size() {
        return value.length;
    }

    /** The user index of rating k. */
    public int userIndex(int k) {
        return user[k];
    }

    /** The item index of rating k. */
    public int itemIndex(int k) {
        return item[k];
    }

    /** The value of rating k. */
    public double rating(int k) {
        return value[k];
    }

    /** True when every rating carries a timestamp. */
    public boolean hasTimestamps() {
        return timestamp != null;
    }

    /**
     * The timestamp of rating k (Unix seconds).
     *
     * @throws IllegalStateException when the ratings have no timestamps
     */
    public long timestamp(int k) {
        if (timestamp == null) {
            throw new IllegalStateException("these ratings (" + source + ") carry no timestamps");
        }
        return timestamp[k];
    }

    /** The user ids ↔ row indices. */
    public IdMapping users() {
        return users;
    }

    /** The item ids ↔ column indices. */
    public IdMapping items() {
        return items;
    }

    /** d1, the number of users of the mapping (some may have no rating in this set). */
    public int numUsers() {
        return users.size();
    }

    /** d2, the number of items of the mapping. */
    public int numItems() {
        return items.size();
    }

    /** Where the ratings come from. */
    public String source() {
        return source;
    }

    /** The smallest rating, NaN when empty. O(n). */
    public double minRating() {
        return value.length == 0 ? Double.NaN : Arrays.stream(value).min().getAsDouble();
    }

    /** The largest rating, NaN when empty. O(n). */
    public double maxRating() {
        return value.length == 0 ? Double.NaN : Arrays.stream(value).max().getAsDouble();
    }

    /** The mean rating, NaN when empty. O(n). */
    public double meanRating() {
        return value.length == 0 ? Double.NaN : Arrays.stream(value).sum() / value.length;
    }

    /** Number of ratings per user index (length d1). O(n). */
    public int[] countsPerUser() {
        int[] c = new int[users.size()];
        for (int u : user) {
            c[u]++;
        }
        return c;
    }

    /** Number of ratings per item index (length d2). O(n). */
    public int[] countsPerItem() {
        int[] c = new int[items.size()];
        for (int i : item) {
            c[i]++;
        }
        return c;
    }

    /** The ratings at the given positions, in that order, with the same mappings. O(|positions|). */
    public Ratings subset(int[] positions, String newSource) {
        int m = positions.length;
        int[] u = new int[m];
        int[] i = new int[m];
        double[] v = new double[m];
        long[] t = timestamp == null ? null : new long[m];
        for (int k = 0; k < m; k++) {
            int p = positions[k];
            u[k] = user[p];
            i[k] = item[p];
            v[k] = value[p];
            if (t != null) {
                t[k] = timestamp[p];
            }
        }
        return of(users, items, u, i, v, t, newSource);
    }

    /**
     * The same ratings indexed by other mappings, which must contain every id used here (e.g.
     * the union of a training and a test file's ids).
     *
     * @throws IllegalArgumentException naming the first id the new mapping lacks
     */
    public Ratings remap(IdMapping newUsers, IdMapping newItems) {
        int n = size();
        int[] u = new int[n];
        int[] i = new int[n];
        int[] um = translation(users, newUsers, "user");
        int[] im = translation(items, newItems, "item");
        for (int k = 0; k < n; k++) {
            u[k] = um[user[k]];
            i[k] = im[item[k]];
        }
        return new Ratings(newUsers, newItems, u, i, value.clone(), timestamp == null ? null : timestamp.clone(), source);
    }

    private static int[] translation(IdMapping from, IdMapping to, String what) {
        int[] t = new int[from.size()];
        for (int k = 0; k < t.length; k++) {
            t[k] = to.indexOf(from.id(k));
            if (t[k] < 0) {
                throw new IllegalArgumentException(what + " '" + from.id(k) + "' is not in the target mapping of "
                        + to.size() + " " + what + "s");
            }
        }
        return t;
    }

    /**
     * The ratings whose user and item are both known to the given mappings, re-indexed by them,
     * with counts of the ratings that were not: nothing is dropped silently.
     */
    public Aligned alignTo(IdMapping knownUsers, IdMapping knownItems) {
        int[] um = new int[users.size()];
        int[] im = new int[items.size()];
        for (int k = 0; k < um.length; k++) {
            um[k] = knownUsers.indexOf(users.id(k));
        }
        for (int k = 0; k < im.length; k++) {
            im[k] = knownItems.indexOf(items.id(k));
        }
        List<Integer> keep = new ArrayList<>();
        int unknownUser = 0;
        int unknownItem = 0;
        int unknownBoth = 0;
        for (int k = 0; k < size(); k++) {
            boolean uu = um[user[k]] < 0;
            boolean ui = im[item[k]] < 0;
            if (uu && ui) {
                unknownBoth++;
            } else if (uu) {
                unknownUser++;
            } else if (ui) {
                unknownItem++;
            } else {
                keep.add(k);
            }
        }
        int m = keep.size();
        int[] u = new int[m];
        int[] i = new int[m];
        double[] v = new double[m];
        long[] t = timestamp == null ? null : new long[m];
        for (int k = 0; k < m; k++) {
            int p = keep.get(k);
            u[k] = um[user[p]];
            i[k] = im[item[p]];
            v[k] = value[p];
            if (t != null) {
                t[k] = timestamp[p];
            }
        }
        return new Aligned(new Ratings(knownUsers, knownItems, u, i, v, t, source), unknownUser, unknownItem,
                unknownBoth);
    }

    /**
     * The outcome of {@link #alignTo}.
     *
     * @param known            the ratings of known users on known items, indexed by the given mappings
     * @param unknownUserOnly  ratings whose user is unknown (item known)
     * @param unknownItemOnly  ratings whose item is unknown (user known)
     * @param unknownBoth      ratings whose user and item are both unknown
     */
    public record Aligned(Ratings known, int unknownUserOnly, int unknownItemOnly, int unknownBoth) {
        /** All ratings that could not be scored. */
        public int unknown() {
            return unknownUserOnly + unknownItemOnly + unknownBoth;
        }
    }

    /**
     * The d1×d2 sparse matrix with entry (u, i) = values[k] for rating k, e.g. the ratings
     * themselves or their residuals after centering. O(n log n).
     *
     * @param values one value per rating (length n)
     */
    public SparseMatrix toSparse(double[] values) {
        if (values.length != size()) {
            throw new IllegalArgumentException(values.length + " values given for " + size() + " ratings");
        }
        return SparseMatrix.fromCoordinates(users.size(), items.size(), user, item, values);
    }

    /** The ratings as a d1×d2 sparse matrix. */
    public SparseMatrix toSparse() {
        return toSparse(value);
    }

    @Override
    public String toString() {
        return "Ratings[" + source + ": " + size() + " ratings, " + users.size() + " users × " + items.size() + " items]";
    }

    /** Collects ratings by raw id; the mappings are {@link IdMapping#sorted} over the ids seen. */
    public static final class Builder {
        private final String source;
        private final List<String> userIds = new ArrayList<>();
        private final List<String> itemIds = new ArrayList<>();
        private final Map<String, Integer> userFirst = new HashMap<>();
        private final Map<String, Integer> itemFirst = new HashMap<>();
        private final Map<Long, Integer> position = new HashMap<>();
        private int[] u = new int[16];
        private int[] i = new int[16];
        private double[] v = new double[16];
        private long[] t = new long[16];
        private boolean allTimestamps = true;
        private int n;

        Builder(String source) {
            this.source = source;
        }

        /** Adds a rating without timestamp; returns the position it replaced, or −1. */
        public int add(String userId, String itemId, double rating) {
            allTimestamps = false;
            return put(userId, itemId, rating, 0L);
        }

        /** Adds a rating with a timestamp; returns the position it replaced, or −1. */
        public int add(String userId, String itemId, double rating, long unixSeconds) {
            return put(userId, itemId, rating, unixSeconds);
        }

        /** The position (order of first insertion) at which this pair is stored, or −1. */
        public int positionOf(String userId, String itemId) {
            Integer a = userFirst.get(userId);
            Integer b = itemFirst.get(itemId);
            if (a == null || b == null) {
                return -1;
            }
            Integer p = position.get(pairKey(a, b));
            return p == null ? -1 : p;
        }

        /** The most ratings one data set holds (the largest Java array). */
        static final int MAX_RATINGS = Integer.MAX_VALUE - 8;

        /**
         * The next capacity after {@code n}: doubled, without overflowing the int past
         * {@link #MAX_RATINGS}.
         *
         * @throws IllegalArgumentException when {@code n} is already the most a data set holds
         */
        static int grownCapacity(int n) {
            if (n >= MAX_RATINGS) {
                throw new IllegalArgumentException("more than " + MAX_RATINGS + " ratings, the most one data set holds; "
                        + "split the ratings, or sample them");
            }
            return (int) Math.min(MAX_RATINGS, 2L * n);
        }

        private int put(String userId, String itemId, double rating, long ts) {
            if (!Double.isFinite(rating)) {
                throw new IllegalArgumentException("rating of user " + userId + " for item " + itemId + " is " + rating
                        + "; ratings must be finite numbers");
            }
            int a = userFirst.computeIfAbsent(userId, k -> {
                userIds.add(k);
                return userIds.size() - 1;
            });
            int b = itemFirst.computeIfAbsent(itemId, k -> {
                itemIds.add(k);
                return itemIds.size() - 1;
            });
            Integer prev = position.get(pairKey(a, b));
            if (prev != null) {
                v[prev] = rating;
                t[prev] = ts;
                return prev;
            }
            if (n == v.length) {
                int cap = grownCapacity(n);
                u = Arrays.copyOf(u, cap);
                i = Arrays.copyOf(i, cap);
                v = Arrays.copyOf(v, cap);
                t = Arrays.copyOf(t, cap);
            }
            u[n] = a;
            i[n] = b;
            v[n] = rating;
            t[n] = ts;
            position.put(pairKey(a, b), n);
            n++;
            return -1;
        }

        /** Number of distinct (user, item) pairs so far. */
        public int size() {
            return n;
        }

        /** The ratings, in order of first insertion, indexed by sorted id mappings. */
        public Ratings build() {
            IdMapping users = IdMapping.sorted(userIds);
            IdMapping items = IdMapping.sorted(itemIds);
            int[] um = new int[userIds.size()];
            int[] im = new int[itemIds.size()];
            for (int k = 0; k < um.length; k++) {
                um[k] = users.indexOf(userIds.get(k));
            }
            for (int k = 0; k < im.length; k++) {
                im[k] = items.indexOf(itemIds.get(k));
            }
            int[] uu = new int[n];
            int[] ii = new int[n];
            for (int k = 0; k < n; k++) {
                uu[k] = um[u[k]];
                ii[k] = im[i[k]];
            }
            return new Ratings(users, items, uu, ii, Arrays.copyOf(v, n), allTimestamps ? Arrays.copyOf(t, n) : null,
                    source);
        }
    }
}
