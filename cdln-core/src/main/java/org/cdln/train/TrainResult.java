package org.cdln.train;

import java.util.List;
import org.cdln.model.DeepLinearNetwork;

/**
 * The immutable outcome of a full-batch fit of a deep linear network ({@link Trainer}).
 *
 * @param label        what was trained, e.g. "original" or "compressed"
 * @param network      the final network (an independent copy)
 * @param trajectory   evaluations, every k steps and at the last step
 * @param steps        updates applied
 * @param seconds      training wall time, evaluation excluded
 * @param stopReason   why the run ended
 * @param stopMessage  a sentence saying so
 * @param parameters   number of trained parameters
 * @param provenance   settings, backend, version, seeds
 */
public record TrainResult(String label, DeepLinearNetwork network, List<EvalPoint> trajectory, long steps,
                          double seconds, StopReason stopReason, String stopMessage, long parameters,
                          Provenance<TrainerConfig> provenance) implements TrainingResult {

    public TrainResult {
        trajectory = List.copyOf(trajectory);
    }

    /** The last evaluation. */
    public EvalPoint last() {
        return trajectory.get(trajectory.size() - 1);
    }

    /** Training loss at the end. */
    public double finalTrainLoss() {
        return last().trainLoss();
    }

    /** Recovery error at the end. */
    public double finalRecoveryError() {
        return last().recoveryError();
    }

    /** The smallest recovery error evaluated. */
    public double bestRecoveryError() {
        double best = Double.NaN;
        for (EvalPoint p : trajectory) {
            if (Double.isNaN(best) || p.recoveryError() < best) {
                best = p.recoveryError();
            }
        }
        return best;
    }

    /** The first evaluated point whose recovery error is ≤ threshold, or null. */
    public EvalPoint firstReaching(double threshold) {
        for (EvalPoint p : trajectory) {
            if (p.recoveryError() <= threshold) {
                return p;
            }
        }
        return null;
    }

    /** Steps to reach recovery error ≤ threshold (resolution: the evaluation interval), or null. */
    public Long stepsTo(double threshold) {
        EvalPoint p = firstReaching(threshold);
        return p == null ? null : p.step();
    }

    /** Training seconds to reach recovery error ≤ threshold, or null. */
    public Double secondsTo(double threshold) {
        EvalPoint p = firstReaching(threshold);
        return p == null ? null : p.seconds();
    }
}
