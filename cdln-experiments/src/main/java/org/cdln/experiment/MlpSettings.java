package org.cdln.experiment;

import java.util.Arrays;
import java.util.List;
import org.cdln.nn.MlpTrainerConfig;
import org.cdln.optim.OptimizerConfig;

/**
 * Validated settings of {@code cdln reproduce mlp} and {@code cdln analyze mlp} (docs/method.md §6): the
 * plain MLP, +DLN and +C-DLN trained with one budget and one seed. Every field has a flag of the
 * same name (blockDepth is {@code --block-depth}, rankHat {@code --rank-hat}, trainLimit
 * {@code --train-limit}, warmupSteps {@code --warmup-steps}), and every message names it, the
 * allowed range and the value given.
 *
 * @param hidden      widths of the ReLU hidden layers; the block has the last one's width w
 * @param blockDepth  L, the linear layers in the block (≥ 2: the C-DLN block is w → r̂ → … → r̂ → w)
 * @param rankHat     r̂, the C-DLN block's inner width, 1 ≤ r̂ ≤ w
 * @param eps         ε &gt; 0, the orthogonal initialisation scale of both blocks
 * @param alpha       α &gt; 0, the step multiplier of the C-DLN block's first layer
 * @param optimizer   optimiser of all variants
 * @param step        step size η &gt; 0
 * @param batch       mini-batch size ≥ 1
 * @param epochs      epochs ≥ 1
 * @param schedule    step-size schedule
 * @param seed        seed of the initialisation (shared layers start equal) and of the batch order
 * @param trainLimit  use only the first n training images (0: all), for quick runs
 * @param warmupSteps untimed steps per variant on a scratch copy before the timed runs (JIT, BLAS threads)
 * @param models      which variants, in order: "mlp", "mlp+dln", "mlp+c-dln"
 */
public record MlpSettings(int[] hidden, int blockDepth, int rankHat, double eps, double alpha,
                          OptimizerConfig.Kind optimizer, double step, int batch, int epochs,
                          org.cdln.optim.LearningRateSchedule schedule, long seed, int trainLimit, int warmupSteps,
                          List<String> models) {
    /** The three variants, in the order they run. */
    public static final List<String> MODELS = List.of("mlp", "mlp+dln", "mlp+c-dln");

    public MlpSettings {
        hidden = hidden.clone();
        if (hidden.length == 0) {
            throw new IllegalArgumentException("--hidden needs at least one width, e.g. 512,512");
        }
        for (int h : hidden) {
            if (h < 1 || h > 16384) {
                throw new IllegalArgumentException("--hidden widths must be in [1, 16384], got " + h);
            }
        }
        int w = hidden[hidden.length - 1];
        if (blockDepth < 2 || blockDepth > 16) {
            throw new IllegalArgumentException("--block-depth must be in [2, 16], got " + blockDepth);
        }
        if (rankHat < 1 || rankHat > w) {
            throw new IllegalArgumentException("--rank-hat must be in [1, " + w + "] (the block width, the last "
                    + "--hidden width), got " + rankHat);
        }
        requirePositive("--eps", eps);
        requirePositive("--alpha", alpha);
        requirePositive("--step", step);
        if (optimizer == null) {
            throw new IllegalArgumentException("--optimizer is required: gd, momentum, adam or rmsprop");
        }
        if (schedule == null) {
            throw new IllegalArgumentException("--schedule is required: constant or cosine");
        }
        if (batch < 1 || batch > 60000) {
            throw new IllegalArgumentException("--batch must be in [1, 60000], got " + batch);
        }
        if (epochs < 1 || epochs > 1000) {
            throw new IllegalArgumentException("--epochs must be in [1, 1000], got " + epochs);
        }
        if (trainLimit < 0) {
            throw new IllegalArgumentException("--train-limit must be ≥ 0 (0 = all images), got " + trainLimit);
        }
        if (warmupSteps < 0 || warmupSteps > 10000) {
            throw new IllegalArgumentException("--warmup-steps must be in [0, 10000], got " + warmupSteps);
        }
        models = List.copyOf(models);
        if (models.isEmpty()) {
            throw new IllegalArgumentException("--models needs at least one of " + String.join(", ", MODELS));
        }
        for (String m : models) {
            if (!MODELS.contains(m)) {
                throw new IllegalArgumentException("--models: unknown model '" + m + "'; use "
                        + String.join(", ", MODELS));
            }
        }
    }

    /**
     * The reference settings (README "Nonlinear networks"): two ReLU layers of 512, a block of
     * depth 3, r̂ = 20 = 2·(10 classes), ε = 0.1, α = 4, Adam η = 1e-3 with a cosine schedule,
     * batches of 128, 10 epochs, seed 0.
     */
    public static MlpSettings defaults() {
        return new MlpSettings(new int[] {512, 512}, 3, 20, 0.1, 4.0, OptimizerConfig.Kind.ADAM, 1e-3, 128, 10,
                org.cdln.optim.LearningRateSchedule.COSINE, 0, 0, 20, MODELS);
    }

    private static void requirePositive(String flag, double v) {
        if (!(v > 0.0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(flag + " must be a finite number > 0, got " + v);
        }
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    /** The block's width w, the last hidden width. */
    public int width() {
        return hidden[hidden.length - 1];
    }

    /** The trainer settings every variant shares. */
    public MlpTrainerConfig trainerConfig() {
        return new MlpTrainerConfig(OptimizerConfig.of(optimizer, step), batch, epochs, seed, 1000, schedule);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MlpSettings s && Arrays.equals(hidden, s.hidden) && blockDepth == s.blockDepth
                && rankHat == s.rankHat && Double.compare(eps, s.eps) == 0 && Double.compare(alpha, s.alpha) == 0
                && optimizer == s.optimizer && Double.compare(step, s.step) == 0 && batch == s.batch
                && epochs == s.epochs && schedule == s.schedule && seed == s.seed && trainLimit == s.trainLimit
                && warmupSteps == s.warmupSteps && models.equals(s.models);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hidden) * 31 + java.util.Objects.hash(blockDepth, rankHat, eps, alpha, optimizer, step,
                batch, epochs, schedule, seed, trainLimit, warmupSteps, models);
    }

    @Override
    public String toString() {
        return "MlpSettings[hidden=" + Arrays.toString(hidden) + ", blockDepth=" + blockDepth + ", rankHat=" + rankHat
                + ", eps=" + eps + ", alpha=" + alpha + ", optimizer=" + optimizer + ", step=" + step + ", batch="
                + batch + ", epochs=" + epochs + ", schedule=" + schedule + ", seed=" + seed + ", trainLimit="
                + trainLimit + ", warmupSteps=" + warmupSteps + ", models=" + models + "]";
    }
}
