package org.cdln.train;

/**
 * Side effects of training — logging, progress, divergence checks, early stopping, checkpoints,
 * dynamics recording — plug in here so that the training loop stays short.
 *
 * <p>Order per run: {@link #onStart} once; {@link #onStep} after every loss evaluation (keep it
 * O(1)); {@link #onEvaluation} every k steps and at the last step (its time is not counted as
 * training time); then {@link #onEnd} with the result, or {@link #onFailure} if the run threw.
 * A listener stops the run with {@link TrainingContext#requestStop}, or by throwing.
 */
public interface TrainingListener {
    default void onStart(TrainingContext context) {
    }

    /** The training loss at the point reached after {@code step} updates. */
    default void onStep(long step, double loss, TrainingContext context) {
    }

    default void onEvaluation(EvalPoint point, TrainingContext context) {
    }

    default void onEnd(TrainResult result) {
    }

    default void onFailure(RuntimeException error, TrainingContext context) {
    }
}
