package org.cdln.train;

/**
 * A listener whose decisions depend on what it saw earlier in the run (early stopping's best
 * value and patience count, the divergence guard's initial loss). A {@link Checkpoint} saves its
 * state under {@link #stateKey()} and {@link Trainer#resume} restores it right after
 * {@link #onStart}, so a resumed run decides exactly as the uninterrupted one.
 */
public interface StatefulListener extends TrainingListener {
    /** The key of this listener's state in a checkpoint; unique among a trainer's listeners. */
    String stateKey();

    /** The state, as numbers. */
    double[] saveState();

    /**
     * Restores a state that {@link #saveState()} returned.
     *
     * @throws IllegalArgumentException when the state has the wrong shape
     */
    void restoreState(double[] state);
}
