package org.cdln.train;

/**
 * Stops a run whose training loss is not finite or has grown past a threshold, with a
 * {@link DivergenceException} naming η and α. The threshold is either {@code factor} × the first
 * loss of the run ({@link #relative}; installed by {@link Trainer} unless its divergence factor is
 * 0) or a fixed value ({@link #absolute}; the MLP trainer uses 10⁴ × the loss of a uniform guess).
 * O(1) per step.
 */
public final class DivergenceGuard implements StatefulListener {
    private final double factor;
    private final double limit;
    private final String limitDescription;
    private double initial = Double.NaN;

    private DivergenceGuard(double factor, double limit, String limitDescription) {
        this.factor = factor;
        this.limit = limit;
        this.limitDescription = limitDescription;
    }

    /**
     * Diverged when the loss exceeds {@code factor} × the run's first loss.
     *
     * @param factor &gt; 1, e.g. 1e6
     */
    public static DivergenceGuard relative(double factor) {
        if (!(factor > 1.0) || Double.isNaN(factor)) {
            throw new IllegalArgumentException("divergence factor must be > 1, got " + factor);
        }
        return new DivergenceGuard(factor, Double.NaN, null);
    }

    /**
     * Diverged when the loss exceeds {@code limit}.
     *
     * @param limit       &gt; 0
     * @param description what the limit is, e.g. "10⁴ times the loss of a uniform guess"
     */
    public static DivergenceGuard absolute(double limit, String description) {
        if (!(limit > 0.0)) {
            throw new IllegalArgumentException("divergence limit must be > 0, got " + limit);
        }
        return new DivergenceGuard(Double.NaN, limit, description);
    }

    @Override
    public void onStart(TrainingContext context) {
        initial = Double.NaN;
    }

    @Override
    public String stateKey() {
        return "divergence-guard";
    }

    @Override
    public double[] saveState() {
        return new double[] {initial};
    }

    @Override
    public void restoreState(double[] state) {
        if (state.length != 1) {
            throw new IllegalArgumentException("a divergence-guard state has 1 value (the initial loss), got "
                    + state.length);
        }
        initial = state[0];
    }

    @Override
    public void onStep(long step, double loss, TrainingContext context) {
        if (Double.isNaN(initial)) {
            initial = loss;
        }
        boolean relative = !Double.isNaN(factor);
        boolean blownUp = !Double.isFinite(loss)
                || (relative ? initial > 0 && loss > factor * initial : loss > limit);
        if (blownUp) {
            double eta = context.stepSize();
            double alpha = context.alpha();
            String rates = alpha == 1.0 ? "step size η = " + Trainer.fmt(eta)
                    : "step size η = " + Trainer.fmt(eta) + " and α = " + Trainer.fmt(alpha)
                      + " (outer layers step with η·α = " + Trainer.fmt(eta * alpha) + ")";
            String why = !Double.isFinite(loss) ? "train loss became " + loss
                    : relative ? "train loss " + Trainer.fmt(loss) + " grew over " + Trainer.fmt(factor)
                                 + " × the initial " + Trainer.fmt(initial)
                               : "train loss " + Trainer.fmt(loss) + " is over " + Trainer.fmt(limit) + " ("
                                 + limitDescription + ")";
            String fix = alpha == 1.0 ? "lower the step size, e.g. η = " + Trainer.fmt(eta / 2)
                    : "lower the step size, e.g. η = " + Trainer.fmt(eta / 2) + ", or α";
            throw new DivergenceException("training of the " + context.label() + " network diverged at step " + step
                    + ": " + why + ", with " + rates, fix, step, loss, eta, alpha);
        }
    }
}
