package org.cdln.model;

import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;

/**
 * Layer initialisations at scale ε (docs/method.md §1). All three give a rows×cols layer with the same
 * expected Frobenius norm, ε·√min(rows, cols).
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
    };

    /** A new rows×cols layer at scale eps. */
    public abstract Matrix sample(int rows, int cols, double eps, Rng rng, LinearAlgebra la);

    /** Parses "orth", "norm" or "unif" (case-insensitive). */
    public static Initialization parse(String name) {
        for (Initialization i : values()) {
            if (i.name().equalsIgnoreCase(name.trim())) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown initialisation '" + name + "'; use orth, norm or unif");
    }
}
