/**
 * The one training engine: {@link org.cdln.train.TrainingLoop} (the loop, written once),
 * {@link org.cdln.train.TrainingTask} (what a model supplies), {@link org.cdln.train.TrainingListener}
 * and {@link org.cdln.train.TrainingContext} (every side effect: divergence guard, early stopping,
 * time limit, checkpoints, progress), {@link org.cdln.train.TrainingResult} with typed
 * {@link org.cdln.train.Provenance}; {@link org.cdln.train.Trainer} trains deep linear networks on it.
 */
package org.cdln.train;
