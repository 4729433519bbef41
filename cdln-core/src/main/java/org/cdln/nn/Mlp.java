package org.cdln.nn;

import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;

/**
 * A multilayer perceptron classifier with closed-form back-propagation over the
 * {@link LinearAlgebra} facade: every pass is one GEMM per layer on a whole mini-batch
 * (column-major, one image per column).
 *
 * <p>Forward, for a batch X (in×B): A_0 = X, Z_l = W_l·A_l + b_l·1ᵀ, A_(l+1) = act_l(Z_l); the loss is
 * the mean softmax cross-entropy ℓ = −(1/B)·Σ_j log softmax(Z_(n−1))[y_j, j].
 * Backward: D_(n−1) = (softmax(Z_(n−1)) − onehot(y))/B; for each layer l, ∂ℓ/∂W_l = D_l·A_lᵀ,
 * ∂ℓ/∂b_l = D_l·1, and D_(l−1) = (W_lᵀ·D_l) ⊙ act'_(l−1), with ReLU' = [A_l &gt; 0].
 * Cost per batch: O(B·Σ_l in_l·out_l) in three GEMMs per layer (two for the first).
 *
 * <p>The weights are live matrices ({@link #weight}, {@link #bias}); {@link #parameters()} lists
 * them for an {@link org.cdln.optim.Optimizer}. Not thread-safe.
 */
public final class Mlp {
    private final MlpArchitecture architecture;
    private final Matrix[] weights;
    private final Matrix[] biases;
    private final long seed;

    private Mlp(MlpArchitecture architecture, Matrix[] weights, Matrix[] biases, long seed) {
        this.architecture = architecture;
        this.weights = weights;
        this.biases = biases;
        this.seed = seed;
    }

    /**
     * A freshly initialised network. Randomness: the layers outside the block draw, in order, from
     * the first splits of {@code new Rng(seed)}, the block's layers from the next ones, so that the
     * plain, +DLN and +C-DLN variants with one seed start from identical hidden and output layers.
     */
    public static Mlp initialize(MlpArchitecture arch, long seed, LinearAlgebra la) {
        int n = arch.depth();
        Rng master = new Rng(seed);
        Rng[] rngs = new Rng[n];
        for (int l = 0; l < n; l++) {
            if (!arch.layer(l).inBlock()) {
                rngs[l] = master.split();
            }
        }
        for (int l = 0; l < n; l++) {
            if (arch.layer(l).inBlock()) {
                rngs[l] = master.split();
            }
        }
        Matrix[] w = new Matrix[n];
        Matrix[] b = new Matrix[n];
        for (int l = 0; l < n; l++) {
            DenseLayerSpec s = arch.layer(l);
            w[l] = s.init().sample(s.out(), s.in(), s.initScale(), rngs[l], la);
            b[l] = s.bias() ? new Matrix(s.out(), 1) : null;
        }
        return new Mlp(arch, w, b, seed);
    }

    /** A network with the given weights and biases (copied); shapes must match the architecture. */
    public static Mlp of(MlpArchitecture arch, Matrix[] weights, Matrix[] biases) {
        int n = arch.depth();
        if (weights.length != n || biases.length != n) {
            throw new IllegalArgumentException(arch.name() + " has " + n + " layers, got " + weights.length
                    + " weights and " + biases.length + " biases");
        }
        Matrix[] w = new Matrix[n];
        Matrix[] b = new Matrix[n];
        for (int l = 0; l < n; l++) {
            DenseLayerSpec s = arch.layer(l);
            if (weights[l].rows() != s.out() || weights[l].cols() != s.in()) {
                throw new IllegalArgumentException("layer " + s.name() + " needs W " + s.out() + "×" + s.in()
                        + ", got " + weights[l].shape());
            }
            if (s.bias() != (biases[l] != null) || (biases[l] != null && (biases[l].rows() != s.out()
                    || biases[l].cols() != 1))) {
                throw new IllegalArgumentException("layer " + s.name() + " needs "
                        + (s.bias() ? "a bias " + s.out() + "×1" : "no bias") + ", got "
                        + (biases[l] == null ? "none" : biases[l].shape()));
            }
            w[l] = weights[l].copy();
            b[l] = biases[l] == null ? null : biases[l].copy();
        }
        return new Mlp(arch, w, b, -1);
    }

    /** An independent deep copy. */
    public Mlp copy() {
        Matrix[] w = new Matrix[weights.length];
        Matrix[] b = new Matrix[biases.length];
        for (int l = 0; l < w.length; l++) {
            w[l] = weights[l].copy();
            b[l] = biases[l] == null ? null : biases[l].copy();
        }
        return new Mlp(architecture, w, b, seed);
    }

    public MlpArchitecture architecture() {
        return architecture;
    }

    /** The initialisation seed (−1 when built from given weights). */
    public long seed() {
        return seed;
    }

    /** Number of dense layers. */
    public int depth() {
        return weights.length;
    }

    /** W_l (out×in), live: changes show in the network. */
    public Matrix weight(int l) {
        return weights[l];
    }

    /** b_l (out×1), live, or null when layer l has no bias. */
    public Matrix bias(int l) {
        return biases[l];
    }

    /** Trainable parameters. */
    public long parameterCount() {
        return architecture.parameters();
    }

    /** The trainable matrices of layer l: {W_l} or {W_l, b_l} (live). */
    public Matrix[] layerParameters(int l) {
        return biases[l] == null ? new Matrix[] {weights[l]} : new Matrix[] {weights[l], biases[l]};
    }

    /** All trainable matrices, layer by layer (W_0, b_0, W_1, …), live. */
    public Matrix[] parameters() {
        java.util.List<Matrix> p = new java.util.ArrayList<>();
        for (int l = 0; l < weights.length; l++) {
            p.addAll(java.util.List.of(layerParameters(l)));
        }
        return p.toArray(new Matrix[0]);
    }

    /** Zero matrices shaped like {@link #parameters()}, for gradients. */
    public Matrix[] newGradients() {
        Matrix[] p = parameters();
        Matrix[] g = new Matrix[p.length];
        for (int i = 0; i < p.length; i++) {
            g[i] = new Matrix(p[i].rows(), p[i].cols());
        }
        return g;
    }

    /** True when every weight and bias is finite. */
    public boolean isFinite() {
        for (Matrix m : parameters()) {
            if (!m.isFinite()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Forward pass on the batch in {@code ws} (its input and labels filled); returns the mean
     * softmax cross-entropy and leaves the arg-max hits in {@link MlpWorkspace#correct()}. When
     * {@code keepGradient} the logits' buffer is left holding D = (softmax − onehot)/B for
     * {@link #backward}. Allocates nothing. O(B·Σ in_l·out_l).
     */
    public double forward(MlpWorkspace ws, boolean keepGradient, LinearAlgebra la) {
        int n = weights.length;
        int batch = ws.batch;
        for (int l = 0; l < n; l++) {
            long t0 = System.nanoTime();
            Matrix out = ws.act[l + 1];
            la.gemm(false, false, 1.0, weights[l], ws.act[l], 0.0, out);
            double[] o = out.data();
            int rows = out.rows();
            if (biases[l] != null) {
                double[] b = biases[l].data();
                for (int j = 0; j < batch; j++) {
                    int base = j * rows;
                    for (int i = 0; i < rows; i++) {
                        o[base + i] += b[i];
                    }
                }
            }
            if (architecture.layer(l).activation() == Activation.RELU) {
                for (int k = 0; k < o.length; k++) {
                    if (o[k] < 0.0) {
                        o[k] = 0.0;
                    }
                }
            }
            ws.layerNanos[l] += System.nanoTime() - t0;
        }
        long t0 = System.nanoTime();
        double loss = softmaxCrossEntropy(ws, keepGradient);
        ws.lossNanos += System.nanoTime() - t0;
        return loss;
    }

    private double softmaxCrossEntropy(MlpWorkspace ws, boolean keepGradient) {
        Matrix logits = ws.act[weights.length];
        double[] z = logits.data();
        int c = logits.rows();
        int batch = ws.batch;
        double loss = 0.0;
        int correct = 0;
        double invB = 1.0 / batch;
        for (int j = 0; j < batch; j++) {
            int base = j * c;
            int y = ws.labels[j];
            if (y < 0 || y >= c) {
                throw new IllegalArgumentException("label " + y + " of batch item " + j + " is outside [0, " + (c - 1)
                        + "]");
            }
            double max = z[base];
            int arg = 0;
            for (int i = 1; i < c; i++) {
                if (z[base + i] > max) {
                    max = z[base + i];
                    arg = i;
                }
            }
            if (arg == y) {
                correct++;
            }
            double sum = 0.0;
            for (int i = 0; i < c; i++) {
                sum += Math.exp(z[base + i] - max);
            }
            double logSum = Math.log(sum);
            loss -= z[base + y] - max - logSum;
            if (keepGradient) {
                for (int i = 0; i < c; i++) {
                    z[base + i] = Math.exp(z[base + i] - max - logSum) * invB;
                }
                z[base + y] -= invB;
            }
        }
        ws.correct = correct;
        return loss * invB;
    }

    /**
     * Backward pass after {@code forward(ws, true, la)}: writes ∂loss/∂W_l and ∂loss/∂b_l into
     * {@code grads} (shaped like {@link #parameters()}; modified). Allocates nothing. O(B·Σ in_l·out_l).
     */
    public void backward(MlpWorkspace ws, Matrix[] grads, LinearAlgebra la) {
        int n = weights.length;
        int batch = ws.batch;
        int g = grads.length;
        for (int l = n - 1; l >= 0; l--) {
            long t0 = System.nanoTime();
            Matrix d = l == n - 1 ? ws.act[n] : ws.delta[l];
            if (biases[l] != null) {
                Matrix gb = grads[--g];
                double[] gbd = gb.data();
                double[] dd = d.data();
                int rows = d.rows();
                java.util.Arrays.fill(gbd, 0.0);
                for (int j = 0; j < batch; j++) {
                    int base = j * rows;
                    for (int i = 0; i < rows; i++) {
                        gbd[i] += dd[base + i];
                    }
                }
            }
            la.gemm(false, true, 1.0, d, ws.act[l], 0.0, grads[--g]);
            if (l > 0) {
                Matrix prev = ws.delta[l - 1];
                la.gemm(true, false, 1.0, weights[l], d, 0.0, prev);
                if (architecture.layer(l - 1).activation() == Activation.RELU) {
                    double[] p = prev.data();
                    double[] a = ws.act[l].data();
                    for (int k = 0; k < p.length; k++) {
                        if (a[k] <= 0.0) {
                            p[k] = 0.0;
                        }
                    }
                }
            }
            ws.layerNanos[l] += System.nanoTime() - t0;
        }
    }

    /**
     * Loss and gradients at a batch (x: in×B, labels of length B), allocating a workspace: for tests
     * and one-off use. {@code grads} (shaped like {@link #parameters()}) is modified.
     */
    public double lossAndGradients(Matrix x, int[] labels, Matrix[] grads, LinearAlgebra la) {
        MlpWorkspace ws = new MlpWorkspace(architecture, x.cols());
        ws.act[0].copyFrom(x);
        System.arraycopy(labels, 0, ws.labels, 0, x.cols());
        double loss = forward(ws, true, la);
        backward(ws, grads, la);
        return loss;
    }

    /** The mean cross-entropy at a batch (x: in×B), allocating a workspace. */
    public double loss(Matrix x, int[] labels, LinearAlgebra la) {
        MlpWorkspace ws = new MlpWorkspace(architecture, x.cols());
        ws.act[0].copyFrom(x);
        System.arraycopy(labels, 0, ws.labels, 0, x.cols());
        return forward(ws, false, la);
    }

    /**
     * The product of the linear block's layers, W_block = W_last·…·W_first (w×w), or empty when
     * the network has no block. O(depth·w²·r̂).
     */
    public java.util.Optional<Matrix> blockProduct(LinearAlgebra la) {
        Matrix p = null;
        for (int l = 0; l < weights.length; l++) {
            if (architecture.layer(l).inBlock()) {
                p = p == null ? weights[l].copy() : la.multiply(weights[l], p);
            }
        }
        return java.util.Optional.ofNullable(p);
    }
}
