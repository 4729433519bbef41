package org.cdln.recommend;

import org.cdln.data.Ratings;
import org.cdln.linalg.Matrix;

/** Rating predictions from factors U·V plus a baseline, for metrics during fits. Package-private. */
final class Scoring {
    private Scoring() {
    }

    /**
     * {RMSE, MAE} of clip(b(u, i) + U[u, :]·V[:, i]) against the ratings (indices in the model's
     * mappings); {NaN, NaN} for an empty set. U is d1×k, V k×d2. O(n·k + d1·k).
     */
    static double[] rmseMae(Matrix u, Matrix v, Ratings r, RatingBaseline b, double lo, double hi) {
        int n = r.size();
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        int k = u.cols();
        double[] ut = u.transpose().data();
        double[] vd = v.data();
        double se = 0.0;
        double ae = 0.0;
        boolean clip = !Double.isNaN(lo);
        for (int q = 0; q < n; q++) {
            int uo = r.userIndex(q) * k;
            int io = r.itemIndex(q) * k;
            double s = b.predict(r.userIndex(q), r.itemIndex(q));
            for (int c = 0; c < k; c++) {
                s += ut[uo + c] * vd[io + c];
            }
            if (clip) {
                s = Math.max(lo, Math.min(hi, s));
            }
            double e = s - r.rating(q);
            se += e * e;
            ae += Math.abs(e);
        }
        return new double[] {Math.sqrt(se / n), ae / n};
    }

    /** (1/(2n))·Σ (U[u, :]·V[:, i] − R_ui)² over the ratings with residual values res. O(n·k). */
    static double halfMse(Matrix u, Matrix v, Ratings r, double[] res) {
        int n = r.size();
        int k = u.cols();
        double[] ut = u.transpose().data();
        double[] vd = v.data();
        double ss = 0.0;
        for (int q = 0; q < n; q++) {
            int uo = r.userIndex(q) * k;
            int io = r.itemIndex(q) * k;
            double s = 0.0;
            for (int c = 0; c < k; c++) {
                s += ut[uo + c] * vd[io + c];
            }
            double e = s - res[q];
            ss += e * e;
        }
        return n == 0 ? Double.NaN : 0.5 * ss / n;
    }
}
