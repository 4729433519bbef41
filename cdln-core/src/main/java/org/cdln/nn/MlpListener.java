package org.cdln.nn;

/**
 * Side effects of MLP training (progress, recording update spectra, stopping early) plug in here.
 * Order per run: {@link #onStart} once, with the epoch-0 evaluation already made; {@link #onStep}
 * after every update (keep it cheap; its time is not counted as training time); {@link #onEpoch}
 * after each epoch's test evaluation; then {@link #onEnd}, or {@link #onFailure} if the run threw.
 */
public interface MlpListener {
    default void onStart(MlpContext context) {
    }

    /** After update number {@code step}, with the mini-batch loss it was computed from. */
    default void onStep(long step, double loss, MlpContext context) {
    }

    default void onEpoch(EpochPoint point, MlpContext context) {
    }

    default void onEnd(MlpResult result) {
    }

    default void onFailure(RuntimeException error, MlpContext context) {
    }
}
