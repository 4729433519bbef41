package org.cdln.model;

import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.problem.LossGradientOracle;

/**
 * Closed-form gradients of a deep linear network's loss, with preallocated workspaces.
 *
 * <p>With prefix products F_l = W_l·…·W_1 (F_0 = I) and G = ∂loss/∂P, the gradient of layer l is
 * ∂loss/∂W_l = (W_L·…·W_(l+1))ᵀ·G·F_(l−1)ᵀ (docs/method.md §1). It is computed by one backward sweep:
 * A_L = G, A_(l−1) = W_lᵀ·A_l, ∂loss/∂W_l = A_l·F_(l−1)ᵀ, so that no product is formed twice:
 * for the square depth-3 network, 6 GEMMs of d³ per step (2 forward, 4 backward). The problem's
 * {@link LossGradientOracle} applies G (dense or sparse) to the two blocks that touch it, so the network
 * never needs P itself. The two products of each backward level are independent; on several threads
 * {@link LinearAlgebra#gemmPair} runs them concurrently or each split, whichever it measured faster.
 * Nothing is allocated per call on one thread.
 */
public final class Backprop {
    private final LinearAlgebra la;
    private final int[] widths;
    /** prefix[l] = F_l = W_l·…·W_1 for l = 2..L−1 (index l); F_1 is W_1 itself. */
    private final Matrix[] prefix;
    /** back[l] = A_l = (W_L·…·W_(l+1))ᵀ·G for l = 2..L−1 (index l). */
    private final Matrix[] back;
    private final int depth;

    /** Workspaces for networks with these widths n0..nL. */
    public Backprop(int[] widths, LinearAlgebra la) {
        this.la = la;
        this.widths = widths.clone();
        this.depth = widths.length - 1;
        int d2 = widths[0];
        prefix = new Matrix[depth];
        back = new Matrix[depth];
        for (int l = 2; l <= depth - 1; l++) {
            prefix[l] = new Matrix(widths[l], d2);
            back[l] = new Matrix(widths[l], d2);
        }
    }

    /** F_(L−1) = W_(L−1)·…·W_1, the right factor of P = W_L·F_(L−1), as of the last forward pass. */
    public Matrix rightFactor(DeepLinearNetwork net) {
        return depth == 2 ? net.layer(1) : prefix[depth - 1];
    }

    /** Computes F_l = W_l·F_(l−1) for l = 2..L−1. Cost O(Σ n_l·n(l−1)·d2). */
    public void forward(DeepLinearNetwork net) {
        requireShape(net);
        Matrix f = net.layer(1);
        for (int l = 2; l <= depth - 1; l++) {
            la.gemm(false, false, 1.0, net.layer(l), f, 0.0, prefix[l]);
            f = prefix[l];
        }
    }

    /**
     * The loss at the network's current point and every layer's gradient, written into grads
     * (grads[l−1] for W_l, same shapes as the layers; modified). The network is not modified.
     */
    public double lossAndGradients(DeepLinearNetwork net, LossGradientOracle evaluator, Matrix[] grads) {
        forward(net);
        Matrix wl = net.layer(depth);
        Matrix right = rightFactor(net);
        // ∂/∂W_L = G·F_(L−1)ᵀ and A_(L−1) = W_Lᵀ·G (for depth 2 that is ∂/∂W_1), in one evaluator call
        Matrix top = depth == 2 ? grads[0] : back[depth - 1];
        double loss = evaluator.lossAndGradientProducts(wl, right, grads[depth - 1], top);
        if (depth == 2) {
            return loss;
        }
        for (int l = depth - 1; l >= 2; l--) {
            Matrix fPrev = l - 1 == 1 ? net.layer(1) : prefix[l - 1];
            // ∂/∂W_l = A_l·F_(l−1)ᵀ and A_(l−1) = W_lᵀ·A_l (written straight into ∂/∂W_1 when
            // l − 1 = 1): independent, so with several threads they may run at the same time
            Matrix target = l - 1 == 1 ? grads[0] : back[l - 1];
            la.gemmPair(false, true, 1.0, back[l], fPrev, grads[l - 1], true, false, 1.0, net.layer(l), back[l], target);
        }
        return loss;
    }

    /** New zero matrices shaped like the layers, for gradients. */
    public static Matrix[] gradientBuffers(DeepLinearNetwork net) {
        Matrix[] g = new Matrix[net.depth()];
        for (int l = 1; l <= net.depth(); l++) {
            g[l - 1] = new Matrix(net.layer(l).rows(), net.layer(l).cols());
        }
        return g;
    }

    private void requireShape(DeepLinearNetwork net) {
        boolean same = net.depth() == depth && net.inputDim() == widths[0];
        for (int l = 1; same && l <= depth; l++) {
            same = net.layer(l).rows() == widths[l];
        }
        if (!same) {
            throw new IllegalArgumentException("workspaces were built for widths " + java.util.Arrays.toString(widths)
                    + " but the network has " + java.util.Arrays.toString(net.widths()));
        }
    }
}
