package org.cdln.nn;

import org.cdln.train.TrainingPoint;

/**
 * The state of a run after an epoch (epoch 0: before training).
 *
 * @param epoch         epochs completed
 * @param step          updates applied so far
 * @param seconds       training wall time so far: batch gathering, forward, backward and updates;
 *                      evaluation and listeners excluded
 * @param trainLoss     mean mini-batch loss over the epoch (as it was computed during training; NaN at epoch 0)
 * @param trainAccuracy fraction of training images classified right during the epoch (NaN at epoch 0)
 * @param testLoss      mean cross-entropy on the test set after the epoch
 * @param testAccuracy  test accuracy after the epoch
 */
public record EpochPoint(int epoch, long step, double seconds, double trainLoss, double trainAccuracy,
                         double testLoss, double testAccuracy) implements TrainingPoint {
    /** The test loss. */
    @Override
    public double monitored() {
        return testLoss;
    }

    @Override
    public String status() {
        return String.format(java.util.Locale.ROOT, "epoch %d: test accuracy %.4f, train loss %.4f", epoch,
                testAccuracy, trainLoss);
    }
}
