package org.cdln.nn;

import org.cdln.optim.OptimizerConfig;

/**
 * Validated settings of {@link MlpTrainer}.
 *
 * @param optimizer     the optimiser (SGD with momentum, Adam, …) and its step size η
 * @param batchSize     images per step B ≥ 1 (the last, smaller batch of an epoch is used, not dropped)
 * @param epochs        passes over the training set ≥ 1
 * @param seed          seed of the per-epoch shuffles (the same seed gives every variant the same batches)
 * @param evalBatchSize images per forward pass when evaluating ≥ 1
 * @param schedule      how the step size evolves over the run
 */
public record MlpTrainerConfig(OptimizerConfig optimizer, int batchSize, int epochs, long seed, int evalBatchSize,
                               Schedule schedule) {

    /** Learning-rate schedules: the factor s_t on η before update t + 1 of T. */
    public enum Schedule {
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
        public static Schedule parse(String s) {
            for (Schedule k : values()) {
                if (k.name().equalsIgnoreCase(s.trim())) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown schedule '" + s + "'; use constant or cosine");
        }
    }

    public MlpTrainerConfig {
        if (schedule == null) {
            throw new IllegalArgumentException("a schedule is required (constant or cosine)");
        }
        if (optimizer == null) {
            throw new IllegalArgumentException("an optimizer is required");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be ≥ 1, got " + batchSize);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be ≥ 1, got " + epochs);
        }
        if (evalBatchSize < 1) {
            throw new IllegalArgumentException("evaluation batch size must be ≥ 1, got " + evalBatchSize);
        }
    }

    /** Adam with step η, a constant schedule, the given batch size, epochs and seed; evaluation in batches of 1000. */
    public static MlpTrainerConfig adam(double eta, int batchSize, int epochs, long seed) {
        return new MlpTrainerConfig(OptimizerConfig.adam(eta), batchSize, epochs, seed, 1000, Schedule.CONSTANT);
    }

    /** The same settings with another number of epochs. */
    public MlpTrainerConfig withEpochs(int e) {
        return new MlpTrainerConfig(optimizer, batchSize, e, seed, evalBatchSize, schedule);
    }

    /** The same settings with another schedule. */
    public MlpTrainerConfig withSchedule(Schedule s) {
        return new MlpTrainerConfig(optimizer, batchSize, epochs, seed, evalBatchSize, s);
    }
}
