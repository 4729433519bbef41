package org.cdln.train;

/**
 * Stops a run whose loss is not finite or has grown past {@code factor} × its initial value, with
 * a {@link DivergenceException} naming η and α. Installed by {@link Trainer} unless the
 * configuration's divergence factor is 0. O(1) per step.
 */
public final class DivergenceGuard implements StatefulListener {
    private final double factor;
    private double initial = Double.NaN;

    public DivergenceGuard(double factor) {
        this.factor = factor;
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
        boolean blownUp = !Double.isFinite(loss) || (initial > 0 && loss > factor * initial);
        if (blownUp) {
            double eta = context.config().optimizer().stepSize();
            double alpha = context.config().alpha();
            String rates = alpha == 1.0 ? "step size η = " + Trainer.fmt(eta)
                    : "step size η = " + Trainer.fmt(eta) + " and α = " + Trainer.fmt(alpha)
                      + " (outer layers step with η·α = " + Trainer.fmt(eta * alpha) + ")";
            String why = Double.isFinite(loss)
                    ? "train loss " + Trainer.fmt(loss) + " grew over " + Trainer.fmt(factor) + " × the initial "
                      + Trainer.fmt(initial)
                    : "train loss became " + loss;
            String fix = alpha == 1.0 ? "lower the step size, e.g. η = " + Trainer.fmt(eta / 2)
                    : "lower the step size, e.g. η = " + Trainer.fmt(eta / 2) + ", or α";
            throw new DivergenceException("training of the " + context.label() + " network diverged at step " + step
                    + ": " + why + ", with " + rates + "; " + fix, step, loss, eta, alpha);
        }
    }
}
