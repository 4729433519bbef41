package org.cdln.optim;

/**
 * Validated optimiser settings. The update of layer l is W_l ← W_l − η·m_l·u_l(g), where g is the
 * gradient, m_l the layer's rate multiplier ({@link LayerRates}) and u_l the optimiser's
 * direction, following optax: GD u = g; heavy-ball u = trace, trace ← g + β·trace; Adam u = m̂/(√v̂ + ε);
 * RMSprop u = g/√(ν + ε), ν ← ρ·ν + (1 − ρ)·g².
 *
 * @param kind     which optimiser
 * @param stepSize η &gt; 0
 * @param momentum β ∈ [0, 1) for heavy-ball
 * @param beta1    Adam's first-moment decay ∈ [0, 1)
 * @param beta2    Adam's second-moment decay ∈ [0, 1)
 * @param epsilon  Adam/RMSprop stabiliser &gt; 0
 * @param decay    RMSprop's ρ ∈ [0, 1)
 */
public record OptimizerConfig(Kind kind, double stepSize, double momentum, double beta1, double beta2,
                              double epsilon, double decay) {

    /** The optimisers on offer. */
    public enum Kind {
        GD, MOMENTUM, ADAM, RMSPROP;

        /** Parses gd, momentum, adam or rmsprop (case-insensitive). */
        public static Kind parse(String s) {
            for (Kind k : values()) {
                if (k.name().equalsIgnoreCase(s.trim())) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown optimizer '" + s + "'; use gd, momentum, adam or rmsprop");
        }
    }

    public OptimizerConfig {
        if (kind == null) {
            throw new IllegalArgumentException("optimizer kind is required");
        }
        if (!(stepSize > 0.0) || !Double.isFinite(stepSize)) {
            throw new IllegalArgumentException("step size η must be a finite number > 0, got " + stepSize);
        }
        requireUnit("momentum", momentum);
        requireUnit("beta1", beta1);
        requireUnit("beta2", beta2);
        requireUnit("decay", decay);
        if (!(epsilon > 0.0)) {
            throw new IllegalArgumentException("epsilon must be > 0, got " + epsilon);
        }
    }

    private static void requireUnit(String name, double v) {
        if (!(v >= 0.0 && v < 1.0)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + v);
        }
    }

    /** Plain gradient descent with step η. */
    public static OptimizerConfig gd(double stepSize) {
        return new OptimizerConfig(Kind.GD, stepSize, 0.0, 0.9, 0.999, 1e-8, 0.9);
    }

    /** Heavy-ball momentum with step η and β = 0.9 (optax's sgd with momentum). */
    public static OptimizerConfig momentum(double stepSize) {
        return new OptimizerConfig(Kind.MOMENTUM, stepSize, 0.9, 0.9, 0.999, 1e-8, 0.9);
    }

    /** Adam with step η, β1 = 0.9, β2 = 0.999, ε = 1e-8. */
    public static OptimizerConfig adam(double stepSize) {
        return new OptimizerConfig(Kind.ADAM, stepSize, 0.0, 0.9, 0.999, 1e-8, 0.9);
    }

    /** RMSprop with step η, ρ = 0.9, ε = 1e-8. */
    public static OptimizerConfig rmsprop(double stepSize) {
        return new OptimizerConfig(Kind.RMSPROP, stepSize, 0.0, 0.9, 0.999, 1e-8, 0.9);
    }

    /** The default settings of a kind with step η. */
    public static OptimizerConfig of(Kind kind, double stepSize) {
        return switch (kind) {
            case GD -> gd(stepSize);
            case MOMENTUM -> momentum(stepSize);
            case ADAM -> adam(stepSize);
            case RMSPROP -> rmsprop(stepSize);
        };
    }

    /** The same settings with another step size. */
    public OptimizerConfig withStepSize(double eta) {
        return new OptimizerConfig(kind, eta, momentum, beta1, beta2, epsilon, decay);
    }
}
