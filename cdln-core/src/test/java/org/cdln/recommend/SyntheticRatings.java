package org.cdln.recommend;

import org.cdln.data.Ratings;
import org.cdln.data.Splits;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;

/**
 * Synthetic ratings of known rank for tests: r(u, i) = 3 + b_u + b_i + L_ui + noise with
 * L = s·√(d1·d2/r)·U·Vᵀ, U (d1×r) and V (d2×r) with orthonormal columns (QR of Gaussians), so
 * that L has r equal singular values s·√(d1·d2/r) and an entry RMS of s; biases have sd 0.3, the
 * noise sd {@code noise}; all seeded. A random {@code observed} share of the d1×d2 entries is
 * kept; user and item ids are their indices as text.
 */
final class SyntheticRatings {
    private SyntheticRatings() {
    }

    /** The ratings with the true low-rank part kept for checks. */
    record Data(Ratings ratings, Matrix lowRank, double[] userBias, double[] itemBias) {
    }

    static Data generate(int d1, int d2, int rank, double scale, double noise, double observed, long seed) {
        LinearAlgebra la = LinearAlgebra.instance();
        Rng rng = new Rng(seed);
        Matrix u = la.qr(rng.split().gaussianMatrix(d1, rank, 1.0)).q();
        Matrix v = la.qr(rng.split().gaussianMatrix(d2, rank, 1.0)).q();
        Rng b = rng.split();
        double[] bu = new double[d1];
        double[] bi = new double[d2];
        for (int k = 0; k < d1; k++) {
            bu[k] = 0.3 * b.gaussian();
        }
        for (int k = 0; k < d2; k++) {
            bi[k] = 0.3 * b.gaussian();
        }
        Matrix l = la.multiply(false, u, true, v);
        l.scaleInPlace(scale * Math.sqrt((double) d1 * d2 / rank));
        long[] keep = rng.split().sampleWithoutReplacement((long) d1 * d2, (int) Math.floor(observed * d1 * d2));
        Rng e = rng.split();
        Ratings.Builder rb = Ratings.builder("synthetic rank-" + rank + " " + d1 + "×" + d2);
        for (long idx : keep) {
            int i = (int) (idx % d1);
            int j = (int) (idx / d1);
            rb.add(String.valueOf(i), String.valueOf(j), 3 + bu[i] + bi[j] + l.get(i, j) + noise * e.gaussian());
        }
        return new Data(rb.build(), l, bu, bi);
    }

    /** The standard fixture: 60×90, rank 3, scale 0.8, noise 0.1, half the entries observed; 20 % held out. */
    static Splits.Split standardSplit() {
        return Splits.random(generate(60, 90, 3, 0.8, 0.1, 0.5, 11).ratings(), 0.2, 5);
    }
}
