package org.cdln.recommend;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Parallel;

/**
 * Top-k recommendations for many users at once, for {@link CompletionModel#recommendFor}.
 *
 * <p>Users are taken in blocks of B: the block's scores S = Vᵀ·U_Bᵀ (d2×B, one GEMM of
 * d2·k·B multiply-adds) plus μ + b_i, then one pass per user over its column keeps the k best
 * unseen items in a bounded min-heap (worst on top; ties go to the lower item index, as in
 * {@link CompletionModel#recommend}). Seen items are skipped by setting their scores to NaN
 * before the pass, which then only compares each score with the heap's worst. Blocks are spread over cdln's threads ({@link Parallel}), each
 * with its own score buffer of at most {@link #SCORE_BYTES_PER_THREAD}; results are handed to the
 * sink in the callers' order, a group of blocks at a time. Cost O(n·d2·k + n·d2·log k) time,
 * O(threads·B·d2 + threads·B·k) memory for n users: independent of n·d2.
 */
final class BatchTopN {
    /** Bytes of scores one thread holds at a time (16 MiB). */
    static final long SCORE_BYTES_PER_THREAD = 16L << 20;
    /** The largest user block. */
    static final int MAX_BLOCK = 256;
    /** Blocks per thread handed out between two deliveries to the sink. */
    static final int BLOCKS_PER_ROUND = 4;

    private final CompletionModel m;
    private final int k;
    private final boolean excludeSeen;
    private final int d2;
    private final int rank;
    private final int block;
    private final double[] itemOffset;

    BatchTopN(CompletionModel m, int k, boolean excludeSeen) {
        this(m, k, excludeSeen, 0);
    }

    /** With a given user block size (0: from {@link #SCORE_BYTES_PER_THREAD}), for tests of the blocking. */
    BatchTopN(CompletionModel m, int k, boolean excludeSeen, int blockSize) {
        if (k < 1) {
            throw new IllegalArgumentException("the number of recommendations must be ≥ 1, got " + k);
        }
        this.m = m;
        // no list is longer than the items: a huge k must not size the buffers
        this.k = Math.max(1, Math.min(k, m.items().size()));
        this.excludeSeen = excludeSeen;
        this.d2 = m.items().size();
        this.rank = m.rank();
        this.block = blockSize > 0 ? blockSize
                : (int) Math.max(1, Math.min(MAX_BLOCK, SCORE_BYTES_PER_THREAD / (8L * Math.max(1, d2))));
        RatingBaseline b = m.baseline();
        this.itemOffset = new double[d2];
        for (int i = 0; i < d2; i++) {
            itemOffset[i] = b.mean() + b.itemBiasAt(i);
        }
    }

    void run(int[] userIndices, Consumer<UserRecommendations> sink) {
        int d1 = m.users().size();
        for (int u : userIndices) {
            if (u < 0 || u >= d1) {
                throw new IllegalArgumentException("user index " + u + " is outside [0, " + d1 + ")");
            }
        }
        int n = userIndices.length;
        if (n == 0) {
            return;
        }
        int threads = Math.max(1, Math.min(Parallel.threads(), (n + block - 1) / block));
        int round = threads * block * BLOCKS_PER_ROUND;
        Workspace[] ws = new Workspace[threads];
        for (int t = 0; t < threads; t++) {
            ws[t] = new Workspace();
        }
        int[] topItem = new int[Math.min(round, n) * k];
        double[] topScore = new double[topItem.length];
        int[] count = new int[Math.min(round, n)];
        LinearAlgebra la = LinearAlgebra.instance().withSplitting(1, Double.POSITIVE_INFINITY);
        for (int start = 0; start < n; start += round) {
            int len = Math.min(round, n - start);
            int s0 = start;
            int parts = Math.min(threads, (len + block - 1) / block);
            Parallel.forParts(parts, len, (part, from, to) -> {
                for (int b0 = from; b0 < to; b0 += block) {
                    ws[part].scoreBlock(la, userIndices, s0 + b0, Math.min(block, to - b0), b0, topItem, topScore, count);
                }
            });
            for (int j = 0; j < len; j++) {
                int u = userIndices[start + j];
                double bu = m.baseline().userBiasAt(u);
                List<Recommendation> list = new ArrayList<>(count[j]);
                for (int q = 0; q < count[j]; q++) {
                    int i = topItem[j * k + q];
                    double s = topScore[j * k + q] + bu;
                    list.add(new Recommendation(m.items().id(i), i, s, m.clipValue(s)));
                }
                sink.accept(new UserRecommendations(m.users().id(u), u, list));
            }
        }
    }

    /** One thread's buffers: U_Bᵀ (k×B), S (d2×B) and the heap. */
    private final class Workspace {
        private final Matrix ub = new Matrix(rank, block);
        private final Matrix scores = new Matrix(d2, block);
        private final double[] heapScore = new double[k];
        private final int[] heapItem = new int[k];

        /** Scores users userIndices[first … first + b) and writes their lists at rows out … out + b. */
        void scoreBlock(LinearAlgebra la, int[] userIndices, int first, int b, int out, int[] topItem,
                        double[] topScore, int[] count) {
            double[] rows = m.userRowsLive();
            double[] ud = ub.data();
            java.util.Arrays.fill(ud, 0.0);
            for (int j = 0; j < b; j++) {
                System.arraycopy(rows, userIndices[first + j] * rank, ud, j * rank, rank);
            }
            la.gemm(true, false, 1.0, m.itemFactorsLive(), ub, 0.0, scores);
            double[] sd = scores.data();
            int[] ptr = m.seenPointers();
            int[] seen = m.seenItemIndices();
            for (int j = 0; j < b; j++) {
                int u = userIndices[first + j];
                int off = j * d2;
                if (excludeSeen) {
                    for (int e = ptr[u]; e < ptr[u + 1]; e++) {
                        sd[off + seen[e]] = Double.NaN;      // NaN + offset stays NaN and never enters the heap
                    }
                }
                int size = 0;
                int i = 0;
                for (; i < d2 && size < k; i++) {
                    double s = sd[off + i] + itemOffset[i];
                    if (s == s) {
                        siftUp(size++, s, i);
                    }
                }
                double top = heapScore[0];
                for (; i < d2; i++) {
                    double s = sd[off + i] + itemOffset[i];
                    if (s > top) {                            // false for NaN, and for ties (a later index loses)
                        replaceTop(s, i);
                        top = heapScore[0];
                    }
                }
                // heap → best first: repeatedly take the worst into the last free slot
                int base = (out + j) * k;
                count[out + j] = size;
                for (int q = size - 1; q >= 0; q--) {
                    topScore[base + q] = heapScore[0];
                    topItem[base + q] = heapItem[0];
                    int last = q;
                    double ls = heapScore[last];
                    int li = heapItem[last];
                    if (last > 0) {
                        siftDown(ls, li, last);
                    }
                }
            }
        }

        /** True when (s1, i1) ranks below (s2, i2): lower score, or equal score and higher index. */
        private boolean worse(double s1, int i1, double s2, int i2) {
            return s1 < s2 || (s1 == s2 && i1 > i2);
        }

        private void siftUp(int pos, double s, int i) {
            while (pos > 0) {
                int parent = (pos - 1) >>> 1;
                if (!worse(s, i, heapScore[parent], heapItem[parent])) {
                    break;
                }
                heapScore[pos] = heapScore[parent];
                heapItem[pos] = heapItem[parent];
                pos = parent;
            }
            heapScore[pos] = s;
            heapItem[pos] = i;
        }

        private void replaceTop(double s, int i) {
            siftDown(s, i, k);
        }

        /** Places (s, i) at the root of a heap of the given size and sifts it down. */
        private void siftDown(double s, int i, int size) {
            int pos = 0;
            while (true) {
                int c = 2 * pos + 1;
                if (c >= size) {
                    break;
                }
                if (c + 1 < size && worse(heapScore[c + 1], heapItem[c + 1], heapScore[c], heapItem[c])) {
                    c++;
                }
                if (!worse(heapScore[c], heapItem[c], s, i)) {
                    break;
                }
                heapScore[pos] = heapScore[c];
                heapItem[pos] = heapItem[c];
                pos = c;
            }
            heapScore[pos] = s;
            heapItem[pos] = i;
        }
    }
}
