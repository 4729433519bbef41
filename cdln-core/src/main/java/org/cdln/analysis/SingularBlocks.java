package org.cdln.analysis;

/**
 * The three blocks of singular-vector indices that docs/method.md §4 compares over time, for a matrix with
 * n = min(rows, cols) singular values and block size r: top = [0, r), middle = [r, n − r),
 * bottom = [n − r, n). When 2r &gt; n the middle block is empty and the bottom block is
 * [r, n) (what is left after the top).
 *
 * @param n      number of singular values
 * @param r      block size (the target rank)
 */
public record SingularBlocks(int n, int r) {

    public SingularBlocks {
        if (n < 0 || r < 1) {
            throw new IllegalArgumentException("blocks need n ≥ 0 and block rank r ≥ 1, got n=" + n + ", r=" + r);
        }
    }

    /** Block names in order. */
    public static final String[] NAMES = {"top", "middle", "bottom"};

    /** Start index (inclusive) of block b (0 top, 1 middle, 2 bottom). */
    public int from(int b) {
        int top = Math.min(r, n);
        int bottomStart = Math.max(n - r, top);
        return switch (b) {
            case 0 -> 0;
            case 1 -> top;
            case 2 -> bottomStart;
            default -> throw new IllegalArgumentException("block index must be 0, 1 or 2, got " + b);
        };
    }

    /** End index (exclusive) of block b. */
    public int to(int b) {
        int top = Math.min(r, n);
        int bottomStart = Math.max(n - r, top);
        return switch (b) {
            case 0 -> top;
            case 1 -> bottomStart;
            case 2 -> n;
            default -> throw new IllegalArgumentException("block index must be 0, 1 or 2, got " + b);
        };
    }

    /**
     * The smallest relative gap (σ_i − σ_(i+1))/σ_1 across the block boundaries that exist; +∞
     * when there is none. Singular vectors of a block are determined (up to a rotation inside the
     * block) only when this gap is positive.
     */
    public double boundaryGap(double[] s) {
        if (s.length != n) {
            throw new IllegalArgumentException("expected " + n + " singular values, got " + s.length);
        }
        if (n == 0 || !(s[0] > 0)) {
            return 0.0;
        }
        double gap = Double.POSITIVE_INFINITY;
        for (int i : new int[] {to(0), to(1)}) {
            if (i > 0 && i < n) {
                gap = Math.min(gap, (s[i - 1] - s[i]) / s[0]);
            }
        }
        return gap;
    }
}
