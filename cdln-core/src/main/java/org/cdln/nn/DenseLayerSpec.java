package org.cdln.nn;

import org.cdln.model.Initialization;

/**
 * One dense layer a = act(W·h + b) of an {@link MlpArchitecture}: W is out×in, b (optional) out×1.
 *
 * @param name       e.g. "hidden1", "block2", "output"
 * @param in         input width ≥ 1
 * @param out        output width ≥ 1
 * @param bias       whether the layer has a bias b (the linear block's layers have none)
 * @param activation RELU for hidden layers, IDENTITY for the block and the logits
 * @param init       how W starts
 * @param initScale  ε for {@link Initialization#ORTH}, a gain for the others (&gt; 0)
 * @param rate       the layer's step multiplier m_l: it steps with η·m_l (α on the C-DLN block's first layer)
 * @param inBlock    whether it belongs to the linear (DLN or C-DLN) block
 */
public record DenseLayerSpec(String name, int in, int out, boolean bias, Activation activation, Initialization init,
                             double initScale, double rate, boolean inBlock) {
    public DenseLayerSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a layer needs a name");
        }
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("layer " + name + ": widths must be ≥ 1, got " + out + "×" + in);
        }
        if (activation == null || init == null) {
            throw new IllegalArgumentException("layer " + name + ": activation and init are required");
        }
        if (!(initScale > 0) || !Double.isFinite(initScale)) {
            throw new IllegalArgumentException("layer " + name + ": init scale must be a finite number > 0, got "
                    + initScale);
        }
        if (!(rate > 0) || !Double.isFinite(rate)) {
            throw new IllegalArgumentException("layer " + name + ": rate multiplier must be a finite number > 0, got "
                    + rate);
        }
    }

    /** Trainable parameters: out·in, plus out for the bias. */
    public long parameters() {
        return (long) out * in + (bias ? out : 0);
    }
}
