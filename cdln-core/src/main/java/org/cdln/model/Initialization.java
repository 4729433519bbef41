package org.cdln.model;

import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;

/**
 * The one set of layer initialisations of cdln, for deep linear networks and for the MLP's dense
 * layers. ORTH, NORM and UNIF are the linear networks' initialisations at scale ε
 * (docs/method.md §1): all three give a rows×cols layer with the same expected Frobenius norm,
 * ε·√min(rows, cols). HE and GLOROT are the usual ones for ReLU and softmax layers of a rows×cols
 * (out×in) weight matrix, with {@code eps} a gain (usually 1).
 */
public enum Initialization {
    /** ε·Q truncated to rows×cols, Q Haar-random orthogonal of size max(rows, cols). O(max³). */
    ORTH {
        @Override
        public Matrix sample(int rows, int cols, double eps, Rng rng, LinearAlgebra la) {
            int n = Math.max(rows, cols);
            Matrix q = rng.haarOrthogonal(n, la);
            Matrix w = rows == n ? q.columns(0, cols) : q.rowRange(0, rows);
            w.scaleInPlace(eps);
            return w;
        }
    },
    /** ε·N(0,1)·√min(rows, cols)/√(rows·cols). */
    NORM {
        @Override
        public Matrix sample(int rows, int cols, double eps, Rng rng, LinearAlgebra la) {
            double c = Math.sqrt(Math.min(rows, cols)) / Math.sqrt((double) rows * cols);
            return rng.gaussianMatrix(rows, cols, eps * c);
        }
    },
    /** U(−ε, ε)·√3·√min(rows, cols)/√(rows·cols). */
    UNIF {
        @Override
        public Matrix sample(int rows, int cols, double eps, Rng rng, LinearAlgebra la) {
            double c = Math.sqrt(3.0) * Math.sqrt(Math.min(rows, cols)) / Math.sqrt((double) rows * cols);
            Matrix w = rng.uniformMatrix(rows, cols, -eps, eps);
            w.scaleInPlace(c);
            return w;
        }
    },
    /** He et al. (2015), for ReLU layers: W_ij ~ N(0, 2/cols)·gain. */
    HE {
        @Override
        public Matrix sample(int rows, int cols, double eps, Rng rng, LinearAlgebra la) {
            return rng.gaussianMatrix(rows, cols, eps * Math.sqrt(2.0 / cols));
        }
    },
    /** Glorot &amp; Bengio (2010), for linear/softmax layers: W_ij ~ U(−a, a)·gain, a = √(6/(rows + cols)). */
    GLOROT {
        @Override
        public Matrix sample(int rows, int cols, double eps, Rng rng, LinearAlgebra la) {
            double a = Math.sqrt(6.0 / (cols + rows));
            return rng.uniformMatrix(rows, cols, -eps * a, eps * a);
        }
    };

    /** A new rows×cols layer at scale (or gain) eps. */
    public abstract Matrix sample(int rows, int cols, double eps, Rng rng, LinearAlgebra la);

    /** Parses "orth", "norm", "unif", "he" or "glorot" (case-insensitive). */
    public static Initialization parse(String name) {
        for (Initialization i : values()) {
            if (i.name().equalsIgnoreCase(name.trim())) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown initialisation '" + name + "'; use orth, norm or unif");
    }
}
