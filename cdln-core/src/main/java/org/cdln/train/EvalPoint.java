package org.cdln.train;

/**
 * One evaluation along a full-batch training run.
 *
 * @param step          number of updates applied so far
 * @param seconds       training wall time so far, evaluation excluded
 * @param trainLoss     training loss at this point
 * @param recoveryError the problem's recovery error at this point (NaN when unknown)
 */
public record EvalPoint(long step, double seconds, double trainLoss, double recoveryError) implements TrainingPoint {
    /** The recovery error, or the training loss when the problem knows no ground truth. */
    @Override
    public double monitored() {
        return Double.isNaN(recoveryError) ? trainLoss : recoveryError;
    }

    @Override
    public String status() {
        return Double.isNaN(recoveryError) ? String.format("loss %.2e", trainLoss)
                : String.format("loss %.2e, error %.2e", trainLoss, recoveryError);
    }
}
