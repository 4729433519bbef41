package org.cdln.train;

/**
 * Stops when the monitored metric (recovery error, or training loss when the problem has no
 * ground truth) has not improved by a relative {@code minImprovement} for {@code patience}
 * consecutive evaluations.
 */
public final class EarlyStopping implements StatefulListener {
    private final int patience;
    private final double minImprovement;
    private final boolean onTrainLoss;
    private double best = Double.POSITIVE_INFINITY;
    private int stale;

    /**
     * @param patience       evaluations without improvement tolerated, ≥ 1
     * @param minImprovement relative improvement that counts, in [0, 1) (e.g. 1e-4)
     * @param onTrainLoss    monitor the training loss instead of the recovery error
     */
    public EarlyStopping(int patience, double minImprovement, boolean onTrainLoss) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be ≥ 1 evaluation, got " + patience);
        }
        if (!(minImprovement >= 0.0 && minImprovement < 1.0)) {
            throw new IllegalArgumentException("minimum relative improvement must be in [0, 1), got " + minImprovement
                    + "; e.g. 1e-4 asks for a 0.01% improvement");
        }
        this.patience = patience;
        this.minImprovement = minImprovement;
        this.onTrainLoss = onTrainLoss;
    }

    @Override
    public void onStart(TrainingContext context) {
        best = Double.POSITIVE_INFINITY;
        stale = 0;
    }

    @Override
    public void onEvaluation(EvalPoint point, TrainingContext context) {
        double v = onTrainLoss || Double.isNaN(point.recoveryError()) ? point.trainLoss() : point.recoveryError();
        if (v < best * (1.0 - minImprovement)) {
            best = v;
            stale = 0;
        } else if (++stale >= patience) {
            context.requestStop(StopReason.EARLY_STOPPED, "no improvement of the "
                    + (onTrainLoss ? "training loss" : "recovery error") + " for " + patience
                    + " evaluations (best " + Trainer.fmt(best) + ")");
        }
    }

    @Override
    public String stateKey() {
        return "early-stopping";
    }

    @Override
    public double[] saveState() {
        return new double[] {best, stale};
    }

    @Override
    public void restoreState(double[] state) {
        if (state.length != 2 || !(state[1] >= 0)) {
            throw new IllegalArgumentException("an early-stopping state has 2 values (best, stale count), got "
                    + state.length);
        }
        best = state[0];
        stale = (int) state[1];
    }

    /** The best value seen. */
    public double best() {
        return best;
    }
}
