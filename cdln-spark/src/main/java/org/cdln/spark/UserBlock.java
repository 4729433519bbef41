package org.cdln.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ratings of one block of users, stored once as CSR and kept persisted for a whole fit.
 * Users of block b are the user indices u with u mod B = b, sorted; their training ratings and
 * their validation ratings are two CSR arrays over the local user rows, whose item references are
 * local positions in {@link #items}, the sorted distinct items the block touches (so a step needs
 * only those items' rows: the broadcast path gathers them, the out-block path receives them).
 * Memory O(n_b + users_b + items_b).
 */
final class UserBlock implements Serializable {
    private static final long serialVersionUID = 1L;

    final int block;
    /** Global user indices of the local rows, sorted. */
    final int[] users;
    /** Global item indices the block's ratings touch, sorted. */
    final int[] items;
    final int[] trainPtr;
    final int[] trainItem;
    final double[] trainRating;
    /** Residuals r − b(u, i) after centering (filled by {@link #withResiduals}). */
    final double[] trainResidual;
    final int[] valPtr;
    final int[] valItem;
    final double[] valRating;
    /** b(u, i) of every validation rating (filled by {@link #withResiduals}). */
    final double[] valBaseline;
    /** Final user biases b_u of the local rows (filled by {@link #withResiduals}). */
    final double[] userBias;

    private UserBlock(int block, int[] users, int[] items, int[] trainPtr, int[] trainItem, double[] trainRating,
                      double[] trainResidual, int[] valPtr, int[] valItem, double[] valRating, double[] valBaseline,
                      double[] userBias) {
        this.block = block;
        this.users = users;
        this.items = items;
        this.trainPtr = trainPtr;
        this.trainItem = trainItem;
        this.trainRating = trainRating;
        this.trainResidual = trainResidual;
        this.valPtr = valPtr;
        this.valItem = valItem;
        this.valRating = valRating;
        this.valBaseline = valBaseline;
        this.userBias = userBias;
    }

    /**
     * A packed run of ratings of one block (primitive arrays, so that the shuffle moves arrays rather
     * than one object per rating): 17 bytes per rating.
     */
    static final class Chunk implements Serializable {
        private static final long serialVersionUID = 1L;
        int size;
        int[] user;
        int[] item;
        double[] rating;
        boolean[] validation;

        Chunk(int capacity) {
            user = new int[capacity];
            item = new int[capacity];
            rating = new double[capacity];
            validation = new boolean[capacity];
        }

        void add(int u, int i, double r, boolean v) {
            if (size == user.length) {
                int n = Math.max(16, 2 * size);
                user = Arrays.copyOf(user, n);
                item = Arrays.copyOf(item, n);
                rating = Arrays.copyOf(rating, n);
                validation = Arrays.copyOf(validation, n);
            }
            user[size] = u;
            item[size] = i;
            rating[size] = r;
            validation[size++] = v;
        }

        boolean full(int limit) {
            return size >= limit;
        }

        /** The same ratings in arrays of exactly {@code size} (what is serialised). */
        Chunk trimmed() {
            Chunk c = new Chunk(0);
            c.size = size;
            c.user = Arrays.copyOf(user, size);
            c.item = Arrays.copyOf(item, size);
            c.rating = Arrays.copyOf(rating, size);
            c.validation = Arrays.copyOf(validation, size);
            return c;
        }
    }

    /**
     * Builds block {@code block} of {@code nb} (users u ≡ block mod nb) from chunks of its ratings, in
     * primitive arrays only: a counting sort by user, then each user's ratings sorted by item (stable,
     * so duplicates keep their order). Memory about 40 bytes per rating while building, O(n log n_u).
     */
    static UserBlock build(int block, int nb, int d2, java.util.Iterator<Chunk> chunks) {
        List<Chunk> all = new ArrayList<>();
        long total = 0;
        int maxSlot = -1;
        while (chunks.hasNext()) {
            Chunk c = chunks.next();
            all.add(c);
            total += c.size;
            for (int e = 0; e < c.size; e++) {
                maxSlot = Math.max(maxSlot, c.user[e] / nb);
            }
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("user block " + block + " holds " + total + " ratings, more than one "
                    + "array can; raise numBlocks");
        }
        int n = (int) total;
        int slots = maxSlot + 1;
        int[] trainPerSlot = new int[slots];
        int[] valPerSlot = new int[slots];
        boolean[] seenItem = new boolean[d2];
        for (Chunk c : all) {
            for (int e = 0; e < c.size; e++) {
                int s = c.user[e] / nb;
                if (c.validation[e]) {
                    valPerSlot[s]++;
                } else {
                    trainPerSlot[s]++;
                }
                seenItem[c.item[e]] = true;
            }
        }
        int rows = 0;
        for (int s = 0; s < slots; s++) {
            if (trainPerSlot[s] + valPerSlot[s] > 0) {
                rows++;
            }
        }
        int[] users = new int[rows];
        int[] rowOfSlot = new int[slots];
        int[] tp = new int[rows + 1];
        int[] vp = new int[rows + 1];
        int row = 0;
        for (int s = 0; s < slots; s++) {
            if (trainPerSlot[s] + valPerSlot[s] > 0) {
                users[row] = s * nb + Math.floorMod(block, nb);
                rowOfSlot[s] = row;
                tp[row + 1] = tp[row] + trainPerSlot[s];
                vp[row + 1] = vp[row] + valPerSlot[s];
                row++;
            }
        }
        trainPerSlot = null;
        valPerSlot = null;
        int nItems = 0;
        for (boolean b : seenItem) {
            if (b) {
                nItems++;
            }
        }
        int[] items = new int[nItems];
        int[] localOf = new int[d2];
        for (int i = 0, q = 0; i < d2; i++) {
            if (seenItem[i]) {
                localOf[i] = q;
                items[q++] = i;
            }
        }
        seenItem = null;
        int nTrain = tp[rows];
        int nVal = vp[rows];
        int[] ti = new int[nTrain];
        double[] tr = new double[nTrain];
        int[] vi = new int[nVal];
        double[] vr = new double[nVal];
        int[] tNext = Arrays.copyOf(tp, rows);
        int[] vNext = Arrays.copyOf(vp, rows);
        for (int ci = 0; ci < all.size(); ci++) {
            Chunk c = all.get(ci);
            for (int e = 0; e < c.size; e++) {
                int q = rowOfSlot[c.user[e] / nb];
                if (c.validation[e]) {
                    int at = vNext[q]++;
                    vi[at] = localOf[c.item[e]];
                    vr[at] = c.rating[e];
                } else {
                    int at = tNext[q]++;
                    ti[at] = localOf[c.item[e]];
                    tr[at] = c.rating[e];
                }
            }
            all.set(ci, null);
        }
        sortRows(tp, ti, tr);
        sortRows(vp, vi, vr);
        if (n != nTrain + nVal) {
            throw new IllegalStateException("block " + block + ": " + n + " ratings, " + (nTrain + nVal) + " placed");
        }
        return new UserBlock(block, users, items, tp, ti, tr, null, vp, vi, vr, null, null);
    }

    /** Sorts each CSR row's entries by item, stably (items are < 2³¹, positions within a row too). */
    private static void sortRows(int[] ptr, int[] item, double[] value) {
        long[] key = new long[0];
        double[] tmp = new double[0];
        for (int q = 0; q + 1 < ptr.length; q++) {
            int from = ptr[q];
            int len = ptr[q + 1] - from;
            boolean sorted = true;
            for (int e = from + 1; e < from + len && sorted; e++) {
                sorted = item[e - 1] <= item[e];
            }
            if (sorted) {
                continue;
            }
            if (key.length < len) {
                key = new long[len];
                tmp = new double[len];
            }
            for (int e = 0; e < len; e++) {
                key[e] = ((long) item[from + e] << 32) | e;
            }
            Arrays.sort(key, 0, len);
            for (int e = 0; e < len; e++) {
                tmp[e] = value[from + (int) key[e]];
            }
            for (int e = 0; e < len; e++) {
                item[from + e] = (int) (key[e] >>> 32);
                value[from + e] = tmp[e];
            }
        }
    }

    /** The same block with residuals and baselines for μ, the final b_u (local rows) and b_i. */
    UserBlock withResiduals(double mu, double[] localUserBias, double[] itemBias) {
        double[] res = new double[trainRating.length];
        double[] base = new double[valRating.length];
        for (int q = 0; q < users.length; q++) {
            for (int e = trainPtr[q]; e < trainPtr[q + 1]; e++) {
                res[e] = trainRating[e] - (mu + localUserBias[q] + itemBias[items[trainItem[e]]]);
            }
            for (int e = valPtr[q]; e < valPtr[q + 1]; e++) {
                base[e] = mu + localUserBias[q] + itemBias[items[valItem[e]]];
            }
        }
        return new UserBlock(block, users, items, trainPtr, trainItem, trainRating, res, valPtr, valItem, valRating,
                base, localUserBias.clone());
    }

    int trainCount() {
        return trainRating.length;
    }
}
