package org.cdln.optim;

import java.util.Arrays;

/**
 * Per-layer step multipliers m_1..m_L: layer l steps with η·m_l.
 *
 * <p>The discrepant learning rate of the compressed network (docs/method.md §3 step 4) is
 * m = (α, 1, …, 1, α): the outer layers W1 and WL, which carry the singular subspaces, move α
 * times faster than the inner ones. For depth 2 both layers are outer and step with η·α.
 */
public final class LayerRates {
    private LayerRates() {
    }

    /** (1, …, 1). */
    public static double[] uniform(int depth) {
        requireDepth(depth);
        double[] m = new double[depth];
        Arrays.fill(m, 1.0);
        return m;
    }

    /** (α, 1, …, 1, α), the discrepant rate. */
    public static double[] discrepant(int depth, double alpha) {
        requireDepth(depth);
        requireMultiplier("alpha", alpha);
        double[] m = uniform(depth);
        m[0] = alpha;
        m[depth - 1] = alpha;
        return m;
    }

    /** Checks that a multiplier is finite and positive. */
    public static void requireMultiplier(String name, double v) {
        if (!(v > 0.0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be a finite number > 0, got " + v);
        }
    }

    private static void requireDepth(int depth) {
        if (depth < 2) {
            throw new IllegalArgumentException("depth must be ≥ 2, got " + depth);
        }
    }
}
