package org.cdln.recommend;

import org.cdln.train.TrainingPoint;

/**
 * One evaluation along a fit: the training loss on the observed residuals and the error of the
 * rating predictions (centering added back, clipped) on the validation ratings.
 *
 * @param step           optimiser steps (GD) or sweeps (AltMin) so far
 * @param seconds        training wall time so far, evaluation excluded
 * @param trainLoss      (1/(2|Ω|))·Σ_Ω (P − R)² on the training residuals R
 * @param validationRmse √(mean (r̂ − r)²) on the validation ratings, NaN without validation
 * @param validationMae  mean |r̂ − r| on the validation ratings, NaN without validation
 */
public record FitPoint(long step, double seconds, double trainLoss, double validationRmse, double validationMae)
        implements TrainingPoint {

    /** The validation RMSE, or the training loss without validation. */
    @Override
    public double monitored() {
        return Double.isNaN(validationRmse) ? trainLoss : validationRmse;
    }

    @Override
    public String status() {
        return String.format(java.util.Locale.ROOT, "train loss %.3e, validation RMSE %.4f", trainLoss, validationRmse);
    }

    /** ½·MSE = RMSE²/2 on the validation ratings — the "recovery error" the paper plots. */
    public double validationHalfMse() {
        return 0.5 * validationRmse * validationRmse;
    }
}
