package org.cdln.train;

/**
 * A listener that saves the run (a {@link CheckpointListener}, the MLP trainer's checkpoints).
 * {@link TrainingLoop} calls these after every other listener, so that what they save includes
 * the other listeners' reaction to the same evaluation.
 */
public interface CheckpointWriter extends TrainingListener {
}
