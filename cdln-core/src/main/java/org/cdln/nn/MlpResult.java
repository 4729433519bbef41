package org.cdln.nn;

import java.util.List;
import org.cdln.train.Provenance;
import org.cdln.train.StopReason;
import org.cdln.train.TrainingResult;

/**
 * The immutable outcome of {@link MlpTrainer#fit}.
 *
 * @param label      e.g. "mlp", "mlp+dln", "mlp+c-dln"
 * @param network    the trained network (not modified afterwards by the trainer)
 * @param trajectory one point per epoch, epoch 0 (before training) first
 * @param steps      updates applied
 * @param seconds    training wall time (batches, forward, backward, updates; evaluation excluded)
 * @param images     training images processed
 * @param timings    where the training time went
 * @param stopReason  why the run ended ({@link StopReason#BUDGET} when every epoch ran)
 * @param stopMessage a sentence saying so
 * @param provenance  settings, backend, version, seeds
 */
public record MlpResult(String label, Mlp network, List<EpochPoint> trajectory, long steps, double seconds,
                        long images, MlpTimings timings, StopReason stopReason, String stopMessage,
                        Provenance<MlpTrainerConfig> provenance) implements TrainingResult {
    public MlpResult {
        trajectory = List.copyOf(trajectory);
    }

    /** The last evaluation. */
    public EpochPoint last() {
        return trajectory.get(trajectory.size() - 1);
    }

    /** Test accuracy after the last epoch. */
    public double finalTestAccuracy() {
        return last().testAccuracy();
    }

    /** The best test accuracy over the epochs. */
    public double bestTestAccuracy() {
        return trajectory.stream().mapToDouble(EpochPoint::testAccuracy).max().orElse(Double.NaN);
    }

    /** Training images per second of training time. */
    public double imagesPerSecond() {
        return seconds > 0 ? images / seconds : Double.NaN;
    }

    /** Training seconds per epoch (mean). */
    public double secondsPerEpoch() {
        int epochs = last().epoch();
        return epochs > 0 ? seconds / epochs : Double.NaN;
    }

    /** Trainable parameters. */
    public long parameters() {
        return network.parameterCount();
    }

    /** The first epoch point whose test accuracy is ≥ the target, or null. */
    public EpochPoint firstReaching(double accuracy) {
        for (EpochPoint p : trajectory) {
            if (p.testAccuracy() >= accuracy) {
                return p;
            }
        }
        return null;
    }

    /** Training seconds until the test accuracy first reached the target (epoch resolution), or null. */
    public Double secondsTo(double accuracy) {
        EpochPoint p = firstReaching(accuracy);
        return p == null ? null : p.seconds();
    }

    /** Steps until the test accuracy first reached the target (epoch resolution), or null. */
    public Long stepsTo(double accuracy) {
        EpochPoint p = firstReaching(accuracy);
        return p == null ? null : p.step();
    }
}
