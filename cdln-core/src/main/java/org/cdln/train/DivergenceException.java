package org.cdln.train;

/**
 * Training diverged: the loss became NaN/∞ or grew past the divergence threshold. The message
 * is the {@link #diagnosis()} (what happened, with η and α) followed by the {@link #fix()}
 * (which setting to lower), so that callers can replace the fix with better advice.
 */
public final class DivergenceException extends IllegalStateException {
    private final long step;
    private final double loss;
    private final double stepSize;
    private final double alpha;
    private final String diagnosis;
    private final String fix;

    /**
     * @param diagnosis what happened, e.g. "training of the compressed network diverged at step 12: …"
     * @param fix       what to do, e.g. "lower the step size, e.g. η = 5"
     */
    public DivergenceException(String diagnosis, String fix, long step, double loss, double stepSize, double alpha) {
        super(diagnosis + "; " + fix);
        this.diagnosis = diagnosis;
        this.fix = fix;
        this.step = step;
        this.loss = loss;
        this.stepSize = stepSize;
        this.alpha = alpha;
    }

    /** What happened, without the advice. */
    public String diagnosis() {
        return diagnosis;
    }

    /** The advice: which setting to lower. */
    public String fix() {
        return fix;
    }

    /** The step at which divergence was detected. */
    public long step() {
        return step;
    }

    /** The offending loss. */
    public double loss() {
        return loss;
    }

    /** η of the run. */
    public double stepSize() {
        return stepSize;
    }

    /** α of the run (1 when uniform). */
    public double alpha() {
        return alpha;
    }
}
