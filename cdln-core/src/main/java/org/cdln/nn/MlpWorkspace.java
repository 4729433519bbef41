package org.cdln.nn;

import org.cdln.linalg.Matrix;

/**
 * Preallocated buffers for one mini-batch size B, so that a training step allocates nothing:
 * the input batch X (in×B), every layer's output A_l (out_l×B; the logits' buffer holds the
 * softmax and then ∂loss/∂logits), the back-propagated deltas, the labels, and per-layer timers.
 * Memory: 8·B·(in + 2·Σ_l out_l) bytes. Not thread-safe; one per trainer and batch size.
 */
public final class MlpWorkspace {
    final int batch;
    /** act[0] = X; act[l + 1] = output of layer l. */
    final Matrix[] act;
    /** delta[l] = ∂loss/∂(pre-activation of layer l), l &lt; depth − 1 (the last one lives in act[depth]). */
    final Matrix[] delta;
    final int[] labels;
    /** Nanoseconds spent in each layer's forward and backward GEMMs and element-wise work. */
    final long[] layerNanos;
    /** Nanoseconds spent in softmax cross-entropy. */
    long lossNanos;
    /** Correct predictions in the last forward pass. */
    int correct;

    /** Buffers for batches of exactly {@code batch} images of the given architecture. */
    public MlpWorkspace(MlpArchitecture arch, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch size must be ≥ 1, got " + batch);
        }
        int n = arch.depth();
        this.batch = batch;
        act = new Matrix[n + 1];
        act[0] = new Matrix(arch.inputs(), batch);
        delta = new Matrix[Math.max(0, n - 1)];
        for (int l = 0; l < n; l++) {
            act[l + 1] = new Matrix(arch.layer(l).out(), batch);
            if (l < n - 1) {
                delta[l] = new Matrix(arch.layer(l).out(), batch);
            }
        }
        labels = new int[batch];
        layerNanos = new long[n];
    }

    /** The batch size B these buffers serve. */
    public int batchSize() {
        return batch;
    }

    /** The input buffer X (in×B): fill it, and {@link #labels()}, before a pass. */
    public Matrix input() {
        return act[0];
    }

    /** The label buffer (length B), live. */
    public int[] labels() {
        return labels;
    }

    /** Correct arg-max predictions of the last forward pass. */
    public int correct() {
        return correct;
    }
}
