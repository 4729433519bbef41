package org.cdln.train;

/**
 * One evaluation along a training run, whatever the model: the full-batch trainer records
 * {@link EvalPoint}s (training loss and recovery error), the mini-batch trainer records one point
 * per epoch with test metrics. Listeners that need a model's own metrics test the type.
 */
public interface TrainingPoint {
    /** Updates applied so far. */
    long step();

    /** Training wall time so far, evaluation and listeners excluded. */
    double seconds();

    /** The training loss at this point (for mini-batches: the mean over the last epoch's batches). */
    double trainLoss();

    /**
     * The metric a generic rule monitors by default (early stopping, progress): the recovery error
     * when known, else the training loss, for the full-batch trainer; the test loss for the
     * mini-batch trainer. Lower is better.
     */
    double monitored();

    /** A short description for progress output, e.g. "loss 1.2e-05, error 3.4e-04". */
    String status();
}
