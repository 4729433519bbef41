package org.cdln.optim;

import org.cdln.linalg.Matrix;
import org.cdln.linalg.Parallel;

/**
 * A first-order optimiser over a fixed list of parameter matrices.
 *
 * <p>Lifecycle: {@link #create} allocates all state (momentum traces, moment estimates) for the
 * given shapes once; each {@link #step} then updates the parameters in place from gradients of
 * the same shapes, allocating nothing. State persists across steps; an optimiser serves one
 * parameter list. Not thread-safe.
 */
public abstract class Optimizer {
    protected final OptimizerConfig config;
    protected final double[] multipliers;
    protected long steps;
    private double rateScale = 1.0;

    protected Optimizer(OptimizerConfig config, double[] multipliers) {
        this.config = config;
        this.multipliers = multipliers.clone();
        for (double m : multipliers) {
            LayerRates.requireMultiplier("layer rate multiplier", m);
        }
    }

    /**
     * An optimiser for parameters shaped like {@code params}, with per-layer multipliers (one per
     * parameter matrix).
     */
    public static Optimizer create(OptimizerConfig config, Matrix[] params, double[] multipliers) {
        if (multipliers.length != params.length) {
            throw new IllegalArgumentException(multipliers.length + " rate multipliers for " + params.length
                    + " layers; give one per layer");
        }
        return switch (config.kind()) {
            case GD -> new GradientDescent(config, multipliers);
            case MOMENTUM -> new HeavyBall(config, params, multipliers);
            case ADAM -> new Adam(config, params, multipliers);
            case RMSPROP -> new RmsProp(config, params, multipliers);
        };
    }

    /**
     * Sets a global factor s on every layer's rate (W_l ← W_l − s·η·m_l·u_l) from the next step on,
     * for learning-rate schedules; 1 by default. The optimiser's state is kept. Modifies this optimiser.
     *
     * @throws IllegalArgumentException unless s is finite and ≥ 0
     */
    public void setRateScale(double s) {
        if (!(s >= 0.0) || !Double.isFinite(s)) {
            throw new IllegalArgumentException("rate scale must be a finite number ≥ 0, got " + s);
        }
        rateScale = s;
    }

    /** The current global rate factor (1 unless a schedule set it). */
    public double rateScale() {
        return rateScale;
    }

    /** The settings. */
    public OptimizerConfig config() {
        return config;
    }

    /** Steps taken so far. */
    public long steps() {
        return steps;
    }

    /** The per-layer multipliers (a copy). */
    public double[] multipliers() {
        return multipliers.clone();
    }

    /**
     * Least number of parameters whose update is split over cdln's threads: below it, handing half
     * the update to another thread costs more than it saves (the update reads and writes a few
     * arrays once, memory-bound).
     */
    public static final long SPLIT_MIN_PARAMETERS = 1L << 17;

    /**
     * Updates every params[l] in place from grads[l]; grads may be modified as scratch. The
     * update is element by element, so when the parameters are many and cdln runs several
     * threads ({@link Parallel#threads()}) each thread updates its share of every layer — the same
     * numbers as one thread. One thread allocates nothing.
     */
    public final void step(Matrix[] params, Matrix[] grads) {
        steps++;
        long total = 0;
        for (Matrix p : params) {
            total += p.size();
        }
        int parts = total >= SPLIT_MIN_PARAMETERS ? Parallel.threads() : 1;
        if (parts <= 1) {
            updateRange(params, grads, 0, 1);
        } else {
            Parallel.forParts(parts, parts, (part, from, to) -> updateRange(params, grads, part, parts));
        }
    }

    /** Share {@code part} of {@code parts} of every layer's update. */
    private void updateRange(Matrix[] params, Matrix[] grads, int part, int parts) {
        for (int l = 0; l < params.length; l++) {
            double[] w = params[l].data();
            int from = (int) ((long) part * w.length / parts);
            int to = (int) ((long) (part + 1) * w.length / parts);
            update(l, w, grads[l].data(), config.stepSize() * multipliers[l] * rateScale, from, to);
        }
    }

    /** Updates entries [from, to) of one layer with effective rate η·m_l. */
    protected abstract void update(int layer, double[] w, double[] g, double rate, int from, int to);

    /**
     * Restores state saved from {@link #state()} and the step count (for resuming a run).
     *
     * @throws IllegalArgumentException when the arrays do not match this optimiser's shapes
     */
    public void restore(double[][] saved, long stepCount) {
        double[][] live = state();
        if (saved.length != live.length) {
            throw new IllegalArgumentException("checkpoint holds " + saved.length + " optimizer state arrays, "
                    + config.kind() + " needs " + live.length + "; resume with the same optimizer");
        }
        for (int i = 0; i < live.length; i++) {
            if (saved[i].length != live[i].length) {
                throw new IllegalArgumentException("optimizer state array " + i + " has " + saved[i].length
                        + " entries, expected " + live[i].length + "; resume with the same network shape");
            }
            System.arraycopy(saved[i], 0, live[i], 0, live[i].length);
        }
        this.steps = stepCount;
    }

    /** The optimiser's internal state arrays, in a fixed order, for checkpoints (live, not copies). */
    public abstract double[][] state();

    static double[][] zerosLike(Matrix[] params) {
        double[][] s = new double[params.length][];
        for (int l = 0; l < params.length; l++) {
            s[l] = new double[params[l].size()];
        }
        return s;
    }

    /** W ← W − rate·g. */
    static final class GradientDescent extends Optimizer {
        GradientDescent(OptimizerConfig c, double[] m) {
            super(c, m);
        }

        @Override
        protected void update(int layer, double[] w, double[] g, double rate, int from, int to) {
            for (int k = from; k < to; k++) {
                w[k] -= rate * g[k];
            }
        }

        @Override
        public double[][] state() {
            return new double[0][];
        }
    }

    /** trace ← g + β·trace; W ← W − rate·trace. */
    static final class HeavyBall extends Optimizer {
        private final double[][] trace;

        HeavyBall(OptimizerConfig c, Matrix[] p, double[] m) {
            super(c, m);
            trace = zerosLike(p);
        }

        @Override
        protected void update(int layer, double[] w, double[] g, double rate, int from, int to) {
            double[] t = trace[layer];
            double beta = config.momentum();
            for (int k = from; k < to; k++) {
                t[k] = g[k] + beta * t[k];
                w[k] -= rate * t[k];
            }
        }

        @Override
        public double[][] state() {
            return trace;
        }
    }

    /** Adam with bias correction (Kingma &amp; Ba 2015, optax defaults). */
    static final class Adam extends Optimizer {
        private final double[][] first;
        private final double[][] second;

        Adam(OptimizerConfig c, Matrix[] p, double[] m) {
            super(c, m);
            first = zerosLike(p);
            second = zerosLike(p);
        }

        @Override
        protected void update(int layer, double[] w, double[] g, double rate, int from, int to) {
            double b1 = config.beta1();
            double b2 = config.beta2();
            double eps = config.epsilon();
            double c1 = 1.0 - Math.pow(b1, steps);
            double c2 = 1.0 - Math.pow(b2, steps);
            double[] mo = first[layer];
            double[] v = second[layer];
            for (int k = from; k < to; k++) {
                mo[k] = b1 * mo[k] + (1.0 - b1) * g[k];
                v[k] = b2 * v[k] + (1.0 - b2) * g[k] * g[k];
                w[k] -= rate * (mo[k] / c1) / (Math.sqrt(v[k] / c2) + eps);
            }
        }

        @Override
        public double[][] state() {
            double[][] s = new double[first.length * 2][];
            System.arraycopy(first, 0, s, 0, first.length);
            System.arraycopy(second, 0, s, first.length, second.length);
            return s;
        }
    }

    /** ν ← ρ·ν + (1 − ρ)·g²; W ← W − rate·g/√(ν + ε) (optax's scale_by_rms). */
    static final class RmsProp extends Optimizer {
        private final double[][] nu;

        RmsProp(OptimizerConfig c, Matrix[] p, double[] m) {
            super(c, m);
            nu = zerosLike(p);
        }

        @Override
        protected void update(int layer, double[] w, double[] g, double rate, int from, int to) {
            double rho = config.decay();
            double eps = config.epsilon();
            double[] v = nu[layer];
            for (int k = from; k < to; k++) {
                v[k] = rho * v[k] + (1.0 - rho) * g[k] * g[k];
                w[k] -= rate * g[k] / Math.sqrt(v[k] + eps);
            }
        }

        @Override
        public double[][] state() {
            return nu;
        }
    }
}
