package org.cdln.linalg;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A seeded random source for data generation and initialisation. Deterministic for a given seed
 * on every platform ({@link SplittableRandom}); {@link #split()} gives independent streams, so
 * that e.g. the target, the mask and the network initialisation each have their own.
 */
public final class Rng {
    private final SplittableRandom random;

    public Rng(long seed) {
        this.random = new SplittableRandom(seed);
    }

    private Rng(SplittableRandom random) {
        this.random = random;
    }

    /** An independent stream; advances this one. */
    public Rng split() {
        return new Rng(random.split());
    }

    /** A standard normal draw. */
    public double gaussian() {
        return random.nextGaussian();
    }

    /** A uniform draw in [lo, hi). */
    public double uniform(double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }

    /** A uniform integer in [0, n). */
    public int nextInt(int n) {
        return random.nextInt(n);
    }

    /** A uniform long in [0, n). */
    public long nextLong(long n) {
        return random.nextLong(n);
    }

    /** A rows×cols matrix of N(0, scale²) entries. */
    public Matrix gaussianMatrix(int rows, int cols, double scale) {
        Matrix m = new Matrix(rows, cols);
        double[] d = m.data();
        for (int k = 0; k < d.length; k++) {
            d[k] = scale * random.nextGaussian();
        }
        return m;
    }

    /** A rows×cols matrix of U(lo, hi) entries. */
    public Matrix uniformMatrix(int rows, int cols, double lo, double hi) {
        Matrix m = new Matrix(rows, cols);
        double[] d = m.data();
        for (int k = 0; k < d.length; k++) {
            d[k] = uniform(lo, hi);
        }
        return m;
    }

    /**
     * A Haar-distributed n×n orthogonal matrix: Q of the QR of a Gaussian matrix, with the signs of
     * R's diagonal folded into Q's columns (Mezzadri 2007). Cost O(n³).
     */
    public Matrix haarOrthogonal(int n, LinearAlgebra la) {
        Qr qr = la.qr(gaussianMatrix(n, n, 1.0));
        Matrix q = qr.q();
        double[] d = q.data();
        for (int j = 0; j < n; j++) {
            if (qr.r().get(j, j) < 0) {
                for (int i = 0; i < n; i++) {
                    d[i + j * n] = -d[i + j * n];
                }
            }
        }
        return q;
    }

    /** Fisher–Yates shuffle of the array, in place. */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * k distinct values drawn uniformly from [0, n), returned sorted ascending. Uses a partial
     * Fisher–Yates shuffle when n is small, and rejection of duplicates otherwise, so that n may
     * be as large as d1·d2 of a 10⁵×10⁵ matrix. Cost O(n) or O(k log k).
     */
    public long[] sampleWithoutReplacement(long n, int k) {
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("cannot draw " + k + " distinct values from [0, " + n + ")");
        }
        if (n <= 4L * k + 1024 && n <= Integer.MAX_VALUE - 8) {
            int[] all = new int[(int) n];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            for (int i = 0; i < k; i++) {
                int j = i + random.nextInt(all.length - i);
                int t = all[i];
                all[i] = all[j];
                all[j] = t;
            }
            long[] out = new long[k];
            for (int i = 0; i < k; i++) {
                out[i] = all[i];
            }
            Arrays.sort(out);
            return out;
        }
        long[] out = new long[k];
        int have = 0;
        while (have < k) {
            for (int i = have; i < k; i++) {
                out[i] = random.nextLong(n);
            }
            Arrays.sort(out, 0, k);
            int w = 0;
            for (int i = 0; i < k; i++) {
                if (w == 0 || out[i] != out[w - 1]) {
                    out[w++] = out[i];
                }
            }
            have = w;
        }
        return out;
    }
}
