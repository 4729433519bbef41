package org.cdln.experiment;

import java.util.List;
import org.cdln.train.TrainingListener;

/** The listeners (progress, recorders, stopping rules) for one training run of an experiment. */
@FunctionalInterface
public interface ListenerFactory {
    /**
     * @param label    the run, e.g. "compressed" or "mlp+c-dln"
     * @param maxSteps its step budget
     */
    List<TrainingListener> forRun(String label, long maxSteps);

    /** No listeners. */
    static ListenerFactory none() {
        return (label, steps) -> List.of();
    }
}
