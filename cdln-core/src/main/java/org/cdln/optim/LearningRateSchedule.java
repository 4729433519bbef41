package org.cdln.optim;

/**
 * Learning-rate schedules, for every trainer: the factor s_t on η before update t + 1 of a run of
 * T updates ({@link Optimizer#setRateScale}). O(1) per step.
 */
public enum LearningRateSchedule {
    /** s_t = 1. */
    CONSTANT,
    /** s_t = ½·(1 + cos(π·t/T)): from η down to almost 0 at the end (Loshchilov &amp; Hutter 2017, no restarts). */
    COSINE;

    /** The factor before update t + 1 (t = 0, …, T − 1) of a run of T updates. */
    public double factor(long t, long total) {
        return switch (this) {
            case CONSTANT -> 1.0;
            case COSINE -> 0.5 * (1.0 + Math.cos(Math.PI * Math.min(t, total) / Math.max(1, total)));
        };
    }

    /** Parses "constant" or "cosine" (case-insensitive). */
    public static LearningRateSchedule parse(String s) {
        for (LearningRateSchedule k : values()) {
            if (k.name().equalsIgnoreCase(s.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown schedule '" + s + "'; use constant or cosine");
    }
}
