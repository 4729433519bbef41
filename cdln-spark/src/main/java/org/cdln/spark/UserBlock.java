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

    /** Builds a block from its ratings (any order). O(n log n). */
    static UserBlock of(int block, Iterable<IndexedRating> ratings) {
        List<IndexedRating> all = new ArrayList<>();
        for (IndexedRating r : ratings) {
            all.add(r);
        }
        all.sort((a, b) -> a.user() != b.user() ? Integer.compare(a.user(), b.user())
                : Integer.compare(a.item(), b.item()));
        int[] users = all.stream().mapToInt(IndexedRating::user).distinct().toArray();
        int[] items = all.stream().mapToInt(IndexedRating::item).distinct().sorted().toArray();
        int nTrain = 0;
        for (IndexedRating r : all) {
            if (!r.validation()) {
                nTrain++;
            }
        }
        int[] tp = new int[users.length + 1];
        int[] ti = new int[nTrain];
        double[] tr = new double[nTrain];
        int[] vp = new int[users.length + 1];
        int[] vi = new int[all.size() - nTrain];
        double[] vr = new double[vi.length];
        int row = -1;
        int prevUser = Integer.MIN_VALUE;
        int t = 0;
        int v = 0;
        for (IndexedRating r : all) {
            if (r.user() != prevUser) {
                row++;
                prevUser = r.user();
                tp[row] = t;
                vp[row] = v;
            }
            int local = Arrays.binarySearch(items, r.item());
            if (r.validation()) {
                vi[v] = local;
                vr[v++] = r.rating();
            } else {
                ti[t] = local;
                tr[t++] = r.rating();
            }
        }
        tp[users.length] = t;
        vp[users.length] = v;
        return new UserBlock(block, users, items, tp, ti, tr, null, vp, vi, vr, null, null);
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
