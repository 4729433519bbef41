package org.cdln.nn;

import org.cdln.model.Initialization;

import java.util.ArrayList;
import java.util.List;

/**
 * The layers of a multilayer perceptron classifier, input to logits; softmax cross-entropy is
 * applied to the last layer's output (docs/method.md §6).
 *
 * <p>The three variants of the paper's nonlinear experiment share the ReLU hidden layers and the
 * output layer and differ only in a linear block inserted just before the output layer:
 * <ul>
 *   <li>{@link #plain}: in → h_1 → … → h_k (ReLU) → classes;</li>
 *   <li>{@link #withDlnBlock} (+DLN): L bias-free linear layers w×w after h_k = w, no nonlinearity
 *       inside, orthogonal at scale ε;</li>
 *   <li>{@link #withCdlnBlock} (+C-DLN): the block narrowed to w → r̂ → … → r̂ → w, orthogonal at
 *       scale ε, its first layer stepping α times faster.</li>
 * </ul>
 *
 * @param name   e.g. "mlp", "mlp+dln", "mlp+c-dln"
 * @param layers the dense layers in order; consecutive widths must agree, the last one is linear
 */
public record MlpArchitecture(String name, List<DenseLayerSpec> layers) {
    public MlpArchitecture {
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("an MLP needs at least one layer");
        }
        for (int l = 1; l < layers.size(); l++) {
            if (layers.get(l).in() != layers.get(l - 1).out()) {
                throw new IllegalArgumentException("layer " + layers.get(l).name() + " takes " + layers.get(l).in()
                        + " inputs but layer " + layers.get(l - 1).name() + " gives " + layers.get(l - 1).out());
            }
        }
        if (layers.get(layers.size() - 1).activation() != Activation.IDENTITY) {
            throw new IllegalArgumentException("the last layer gives the logits and must be linear (IDENTITY)");
        }
        if (layers.get(layers.size() - 1).out() < 2) {
            throw new IllegalArgumentException("a classifier needs ≥ 2 classes, got "
                    + layers.get(layers.size() - 1).out());
        }
    }

    /** The plain ReLU MLP: He-initialised hidden layers with biases, a Glorot-initialised output layer. */
    public static MlpArchitecture plain(int inputs, int[] hidden, int classes) {
        return new MlpArchitecture("mlp", build(inputs, hidden, classes, List.of()));
    }

    /**
     * +DLN: {@code depth} linear layers w×w (w = the last hidden width), no bias, orthogonal at scale
     * ε, inserted before the output layer. Adds depth·w² parameters.
     */
    public static MlpArchitecture withDlnBlock(int inputs, int[] hidden, int classes, int depth, double eps) {
        requireHidden(hidden);
        requireBlockDepth(depth, 1);
        int w = hidden[hidden.length - 1];
        List<DenseLayerSpec> block = new ArrayList<>();
        for (int l = 1; l <= depth; l++) {
            block.add(blockLayer(l, w, w, eps, 1.0));
        }
        return new MlpArchitecture("mlp+dln", build(inputs, hidden, classes, block));
    }

    /**
     * +C-DLN: {@code depth} linear layers w → r̂ → … → r̂ → w (depth 3: r̂×w, r̂×r̂, w×r̂), no bias,
     * orthogonal at scale ε, the first one stepping with α·η. Adds 2·w·r̂ + (depth − 2)·r̂² parameters.
     */
    public static MlpArchitecture withCdlnBlock(int inputs, int[] hidden, int classes, int depth, int rankHat,
                                                double eps, double alpha) {
        requireHidden(hidden);
        requireBlockDepth(depth, 2);
        int w = hidden[hidden.length - 1];
        if (rankHat < 1 || rankHat > w) {
            throw new IllegalArgumentException("rank-hat r̂ must be in [1, " + w + "] (the block width), got " + rankHat);
        }
        List<DenseLayerSpec> block = new ArrayList<>();
        for (int l = 1; l <= depth; l++) {
            int in = l == 1 ? w : rankHat;
            int out = l == depth ? w : rankHat;
            block.add(blockLayer(l, out, in, eps, l == 1 ? alpha : 1.0));
        }
        return new MlpArchitecture("mlp+c-dln", build(inputs, hidden, classes, block));
    }

    private static DenseLayerSpec blockLayer(int l, int out, int in, double eps, double rate) {
        return new DenseLayerSpec("block" + l, in, out, false, Activation.IDENTITY, Initialization.ORTH, eps, rate, true);
    }

    private static List<DenseLayerSpec> build(int inputs, int[] hidden, int classes, List<DenseLayerSpec> block) {
        if (inputs < 1) {
            throw new IllegalArgumentException("inputs must be ≥ 1, got " + inputs);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be ≥ 2, got " + classes);
        }
        List<DenseLayerSpec> layers = new ArrayList<>();
        int in = inputs;
        for (int i = 0; i < hidden.length; i++) {
            if (hidden[i] < 1) {
                throw new IllegalArgumentException("hidden width " + (i + 1) + " must be ≥ 1, got " + hidden[i]);
            }
            layers.add(new DenseLayerSpec("hidden" + (i + 1), in, hidden[i], true, Activation.RELU, Initialization.HE,
                    1.0, 1.0, false));
            in = hidden[i];
        }
        layers.addAll(block);
        layers.add(new DenseLayerSpec("output", in, classes, true, Activation.IDENTITY, Initialization.GLOROT, 1.0, 1.0,
                false));
        return layers;
    }

    private static void requireHidden(int[] hidden) {
        if (hidden.length == 0) {
            throw new IllegalArgumentException("a block needs at least one hidden layer before it");
        }
    }

    private static void requireBlockDepth(int depth, int min) {
        if (depth < min) {
            throw new IllegalArgumentException("block depth must be ≥ " + min + ", got " + depth);
        }
    }

    /** Number of dense layers. */
    public int depth() {
        return layers.size();
    }

    /** Layer l, 0-based. */
    public DenseLayerSpec layer(int l) {
        return layers.get(l);
    }

    /** Input width. */
    public int inputs() {
        return layers.get(0).in();
    }

    /** Number of classes (the last layer's width). */
    public int classes() {
        return layers.get(layers.size() - 1).out();
    }

    /** All trainable parameters. */
    public long parameters() {
        return layers.stream().mapToLong(DenseLayerSpec::parameters).sum();
    }

    /** The parameters of the linear block (0 for the plain MLP). */
    public long blockParameters() {
        return layers.stream().filter(DenseLayerSpec::inBlock).mapToLong(DenseLayerSpec::parameters).sum();
    }

    /**
     * Multiply-adds per image of one training step (forward, weight gradient, and the input gradient
     * of every layer but the first): Σ_l in_l·out_l·(3, or 2 for the first layer). The GEMM work.
     */
    public long trainingMultiplyAdds() {
        long s = 0;
        for (int l = 0; l < layers.size(); l++) {
            s += (long) layers.get(l).in() * layers.get(l).out() * (l == 0 ? 2 : 3);
        }
        return s;
    }

    /** The share of {@link #trainingMultiplyAdds()} spent in the block's layers. */
    public double blockWorkShare() {
        long b = 0;
        for (int l = 0; l < layers.size(); l++) {
            if (layers.get(l).inBlock()) {
                b += (long) layers.get(l).in() * layers.get(l).out() * (l == 0 ? 2 : 3);
            }
        }
        return b / (double) trainingMultiplyAdds();
    }

    /** e.g. "784 → 512→512 relu → [block 512→20→20→512, linear, ε=0.01, α=2] → 10". */
    public String describe() {
        StringBuilder b = new StringBuilder().append(inputs());
        int l = 0;
        while (l < layers.size()) {
            DenseLayerSpec s = layers.get(l);
            int end = l;
            while (end + 1 < layers.size() && layers.get(end + 1).inBlock() == s.inBlock()
                    && layers.get(end + 1).activation() == s.activation()) {
                end++;
            }
            if (s.inBlock()) {
                b.append(" → [block ").append(s.in());
                for (int k = l; k <= end; k++) {
                    b.append('→').append(layers.get(k).out());
                }
                b.append(", linear, ε=").append(s.initScale());
                if (s.rate() != 1.0) {
                    b.append(", α=").append(s.rate());
                }
                b.append(']');
            } else {
                for (int k = l; k <= end; k++) {
                    b.append(k == l ? " → " : "→").append(layers.get(k).out());
                }
                if (s.activation() == Activation.RELU) {
                    b.append(" relu");
                }
            }
            l = end + 1;
        }
        return b.toString();
    }
}
