package org.cdln.train;

import java.util.Arrays;
import org.cdln.optim.LayerRates;
import org.cdln.optim.LearningRateSchedule;
import org.cdln.optim.OptimizerConfig;

/**
 * Validated training settings: full-batch steps of one optimiser with per-layer rates, stopped
 * by a step budget or a training-loss tolerance, evaluated every k steps.
 *
 * @param maxSteps          step budget ≥ 0
 * @param tolerance         stop as soon as the training loss is below this (0 disables)
 * @param evalEvery         evaluate (train loss, recovery error, time) every k ≥ 1 steps
 * @param optimizer         optimiser settings (η, kind)
 * @param layerRates        per-layer multipliers m_1..m_L, or null for all ones
 * @param divergenceFactor  stop with {@link DivergenceException} when the loss exceeds this
 *                          multiple of the initial loss or is not finite (0 disables; default 1e6)
 * @param schedule          the learning-rate schedule over the step budget (constant by default)
 */
public record TrainerConfig(long maxSteps, double tolerance, int evalEvery, OptimizerConfig optimizer,
                            double[] layerRates, double divergenceFactor, LearningRateSchedule schedule) {

    /** Default divergence factor: a 10⁶-fold loss increase. */
    public static final double DEFAULT_DIVERGENCE_FACTOR = 1e6;

    /** Settings with a constant learning rate. */
    public TrainerConfig(long maxSteps, double tolerance, int evalEvery, OptimizerConfig optimizer,
                         double[] layerRates, double divergenceFactor) {
        this(maxSteps, tolerance, evalEvery, optimizer, layerRates, divergenceFactor, LearningRateSchedule.CONSTANT);
    }

    public TrainerConfig {
        if (schedule == null) {
            throw new IllegalArgumentException("a learning-rate schedule is required (constant or cosine)");
        }
        if (maxSteps < 0) {
            throw new IllegalArgumentException("steps must be ≥ 0, got " + maxSteps);
        }
        if (!(tolerance >= 0.0) || !Double.isFinite(tolerance)) {
            throw new IllegalArgumentException("tolerance must be a finite number ≥ 0, got " + tolerance);
        }
        if (evalEvery < 1) {
            throw new IllegalArgumentException("evalEvery must be ≥ 1, got " + evalEvery);
        }
        if (optimizer == null) {
            throw new IllegalArgumentException("an optimizer configuration is required");
        }
        if (layerRates != null) {
            layerRates = layerRates.clone();
            for (double m : layerRates) {
                LayerRates.requireMultiplier("layer rate multiplier", m);
            }
        }
        if (!(divergenceFactor == 0.0 || divergenceFactor > 1.0)) {
            throw new IllegalArgumentException("divergence factor must be 0 (off) or > 1, got " + divergenceFactor);
        }
    }

    /** GD with step η, uniform rates, the given budget, tolerance and evaluation interval. */
    public static TrainerConfig gd(double stepSize, long maxSteps, double tolerance, int evalEvery) {
        return new TrainerConfig(maxSteps, tolerance, evalEvery, OptimizerConfig.gd(stepSize), null,
                DEFAULT_DIVERGENCE_FACTOR);
    }

    /** The same settings with per-layer multipliers. */
    public TrainerConfig withLayerRates(double[] rates) {
        return new TrainerConfig(maxSteps, tolerance, evalEvery, optimizer, rates, divergenceFactor, schedule);
    }

    /** The same settings with another optimiser. */
    public TrainerConfig withOptimizer(OptimizerConfig o) {
        return new TrainerConfig(maxSteps, tolerance, evalEvery, o, layerRates, divergenceFactor, schedule);
    }

    /** The same settings with another budget. */
    public TrainerConfig withMaxSteps(long steps) {
        return new TrainerConfig(steps, tolerance, evalEvery, optimizer, layerRates, divergenceFactor, schedule);
    }

    /** The same settings with another learning-rate schedule. */
    public TrainerConfig withSchedule(LearningRateSchedule s) {
        return new TrainerConfig(maxSteps, tolerance, evalEvery, optimizer, layerRates, divergenceFactor, s);
    }

    /** The multipliers for a network of this depth (all ones when none were set). */
    public double[] ratesFor(int depth) {
        if (layerRates == null) {
            return LayerRates.uniform(depth);
        }
        if (layerRates.length != depth) {
            throw new IllegalArgumentException(layerRates.length + " layer rates given for a depth-" + depth
                    + " network; give one per layer");
        }
        return layerRates.clone();
    }

    /** The largest multiplier on the outer layers (α for the discrepant rate), 1 when uniform. */
    public double alpha() {
        if (layerRates == null) {
            return 1.0;
        }
        return Math.max(layerRates[0], layerRates[layerRates.length - 1]);
    }

    @Override
    public double[] layerRates() {
        return layerRates == null ? null : layerRates.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainerConfig t && maxSteps == t.maxSteps && tolerance == t.tolerance
                && evalEvery == t.evalEvery && optimizer.equals(t.optimizer)
                && Arrays.equals(layerRates, t.layerRates) && divergenceFactor == t.divergenceFactor
                && schedule == t.schedule;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(maxSteps) * 31 + Arrays.hashCode(layerRates) + optimizer.hashCode();
    }

    @Override
    public String toString() {
        return "TrainerConfig[steps=" + maxSteps + ", tol=" + tolerance + ", evalEvery=" + evalEvery + ", "
                + optimizer + ", rates=" + Arrays.toString(layerRates) + ", divergence=" + divergenceFactor
                + (schedule == LearningRateSchedule.CONSTANT ? "" : ", schedule=" + schedule) + "]";
    }
}
