package org.cdln.train;

/**
 * Side effects of training — logging, progress, divergence checks, early stopping, checkpoints,
 * dynamics recording — plug in here so that the training loop ({@link TrainingLoop}) stays short.
 * One interface for every trainer: the full-batch {@link Trainer} and the mini-batch MLP trainer
 * call the same methods in the same order; {@link #presets} lists the ones most runs want.
 *
 * <p>Order per run: {@link #onStart} once; {@link #onStep} with the training loss at the point
 * reached after {@code step} updates (the loss the next update is computed from; keep it O(1));
 * {@link #onEvaluation} every k steps and at the last step (its time is not counted as training
 * time); then {@link #onEnd} with the result, or {@link #onFailure} if the run threw (a listener
 * that throws there has its exception added to the run's as suppressed). A listener stops the run
 * with {@link TrainingContext#requestStop}, or by throwing.
 */
public interface TrainingListener {
    default void onStart(TrainingContext context) {
    }

    /** The training loss at the point reached after {@code step} updates. */
    default void onStep(long step, double loss, TrainingContext context) {
    }

    /** An evaluation after {@code point.step()} updates. */
    default void onEvaluation(TrainingPoint point, TrainingContext context) {
    }

    default void onEnd(TrainingResult result) {
    }

    default void onFailure(RuntimeException error, TrainingContext context) {
    }

    /**
     * The listeners most runs want, in the way DJL offers {@code TrainingListener.Defaults}: a
     * divergence guard that stops a run whose loss grows past {@code divergenceFactor} × its first
     * value, and a time limit when {@code timeLimitSeconds} is finite.
     *
     * @param divergenceFactor  &gt; 1, e.g. 1e6 (0 leaves the guard out)
     * @param timeLimitSeconds  &gt; 0, or {@code Double.POSITIVE_INFINITY} for none
     */
    static TrainingListener[] presets(double divergenceFactor, double timeLimitSeconds) {
        java.util.List<TrainingListener> l = new java.util.ArrayList<>();
        if (divergenceFactor > 0) {
            l.add(DivergenceGuard.relative(divergenceFactor));
        }
        if (Double.isFinite(timeLimitSeconds)) {
            l.add(new TimeLimit(timeLimitSeconds));
        }
        return l.toArray(new TrainingListener[0]);
    }
}
