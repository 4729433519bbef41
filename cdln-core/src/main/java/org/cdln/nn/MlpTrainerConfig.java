package org.cdln.nn;

import org.cdln.optim.LearningRateSchedule;
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
                               LearningRateSchedule schedule) {

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
        return new MlpTrainerConfig(OptimizerConfig.adam(eta), batchSize, epochs, seed, 1000, LearningRateSchedule.CONSTANT);
    }

    /** The same settings with another number of epochs. */
    public MlpTrainerConfig withEpochs(int e) {
        return new MlpTrainerConfig(optimizer, batchSize, e, seed, evalBatchSize, schedule);
    }

    /** The same settings with another schedule. */
    public MlpTrainerConfig withSchedule(LearningRateSchedule s) {
        return new MlpTrainerConfig(optimizer, batchSize, epochs, seed, evalBatchSize, s);
    }
}
