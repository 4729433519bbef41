package org.cdln.train;

/**
 * Training diverged: the loss became NaN/∞ or grew past the divergence factor. The message names
 * the step size and α and suggests what to lower.
 */
public final class DivergenceException extends RuntimeException {
    private final long step;
    private final double loss;
    private final double stepSize;
    private final double alpha;

    public DivergenceException(String message, long step, double loss, double stepSize, double alpha) {
        super(message);
        this.step = step;
        this.loss = loss;
        this.stepSize = stepSize;
        this.alpha = alpha;
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
