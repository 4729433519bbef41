package org.cdln.nn;

import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.cdln.model.Initialization;

/**
 * How a dense layer's out×in weight matrix W starts. Biases always start at zero.
 */
public enum WeightInit {
    /** He et al. (2015), for ReLU layers: W_ij ~ N(0, 2/in)·scale. */
    HE {
        @Override
        public Matrix sample(int out, int in, double scale, Rng rng, LinearAlgebra la) {
            return rng.gaussianMatrix(out, in, scale * Math.sqrt(2.0 / in));
        }
    },
    /** Glorot &amp; Bengio (2010), for linear/softmax layers: W_ij ~ U(−a, a)·scale, a = √(6/(in + out)). */
    GLOROT {
        @Override
        public Matrix sample(int out, int in, double scale, Rng rng, LinearAlgebra la) {
            double a = Math.sqrt(6.0 / (in + out));
            return rng.uniformMatrix(out, in, -scale * a, scale * a);
        }
    },
    /**
     * Orthogonal at scale ε (docs/method.md §1 "orth", §6): ε·Q truncated to out×in, Q Haar-random orthogonal
     * of size max(out, in). The DLN and C-DLN blocks use it with a small ε. Cost O(max(out, in)³).
     */
    ORTH {
        @Override
        public Matrix sample(int out, int in, double scale, Rng rng, LinearAlgebra la) {
            return Initialization.ORTH.sample(out, in, scale, rng, la);
        }
    };

    /** A new out×in weight matrix; {@code scale} is ε for ORTH and a gain (usually 1) otherwise. */
    public abstract Matrix sample(int out, int in, double scale, Rng rng, LinearAlgebra la);
}
