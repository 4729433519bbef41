package org.cdln.train;

import java.util.List;

/**
 * The immutable outcome of a training run, whatever the model: what was trained, how far, why it
 * stopped, and where it came from. {@link TrainResult} (deep linear networks on recovery problems)
 * and the MLP trainer's result implement it.
 */
public interface TrainingResult {
    /** What was trained, e.g. "compressed" or "mlp+c-dln". */
    String label();

    /** Updates applied. */
    long steps();

    /** Training wall time, evaluation excluded. */
    double seconds();

    /** Why the run ended. */
    StopReason stopReason();

    /** A sentence saying why the run ended. */
    String stopMessage();

    /** The evaluations, in step order. */
    List<? extends TrainingPoint> trajectory();

    /** Settings, backend, version, seeds. */
    Provenance<?> provenance();

    /** The last evaluation. */
    default TrainingPoint lastPoint() {
        List<? extends TrainingPoint> t = trajectory();
        return t.get(t.size() - 1);
    }
}
