package org.cdln.recommend;

import org.cdln.data.Ratings;

/**
 * The part of a rating that centering explains: b(u, i) = μ + b_u + b_i (not part of the paper; the
 * classic baseline predictor of Koren's "Factor in the neighbors", 2010). The low-rank model is
 * fitted to the residuals r − b.
 *
 * @param centering   which terms are used
 * @param mean        μ (0 for {@link Centering#NONE})
 * @param userBias    b_u per user index (zeros unless {@link Centering#BIASES})
 * @param itemBias    b_i per item index (zeros unless {@link Centering#BIASES})
 * @param damping     λ_b, the damping of the bias means
 */
public record RatingBaseline(Centering centering, double mean, double[] userBias, double[] itemBias, double damping) {
    /** Alternating sweeps of the bias fit; the biases change by less than 1e-6 after about 10. */
    public static final int SWEEPS = 15;

    /** Copies the bias arrays (the record is immutable). */
    public RatingBaseline {
        userBias = userBias.clone();
        itemBias = itemBias.clone();
    }

    /**
     * Fits the baseline on ratings. O(SWEEPS·n).
     *
     * @param damping λ_b ≥ 0: a bias is the mean residual of its n ratings shrunk by n/(n + λ_b)
     */
    public static RatingBaseline fit(Ratings r, Centering centering, double damping) {
        if (!(damping >= 0.0) || !Double.isFinite(damping)) {
            throw new IllegalArgumentException("bias damping λ_b must be a finite number ≥ 0, got " + damping);
        }
        double[] bu = new double[r.numUsers()];
        double[] bi = new double[r.numItems()];
        if (centering == Centering.NONE || r.size() == 0) {
            return new RatingBaseline(centering, 0.0, bu, bi, damping);
        }
        double mu = r.meanRating();
        if (centering == Centering.BIASES) {
            int[] nu = r.countsPerUser();
            int[] ni = r.countsPerItem();
            double[] su = new double[bu.length];
            double[] si = new double[bi.length];
            for (int sweep = 0; sweep < SWEEPS; sweep++) {
                java.util.Arrays.fill(si, 0.0);
                for (int k = 0; k < r.size(); k++) {
                    si[r.itemIndex(k)] += r.rating(k) - mu - bu[r.userIndex(k)];
                }
                for (int i = 0; i < bi.length; i++) {
                    bi[i] = ni[i] + damping > 0 ? si[i] / (ni[i] + damping) : 0.0;
                }
                java.util.Arrays.fill(su, 0.0);
                for (int k = 0; k < r.size(); k++) {
                    su[r.userIndex(k)] += r.rating(k) - mu - bi[r.itemIndex(k)];
                }
                for (int u = 0; u < bu.length; u++) {
                    bu[u] = nu[u] + damping > 0 ? su[u] / (nu[u] + damping) : 0.0;
                }
            }
        }
        return new RatingBaseline(centering, mu, bu, bi, damping);
    }

    /** b(u, i) = μ + b_u + b_i for user and item indices. O(1). */
    public double predict(int user, int item) {
        return mean + userBias[user] + itemBias[item];
    }

    /** b_u of a user index (no copy). O(1). */
    public double userBiasAt(int user) {
        return userBias[user];
    }

    /** b_i of an item index (no copy). O(1). */
    public double itemBiasAt(int item) {
        return itemBias[item];
    }

    /** r_k − b(u_k, i_k) for every rating (a new array). O(n). */
    public double[] residuals(Ratings r) {
        double[] out = new double[r.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = r.rating(k) - predict(r.userIndex(k), r.itemIndex(k));
        }
        return out;
    }

    @Override
    public double[] userBias() {
        return userBias.clone();
    }

    @Override
    public double[] itemBias() {
        return itemBias.clone();
    }

    int users() {
        return userBias.length;
    }

    int items() {
        return itemBias.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RatingBaseline b && centering == b.centering
                && Double.doubleToLongBits(mean) == Double.doubleToLongBits(b.mean)
                && java.util.Arrays.equals(userBias, b.userBias) && java.util.Arrays.equals(itemBias, b.itemBias)
                && Double.doubleToLongBits(damping) == Double.doubleToLongBits(b.damping);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(centering, mean, java.util.Arrays.hashCode(userBias),
                java.util.Arrays.hashCode(itemBias), damping);
    }
}
