package org.cdln.spark;

import java.nio.file.Path;
import java.util.List;
import org.cdln.train.TrainingListener;

/**
 * The driver-side side effects of a Spark fit: the Spark progress callback, the library's
 * training listeners (a progress bar, logs: start, every step, every evaluation, the end or the
 * failure), and resumable checkpoints — every {@code checkpointSeconds} of the loop and at its
 * end, in {@code checkpointDir} (null: none), continued from when {@code resume} is set.
 */
record FitHooks(FitProgress progress, List<TrainingListener> listeners, Path checkpointDir, boolean resume,
                double checkpointSeconds) {
    FitHooks {
        listeners = List.copyOf(listeners);
    }

    /** Only a progress callback (may be null). */
    static FitHooks of(FitProgress progress) {
        return new FitHooks(progress, List.of(), null, false, 30.0);
    }
}
