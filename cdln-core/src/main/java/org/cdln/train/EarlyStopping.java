package org.cdln.train;

import java.util.function.ToDoubleFunction;

/**
 * The one early-stopping rule: stops when a monitored metric (lower is better) has not improved
 * by a relative {@code minImprovement} for {@code patience} consecutive evaluations — and, when
 * asked, not before twice the step of the best value so far: deep networks learn singular values
 * one after the other, and the metric can stall between two of them before falling again.
 *
 * <p>The metric is read from each evaluation: by default {@link TrainingPoint#monitored()} (the
 * recovery error when known, else the training loss), or the training loss, or any function (the
 * validation RMSE of a ratings fit). O(1) per evaluation.
 */
public final class EarlyStopping implements StatefulListener {
    private final int patience;
    private final double minImprovement;
    private final ToDoubleFunction<TrainingPoint> metric;
    private final String metricName;
    private final boolean notBeforeTwiceBestStep;
    private double best = Double.POSITIVE_INFINITY;
    private long bestStep = -1;
    private int stale;

    /**
     * @param patience       evaluations without improvement tolerated, ≥ 1
     * @param minImprovement relative improvement that counts, in [0, 1) (e.g. 1e-4)
     * @param onTrainLoss    monitor the training loss instead of the recovery error
     */
    public EarlyStopping(int patience, double minImprovement, boolean onTrainLoss) {
        this(patience, minImprovement, onTrainLoss ? TrainingPoint::trainLoss : TrainingPoint::monitored,
                onTrainLoss ? "training loss" : "recovery error", false);
    }

    /**
     * @param patience               evaluations without improvement tolerated, ≥ 1
     * @param minImprovement         relative improvement that counts, in [0, 1)
     * @param metric                 the monitored value of an evaluation, lower is better
     * @param metricName             its name in the stop message, e.g. "validation RMSE"
     * @param notBeforeTwiceBestStep never stop before step 2 × the step of the best value
     */
    public EarlyStopping(int patience, double minImprovement, ToDoubleFunction<TrainingPoint> metric,
                         String metricName, boolean notBeforeTwiceBestStep) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be ≥ 1 evaluation, got " + patience);
        }
        if (!(minImprovement >= 0.0 && minImprovement < 1.0)) {
            throw new IllegalArgumentException("minimum relative improvement must be in [0, 1), got " + minImprovement
                    + "; e.g. 1e-4 asks for a 0.01% improvement");
        }
        this.patience = patience;
        this.minImprovement = minImprovement;
        this.metric = metric;
        this.metricName = metricName;
        this.notBeforeTwiceBestStep = notBeforeTwiceBestStep;
    }

    @Override
    public void onStart(TrainingContext context) {
        best = Double.POSITIVE_INFINITY;
        bestStep = -1;
        stale = 0;
    }

    @Override
    public void onEvaluation(TrainingPoint point, TrainingContext context) {
        double v = metric.applyAsDouble(point);
        if (v < best * (1.0 - minImprovement)) {
            best = v;
            bestStep = point.step();
            stale = 0;
        } else if (++stale >= patience && (!notBeforeTwiceBestStep || point.step() >= 2 * bestStep)) {
            context.requestStop(StopReason.EARLY_STOPPED, "no improvement of the " + metricName + " for " + stale
                    + " evaluations (best " + Trainer.fmt(best) + (notBeforeTwiceBestStep ? " at step " + bestStep : "") + ")");
        }
    }

    @Override
    public String stateKey() {
        return "early-stopping";
    }

    @Override
    public double[] saveState() {
        return new double[] {best, stale, bestStep};
    }

    /** Restores {best, stale count, best step}; a checkpoint of version 1 holds the first two. */
    @Override
    public void restoreState(double[] state) {
        if ((state.length != 2 && state.length != 3) || !(state[1] >= 0)) {
            throw new IllegalArgumentException("an early-stopping state has 3 values (best, stale count, best step), "
                    + "got " + state.length);
        }
        best = state[0];
        stale = (int) state[1];
        bestStep = state.length == 3 ? (long) state[2] : -1;
    }

    /** The best value seen. */
    public double best() {
        return best;
    }

    /** The step of the best value, −1 before any. */
    public long bestStep() {
        return bestStep;
    }
}
