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
final class ValidationMonitor implements TrainingListener {
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
