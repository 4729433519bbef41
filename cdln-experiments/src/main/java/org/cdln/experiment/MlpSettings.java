package org.cdln.experiment;

import java.util.Arrays;
import java.util.List;
import org.cdln.nn.MlpTrainerConfig;
import org.cdln.optim.OptimizerConfig;
import org.cdln.settings.InvalidSettingException;
import org.cdln.settings.Rule;
import org.cdln.settings.Schema;
import org.cdln.settings.Setting;
import org.cdln.settings.Settings;

/**
 * Validated settings of the MLP experiments (docs/method.md §6): the plain MLP, +DLN and +C-DLN
 * trained with one budget and one seed. Each setting is declared once below ({@link #SCHEMA}:
 * name, description, allowed values, default) and the record is its typed view: the compact
 * constructor validates every value through its declaration and then r̂ against the block width;
 * a refused value raises an {@link InvalidSettingException} naming the setting, the allowed range
 * and the value (front ends map the setting to their own name for it).
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
 * @param trainLimit  use only the first n ≥ 1 training images, for quick runs; 0 when the declared
 *                    setting is auto (every image)
 * @param warmupSteps untimed steps per variant on a scratch copy before the timed runs (JIT, BLAS threads)
 * @param models      which variants, in order: "mlp", "mlp+dln", "mlp+c-dln"
 */
public record MlpSettings(int[] hidden, int blockDepth, int rankHat, double eps, double alpha,
                          OptimizerConfig.Kind optimizer, double step, int batch, int epochs,
                          org.cdln.optim.LearningRateSchedule schedule, long seed, int trainLimit, int warmupSteps,
                          List<String> models) {
    /** The three variants, in the order they run. */
    public static final List<String> MODELS = List.of("mlp", "mlp+dln", "mlp+c-dln");

    /**
     * The declarations, in one place, with the reference settings as defaults (README "Nonlinear
     * networks"): two ReLU layers of 512, a block of depth 3, r̂ = 20 = 2·(10 classes), ε = 0.1,
     * α = 4, Adam η = 1e-3 with a cosine schedule, batches of 128, 10 epochs, seed 0.
     */
    public static final Schema SCHEMA = new Schema("MLP experiment", 1);

    /** Hidden widths. */
    public static final Setting<List<Integer>> HIDDEN = SCHEMA.add(Setting.ofList("hidden", "hidden",
            "ReLU hidden widths; the block has the last width.", Integer::valueOf,
            new Rule<>(l -> !l.isEmpty() && l.stream().allMatch(h -> h >= 1 && h <= 16384),
                    "comma-separated widths in [1, 16384], e.g. 512,512"), List.of(512, 512)));
    /** Depth of the linear block. */
    public static final Setting<Integer> BLOCK_DEPTH = SCHEMA.add(Setting.ofInt("blockDepth", "blockDepth",
            "Linear layers in the DLN and C-DLN blocks.", Rule.between(2, 16), 3));
    /** Inner width r̂ of the C-DLN block. */
    public static final Setting<Integer> RANK_HAT = SCHEMA.add(Setting.ofInt("rankHat", "rankHat r̂",
            "C-DLN block inner width r̂ (20 = 2 × 10 classes).",
            new Rule<>(v -> true, "in [1, w], w the last hidden width"), 20));
    /** Initialisation scale ε. */
    public static final Setting<Double> EPS = SCHEMA.add(Setting.ofDouble("eps", "eps ε",
            "Orthogonal init scale ε of both blocks.", Rule.positive(), 0.1));
    /** Step multiplier α. */
    public static final Setting<Double> ALPHA = SCHEMA.add(Setting.ofDouble("alpha", "alpha α",
            "Step multiplier α of the C-DLN block's first layer.", Rule.positive(), 4.0));
    /** Optimiser. */
    public static final Setting<OptimizerConfig.Kind> OPTIMIZER = SCHEMA.add(Setting.ofEnum("optimizer", "optimizer",
            "Optimiser of every variant.", OptimizerConfig.Kind.class, OptimizerConfig.Kind::parse,
            OptimizerConfig.Kind.ADAM));
    /** Step size η. */
    public static final Setting<Double> STEP_SIZE = SCHEMA.add(Setting.ofDouble("stepSize", "stepSize η",
            "Step size η.", Rule.positive(), 1e-3));
    /** Mini-batch size. */
    public static final Setting<Integer> BATCH = SCHEMA.add(Setting.ofInt("batch", "batch",
            "Mini-batch size.", Rule.between(1, 60000), 128));
    /** Epochs. */
    public static final Setting<Integer> EPOCHS = SCHEMA.add(Setting.ofInt("epochs", "epochs",
            "Epochs.", Rule.between(1, 1000), 10));
    /** Step-size schedule. */
    public static final Setting<org.cdln.optim.LearningRateSchedule> SCHEDULE = SCHEMA.add(Setting.ofEnum("schedule",
            "schedule", "Step-size schedule.", org.cdln.optim.LearningRateSchedule.class,
            org.cdln.optim.LearningRateSchedule::parse, org.cdln.optim.LearningRateSchedule.COSINE));
    /** Seed. */
    public static final Setting<Long> SEED = SCHEMA.add(Setting.ofLong("seed", "seed",
            "Seed of the initialisation and the batch order.", Rule.any("a whole number"), 0));
    /** Training images used. */
    public static final Setting<Integer> TRAIN_LIMIT = SCHEMA.add(Setting.ofIntOrAuto("trainLimit", "trainLimit",
            "Train on the first N images only; auto: every image.", Rule.atLeast(1)));
    /** Warm-up steps. */
    public static final Setting<Integer> WARMUP_STEPS = SCHEMA.add(Setting.ofInt("warmupSteps", "warmupSteps",
            "Untimed warm-up steps per model before the timed runs.", Rule.between(0, 10000), 20));
    /** Variants. */
    public static final Setting<List<String>> VARIANTS = SCHEMA.add(Setting.ofList("models", "models",
            "Which variants, in order.", String::trim, new Rule<>(l -> !l.isEmpty() && MODELS.containsAll(l),
                    "one or more of " + String.join(", ", MODELS)), MODELS));

    public MlpSettings {
        hidden = hidden.clone();
        HIDDEN.check(Arrays.stream(hidden).boxed().toList());
        int w = hidden[hidden.length - 1];
        BLOCK_DEPTH.check(blockDepth);
        if (rankHat < 1 || rankHat > w) {
            throw new InvalidSettingException(RANK_HAT, "rankHat r̂ must be in [1, " + w + "] (the block width, the "
                    + "last hidden width), got " + rankHat);
        }
        EPS.check(eps);
        ALPHA.check(alpha);
        STEP_SIZE.check(step);
        OPTIMIZER.check(optimizer);
        SCHEDULE.check(schedule);
        BATCH.check(batch);
        EPOCHS.check(epochs);
        if (trainLimit != 0) {
            TRAIN_LIMIT.check(trainLimit);
        }
        WARMUP_STEPS.check(warmupSteps);
        models = List.copyOf(models);
        VARIANTS.check(models);
    }

    /** The reference settings: every declared default. */
    public static MlpSettings defaults() {
        return of(SCHEMA.defaults());
    }

    /**
     * The settings given as declared values (auto trainLimit: every image).
     *
     * @throws InvalidSettingException naming the setting whose value is refused
     */
    public static MlpSettings of(Settings s) {
        return new MlpSettings(s.get(HIDDEN).stream().mapToInt(Integer::intValue).toArray(), s.get(BLOCK_DEPTH),
                s.get(RANK_HAT), s.get(EPS), s.get(ALPHA), s.get(OPTIMIZER), s.get(STEP_SIZE), s.get(BATCH),
                s.get(EPOCHS), s.get(SCHEDULE), s.get(SEED), s.given(TRAIN_LIMIT).orElse(0), s.get(WARMUP_STEPS),
                s.get(VARIANTS));
    }

    /** These values as declared settings. */
    public Settings settings() {
        return SCHEMA.defaults().with(HIDDEN, Arrays.stream(hidden).boxed().toList()).with(BLOCK_DEPTH, blockDepth)
                .with(RANK_HAT, rankHat).with(EPS, eps).with(ALPHA, alpha).with(OPTIMIZER, optimizer)
                .with(STEP_SIZE, step).with(BATCH, batch).with(EPOCHS, epochs).with(SCHEDULE, schedule)
                .with(SEED, seed).with(TRAIN_LIMIT, trainLimit == 0 ? Setting.AUTO : trainLimit)
                .with(WARMUP_STEPS, warmupSteps).with(VARIANTS, models);
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
