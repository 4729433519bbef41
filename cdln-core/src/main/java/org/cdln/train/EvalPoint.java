package org.cdln.train;

/**
 * One evaluation along a training run.
 *
 * @param step          number of updates applied so far
 * @param seconds       training wall time so far, evaluation excluded
 * @param trainLoss     training loss at this point
 * @param recoveryError the problem's recovery error at this point (NaN when unknown)
 */
public record EvalPoint(long step, double seconds, double trainLoss, double recoveryError) {
}
