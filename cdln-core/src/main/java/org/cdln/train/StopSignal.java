package org.cdln.train;

/**
 * A process-wide request to stop training, set from outside the training thread (by a signal
 * handler, a UI, another thread). Every {@link Trainer} checks it before each step; when it is set
 * the run ends with a {@link TrainingInterruptedException} and a {@link CheckpointListener}
 * saves the state at that step, so the run can be resumed exactly. One volatile read per step.
 */
public final class StopSignal {
    private static volatile String reason;
    private static volatile boolean acknowledged;

    private StopSignal() {
    }

    /** Asks every running fit to stop at its next step. */
    public static void request(String why) {
        reason = why == null ? "stop requested" : why;
    }

    /** True when a stop was requested. */
    public static boolean isRequested() {
        return reason != null;
    }

    /** Why, or null. */
    public static String reason() {
        return reason;
    }

    /** Clears the request (for tests and for embedding code that continues afterwards). */
    public static void clear() {
        reason = null;
        acknowledged = false;
    }

    /** Called by a loop that stopped for the request (so that a watchdog need not end the process). */
    public static void acknowledge() {
        acknowledged = true;
    }

    /** True once a training loop stopped for the request. */
    public static boolean acknowledged() {
        return acknowledged;
    }
}
