package org.cdln.recommend;

import java.util.ArrayList;
import java.util.List;
import org.cdln.data.Ratings;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.model.DeepLinearNetwork;
import org.cdln.train.EarlyStopping;
import org.cdln.train.TrainingContext;
import org.cdln.train.TrainingListener;
import org.cdln.train.TrainingPoint;

/**
 * At every evaluation of a deep-network fit: the validation RMSE and MAE of the rating
 * predictions (baseline added back, clipped), and a copy of the factors (U = W_L,
 * V = W_(L−1)·…·W_1) at the best validation RMSE so far (an improvement counts when it is a
 * relative {@code minImprovement}, the rule {@link EarlyStopping} applies). Stopping is not done
 * here: {@link DeepMatrixCompletion} adds an {@link EarlyStopping} on {@link #lastRmse} with the
 * "not before twice the best step" option. Cost per evaluation O(Σ_l n_l·n(l−1)·d2 + n_val·k); its
 * time is not counted as training time.
 */
final class ValidationMonitor implements org.cdln.train.StatefulListener {
    private final Ratings validation;
    private final RatingBaseline baseline;
    private final double lo;
    private final double hi;
    private final double minImprovement;
    private final LinearAlgebra la;
    private final List<FitPoint> points = new ArrayList<>();
    private double best = Double.POSITIVE_INFINITY;
    private long bestStep = -1;
    private double last = Double.NaN;
    private Matrix bestU;
    private Matrix bestV;
    private Matrix lastU;
    private Matrix lastV;

    /** @param validation ratings in the model's mappings (may be empty: no metrics) */
    ValidationMonitor(Ratings validation, RatingBaseline baseline, double lo, double hi, double minImprovement,
                      LinearAlgebra la) {
        this.validation = validation;
        this.baseline = baseline;
        this.lo = lo;
        this.hi = hi;
        this.minImprovement = minImprovement;
        this.la = la;
    }

    /** U = W_L and V = W_(L−1)·…·W_1 of a network (new matrices). */
    static Matrix[] factors(DeepLinearNetwork net, LinearAlgebra la) {
        Matrix v = net.layer(1).copy();
        for (int l = 2; l < net.depth(); l++) {
            v = la.multiply(net.layer(l), v);
        }
        return new Matrix[] {net.layer(net.depth()).copy(), v};
    }

    @Override
    public void onEvaluation(TrainingPoint point, TrainingContext context) {
        Matrix[] f = factors(context.network(), la);
        lastU = f[0];
        lastV = f[1];
        if (validation.size() == 0) {
            points.add(new FitPoint(point.step(), point.seconds(), point.trainLoss(), Double.NaN, Double.NaN));
            return;
        }
        double[] m = Scoring.rmseMae(f[0], f[1], validation, baseline, lo, hi);
        last = m[0];
        points.add(new FitPoint(point.step(), point.seconds(), point.trainLoss(), m[0], m[1]));
        if (m[0] < best * (1.0 - minImprovement)) {
            best = m[0];
            bestStep = point.step();
            bestU = f[0];
            bestV = f[1];
        }
    }

    @Override
    public String stateKey() {
        return "validation-monitor";
    }

    /** best, best step, last, n points, 5n point values, then the best factors (rows, cols, values) if any. */
    @Override
    public double[] saveState() {
        int fu = bestU == null ? 0 : 2 + bestU.data().length + 2 + bestV.data().length;
        double[] st = new double[4 + 5 * points.size() + 1 + fu];
        int k = 0;
        st[k++] = best;
        st[k++] = bestStep;
        st[k++] = last;
        st[k++] = points.size();
        for (FitPoint p : points) {
            st[k++] = p.step();
            st[k++] = p.seconds();
            st[k++] = p.trainLoss();
            st[k++] = p.validationRmse();
            st[k++] = p.validationMae();
        }
        st[k++] = bestU == null ? 0 : 1;
        if (bestU != null) {
            for (Matrix m : new Matrix[] {bestU, bestV}) {
                st[k++] = m.rows();
                st[k++] = m.cols();
                System.arraycopy(m.data(), 0, st, k, m.data().length);
                k += m.data().length;
            }
        }
        return st;
    }

    @Override
    public void restoreState(double[] st) {
        try {
            int k = 0;
            double b = st[k++];
            long bs = (long) st[k++];
            double l = st[k++];
            int n = (int) st[k++];
            if (n < 0 || 4 + 5L * n + 1 > st.length) {
                throw new IllegalArgumentException("the validation state declares " + n + " points");
            }
            List<FitPoint> ps = new ArrayList<>(n);
            for (int q = 0; q < n; q++) {
                ps.add(new FitPoint((long) st[k], st[k + 1], st[k + 2], st[k + 3], st[k + 4]));
                k += 5;
            }
            Matrix u = null;
            Matrix v = null;
            if (st[k++] == 1) {
                Matrix[] f = new Matrix[2];
                for (int q = 0; q < 2; q++) {
                    int rows = (int) st[k++];
                    int cols = (int) st[k++];
                    if (rows < 1 || cols < 1 || (long) rows * cols > st.length - k) {
                        throw new IllegalArgumentException("the validation state's best factors are " + rows + "×"
                                + cols);
                    }
                    f[q] = Matrix.wrap(rows, cols, java.util.Arrays.copyOfRange(st, k, k + rows * cols));
                    k += rows * cols;
                }
                u = f[0];
                v = f[1];
            }
            if (k != st.length) {
                throw new IllegalArgumentException("the validation state has " + (st.length - k) + " values too many");
            }
            best = b;
            bestStep = bs;
            last = l;
            points.clear();
            points.addAll(ps);
            bestU = u;
            bestV = v;
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("the validation state in the checkpoint is cut short");
        }
    }

    /** The validation RMSE of the last evaluation (NaN without validation). */
    double lastRmse() {
        return last;
    }

    List<FitPoint> points() {
        return points;
    }

    /** The factors at the best validation RMSE, or the last evaluated ones without validation. */
    Matrix[] chosen() {
        return bestU != null ? new Matrix[] {bestU, bestV} : new Matrix[] {lastU, lastV};
    }

    long bestStep() {
        return bestStep;
    }

    double bestRmse() {
        return best;
    }
}
