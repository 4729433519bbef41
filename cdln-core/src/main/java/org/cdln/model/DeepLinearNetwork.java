package org.cdln.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;

/**
 * A deep linear network (DLN): layers W1 (n1×n0), W2 (n2×n1), …, WL (nL×n(L−1)) with end-to-end
 * matrix P = WL·…·W1 (docs/method.md §1). The input dimension n0 is d2, the output dimension nL is d1.
 *
 * <p>The original network of the paper is the square, wide case n0 = … = nL = d; the compressed
 * network (C-DLN) has inner widths r̂ ≪ d. Both are this class; only the widths differ.
 *
 * <p>The layer matrices are owned by the network and modified in place by optimisers
 * ({@link #layer(int)} returns the live matrix). {@link #copy()} gives an independent network.
 */
public final class DeepLinearNetwork {
    private final Matrix[] layers;
    private final int[] widths;
    private final String origin;

    private DeepLinearNetwork(Matrix[] layers, String origin) {
        this.layers = layers;
        this.origin = origin;
        this.widths = new int[layers.length + 1];
        widths[0] = layers[0].cols();
        for (int l = 0; l < layers.length; l++) {
            widths[l + 1] = layers[l].rows();
        }
    }

    /**
     * A network from explicit layers W1..WL (copied).
     *
     * @param origin how the layers were made, kept for provenance
     * @throws IllegalArgumentException when fewer than 2 layers are given or shapes do not chain
     */
    public static DeepLinearNetwork of(List<Matrix> layers, String origin) {
        if (layers.size() < 2) {
            throw new IllegalArgumentException("a deep linear network needs depth L ≥ 2, got " + layers.size());
        }
        Matrix[] ws = new Matrix[layers.size()];
        for (int l = 0; l < ws.length; l++) {
            Matrix w = layers.get(l);
            if (l > 0 && w.cols() != ws[l - 1].rows()) {
                throw new IllegalArgumentException("layer W" + (l + 1) + " is " + w.shape() + " but W" + l
                        + " is " + ws[l - 1].shape() + "; W" + (l + 1) + " needs " + ws[l - 1].rows() + " columns");
            }
            if (w.rows() < 1 || w.cols() < 1) {
                throw new IllegalArgumentException("layer W" + (l + 1) + " is " + w.shape() + "; every width must be ≥ 1");
            }
            ws[l] = w.copy();
        }
        return new DeepLinearNetwork(ws, origin);
    }

    /**
     * A network with the given widths n0..nL (input first), every layer drawn with {@code init}
     * at scale eps from its own split of rng.
     */
    public static DeepLinearNetwork initialize(int[] widths, Initialization init, double eps, Rng rng,
                                               LinearAlgebra la) {
        if (widths.length < 3) {
            throw new IllegalArgumentException("widths n0..nL must list at least 3 sizes (depth ≥ 2), got "
                    + Arrays.toString(widths));
        }
        if (!(eps > 0.0) || !Double.isFinite(eps)) {
            throw new IllegalArgumentException("initialisation scale eps must be a finite number > 0, got " + eps);
        }
        List<Matrix> ws = new ArrayList<>();
        for (int l = 1; l < widths.length; l++) {
            if (widths[l] < 1 || widths[l - 1] < 1) {
                throw new IllegalArgumentException("every width must be ≥ 1, got " + Arrays.toString(widths));
            }
            ws.add(init.sample(widths[l], widths[l - 1], eps, rng.split(), la));
        }
        return new DeepLinearNetwork(ws.toArray(new Matrix[0]),
                init.name().toLowerCase() + " init, eps=" + eps + ", widths=" + Arrays.toString(widths));
    }

    /**
     * The wide network of the paper: depth L, every width {@code width}, mapping d2 → d1.
     */
    public static DeepLinearNetwork wide(int d1, int d2, int width, int depth, Initialization init, double eps,
                                         Rng rng, LinearAlgebra la) {
        if (depth < 2) {
            throw new IllegalArgumentException("depth must be ≥ 2, got " + depth);
        }
        int[] w = new int[depth + 1];
        Arrays.fill(w, width);
        w[0] = d2;
        w[depth] = d1;
        return initialize(w, init, eps, rng, la);
    }

    /** L, the number of layers. */
    public int depth() {
        return layers.length;
    }

    /** The live layer W_l, 1-based (l = 1 is the input layer). Modifying it modifies the network. */
    public Matrix layer(int l) {
        if (l < 1 || l > layers.length) {
            throw new IllegalArgumentException("layer index must be in [1, " + layers.length + "], got " + l);
        }
        return layers[l - 1];
    }

    /** The live layers W1..WL as an array (index 0 is W1). */
    public Matrix[] layers() {
        return layers;
    }

    /** Widths n0..nL (a copy). */
    public int[] widths() {
        return widths.clone();
    }

    /** n0 = d2. */
    public int inputDim() {
        return widths[0];
    }

    /** nL = d1. */
    public int outputDim() {
        return widths[widths.length - 1];
    }

    /** How the network was made (initialisation, seed, compression), for provenance. */
    public String origin() {
        return origin;
    }

    /** Σ_l n_l·n(l−1); for the compressed network 2·d·r̂ + (L−2)·r̂². */
    public long parameterCount() {
        long n = 0;
        for (Matrix w : layers) {
            n += (long) w.rows() * w.cols();
        }
        return n;
    }

    /** The end-to-end matrix P = WL·…·W1 (a new matrix). Cost O(Σ_l n_l·n(l−1)·n0). */
    public Matrix product(LinearAlgebra la) {
        Matrix p = layers[0];
        for (int l = 1; l < layers.length; l++) {
            p = la.multiply(layers[l], p);
        }
        return p;
    }

    /** An independent deep copy, with the same origin. */
    public DeepLinearNetwork copy() {
        Matrix[] ws = new Matrix[layers.length];
        for (int l = 0; l < ws.length; l++) {
            ws[l] = layers[l].copy();
        }
        return new DeepLinearNetwork(ws, origin);
    }

    /** A copy with another origin text. */
    public DeepLinearNetwork withOrigin(String newOrigin) {
        return new DeepLinearNetwork(copy().layers, newOrigin);
    }

    /** True when every entry of every layer is finite. */
    public boolean isFinite() {
        for (Matrix w : layers) {
            if (!w.isFinite()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "DeepLinearNetwork" + Arrays.toString(widths) + " (" + origin + ")";
    }
}
