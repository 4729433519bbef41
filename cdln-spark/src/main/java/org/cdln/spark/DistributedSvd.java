package org.cdln.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.cdln.linalg.Svd;
import scala.Tuple2;

/**
 * The leading singular triplets of the sparse surrogate S = scale·R (R: the training residuals
 * stored in the user blocks), by the same randomized subspace iteration as the library's
 * {@code TruncatedSvd.randomized} (Halko, Martinsson, Tropp 2011, Alg. 4.4), distributed with
 * broadcast + treeAggregate: the item-side basis Z (d2×l, l = k + oversampling) lives on the
 * driver and is broadcast; each user block computes its rows of S·Z and its share of Sᵀ(S·Z),
 * which treeAggregate sums on the driver, where Z ← orth(SᵀS·Z) is re-orthonormalised. After q
 * rounds Y = S·Z spans (SSᵀ)^q·S·Ω, the library's final subspace; with G = YᵀY = W·Λ·Wᵀ the
 * orthonormal basis Q = Y·W·Λ^(−1/2) is never formed: B = QᵀS = Λ^(−1/2)·Wᵀ·(SᵀY)ᵀ (l×d2) is
 * decomposed on the driver and the left vectors U = Y·(W·Λ^(−1/2)·U_B) are made in the blocks.
 *
 * <p>Accuracy: from the same Gaussian start (the same seed) it computes, in exact arithmetic,
 * the library's result; in floating point the two differ by rounding amplified by the basis
 * condition, at most about ε_mach·(σ1/σ_l)² — tested to 1e-9 relative on the singular values
 * and to 1e-7 on the singular vectors for a problem with σ1/σ_l ≈ 10. Against the exact SVD
 * both inherit the randomized method's error, which falls like (σ_(l+1)/σ_j)^(2q+1) for the j-th
 * triplet. Cost: (q + 1) passes of O(|Ω|·l) over the ratings, O(d2·l²) on the driver per round,
 * and a broadcast of d2·l doubles per round.
 */
final class DistributedSvd {
    private DistributedSvd() {
    }

    /** Oversampling and power iterations the library uses for large surrogates. */
    static final int OVERSAMPLE = 10;
    static final int POWER_ITERATIONS = 8;

    /**
     * Result: singular values (k), right vectors Vᵀ (k×d2, on the driver) and the left vectors'
     * rows per block (local rows × k, row-major, keyed and partitioned like the blocks).
     */
    record Result(double[] s, Matrix vt, JavaPairRDD<Integer, double[]> uRows) {
    }

    static Result randomized(JavaSparkContext sc, JavaPairRDD<Integer, UserBlock> blocks, int d2, int k,
                             int oversample, int powerIterations, double scale, int d1, LinearAlgebra la, Rng rng) {
        return randomized(sc, blocks, d2, k, oversample, powerIterations, scale, d1, la, rng, 0L);
    }

    /**
     * The same for the surrogate with every entry's sign flipped at random ({@code flip} ≠ 0: the
     * seed of the flips, a hash of it and the entry's user and item, so every pass sees the same
     * flips; 0: no flips).
     */
    static Result randomized(JavaSparkContext sc, JavaPairRDD<Integer, UserBlock> blocks, int d2, int k,
                             int oversample, int powerIterations, double scale, int d1, LinearAlgebra la, Rng rng,
                             long flip) {
        int l = Math.min(Math.min(d1, d2), k + oversample);
        Matrix z = rng.gaussianMatrix(d2, l, 1.0);
        for (int it = 0; it < powerIterations; it++) {
            Broadcast<double[]> bz = sc.broadcast(itemMajor(z));
            double[] w = blocks.values().treeAggregate(new double[d2 * l],
                    (acc, b) -> addNormalShare(b, bz.value(), l, scale, flip, acc), DistributedSvd::addInto, 2);
            bz.destroy();
            z = la.qr(fromItemMajor(w, d2, l)).q();
        }
        Broadcast<double[]> bz = sc.broadcast(itemMajor(z));
        // G = YᵀY (l×l) and X = SᵀY (d2×l, item-major) in one pass
        double[] gx = blocks.values().treeAggregate(new double[l * l + d2 * l],
                (acc, b) -> addGramAndTranspose(b, bz.value(), l, scale, flip, acc), DistributedSvd::addInto, 2);
        Matrix g = new Matrix(l, l);
        for (int a = 0; a < l; a++) {
            for (int c = 0; c < l; c++) {
                g.set(a, c, gx[a * l + c]);
            }
        }
        Svd eig = la.svd(g);
        double[] lambda = eig.s();
        int kept = 0;
        while (kept < l && lambda[kept] > lambda[0] * 1e-24) {
            kept++;
        }
        if (kept < k) {
            throw new IllegalArgumentException("the surrogate has numerical rank " + kept + " < rank-hat r̂ = " + k
                    + "; choose r̂ ≤ " + kept);
        }
        // T1 = W·Λ^(−1/2) (l×kept)
        Matrix t1 = new Matrix(l, kept);
        for (int c = 0; c < kept; c++) {
            double f = 1.0 / Math.sqrt(lambda[c]);
            for (int a = 0; a < l; a++) {
                t1.set(a, c, eig.u().get(a, c) * f);
            }
        }
        Matrix x = new Matrix(d2, l);
        for (int i = 0; i < d2; i++) {
            for (int c = 0; c < l; c++) {
                x.set(i, c, gx[l * l + i * l + c]);
            }
        }
        Matrix bt = la.multiply(x, t1);            // Bᵀ = X·T1, d2×kept
        Svd small = la.svd(bt.transpose());        // B = U_B·Σ·V_Bᵀ
        Matrix t = la.multiply(t1, small.u());     // l×kept: U = Y·T
        Matrix tk = t.columns(0, k);
        double[] tRows = tk.transpose().data();    // row-major l×k
        Broadcast<double[]> bt2 = sc.broadcast(tRows);
        JavaPairRDD<Integer, double[]> uRows = blocks.mapValues(b -> leftRows(b, bz.value(), bt2.value(), l, k, scale, flip));
        double[] s = java.util.Arrays.copyOf(small.s(), k);
        return new Result(s, small.vt().rowRange(0, k), uRows);
    }

    /** Row-major (item-major) copy of a d2×l column-major matrix. */
    static double[] itemMajor(Matrix m) {
        return m.transpose().data();
    }

    private static Matrix fromItemMajor(double[] rows, int d2, int l) {
        return Matrix.wrap(l, d2, rows).transpose();
    }

    private static double[] addInto(double[] a, double[] b) {
        for (int q = 0; q < a.length; q++) {
            a[q] += b[q];
        }
        return a;
    }

    /** acc += Sᵀ(S·Z) over the block's rows. */
    private static double[] addNormalShare(UserBlock b, double[] z, int l, double scale, long flip, double[] acc) {
        double[] y = new double[l];
        for (int q = 0; q < b.users.length; q++) {
            java.util.Arrays.fill(y, 0.0);
            for (int e = b.trainPtr[q]; e < b.trainPtr[q + 1]; e++) {
                double v = b.trainResidual[e] * scale * sign(flip, b.users[q], b.items[b.trainItem[e]]);
                int o = b.items[b.trainItem[e]] * l;
                for (int c = 0; c < l; c++) {
                    y[c] += v * z[o + c];
                }
            }
            for (int e = b.trainPtr[q]; e < b.trainPtr[q + 1]; e++) {
                double v = b.trainResidual[e] * scale * sign(flip, b.users[q], b.items[b.trainItem[e]]);
                int o = b.items[b.trainItem[e]] * l;
                for (int c = 0; c < l; c++) {
                    acc[o + c] += v * y[c];
                }
            }
        }
        return acc;
    }

    /** acc[0, l²) += YᵀY (row-major), acc[l², …) += SᵀY (item-major), Y = S·Z over the block's rows. */
    private static double[] addGramAndTranspose(UserBlock b, double[] z, int l, double scale, long flip,
                                                double[] acc) {
        double[] y = new double[l];
        int off = l * l;
        for (int q = 0; q < b.users.length; q++) {
            rowOfSz(b, q, z, l, scale, flip, y);
            for (int a = 0; a < l; a++) {
                for (int c = 0; c < l; c++) {
                    acc[a * l + c] += y[a] * y[c];
                }
            }
            for (int e = b.trainPtr[q]; e < b.trainPtr[q + 1]; e++) {
                double v = b.trainResidual[e] * scale * sign(flip, b.users[q], b.items[b.trainItem[e]]);
                int o = off + b.items[b.trainItem[e]] * l;
                for (int c = 0; c < l; c++) {
                    acc[o + c] += v * y[c];
                }
            }
        }
        return acc;
    }

    private static void rowOfSz(UserBlock b, int q, double[] z, int l, double scale, long flip, double[] y) {
        java.util.Arrays.fill(y, 0.0);
        for (int e = b.trainPtr[q]; e < b.trainPtr[q + 1]; e++) {
            double v = b.trainResidual[e] * scale * sign(flip, b.users[q], b.items[b.trainItem[e]]);
            int o = b.items[b.trainItem[e]] * l;
            for (int c = 0; c < l; c++) {
                y[c] += v * z[o + c];
            }
        }
    }

    /** The block's rows of U = (S·Z)·T, row-major local rows × k. */
    private static double[] leftRows(UserBlock b, double[] z, double[] t, int l, int k, double scale, long flip) {
        double[] out = new double[b.users.length * k];
        double[] y = new double[l];
        for (int q = 0; q < b.users.length; q++) {
            rowOfSz(b, q, z, l, scale, flip, y);
            for (int a = 0; a < l; a++) {
                double ya = y[a];
                for (int c = 0; c < k; c++) {
                    out[q * k + c] += ya * t[a * k + c];
                }
            }
        }
        return out;
    }

    /** ±1 for the entry (user, item) under the flips seeded by {@code flip}; 1 when {@code flip} is 0. */
    static double sign(long flip, int user, int item) {
        if (flip == 0) {
            return 1.0;
        }
        long h = flip ^ (user * 0x9E3779B97F4A7C15L) ^ (item * 0xC2B2AE3D27D4EB4FL);
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        h ^= h >>> 31;
        return (h & 1L) == 0 ? -1.0 : 1.0;
    }

    /**
     * The noise edge of sign-flip parallel analysis, distributed: the largest top singular value
     * over {@code trials} surrogates whose entries' signs are flipped at random (the library's rule,
     * {@code RankSelection}: width 4, oversampling 10, 8 power iterations per draw; the flips are
     * drawn by hashing instead of the library's sequential stream, so the edges agree in
     * distribution, not bit for bit). Cost: trials × 9 passes of O(|Ω|·14).
     */
    static double noiseEdge(JavaSparkContext sc, JavaPairRDD<Integer, UserBlock> blocks, int d1, int d2, double scale,
                            int trials, long seed, LinearAlgebra la) {
        Rng rng = new Rng(seed);
        rng.split();
        double edge = 0.0;
        for (int t = 0; t < trials; t++) {
            long flip = rng.split().nextLong(Long.MAX_VALUE) | 1L;
            Result r = randomized(sc, blocks, d2, Math.min(4, Math.min(d1, d2)), OVERSAMPLE, POWER_ITERATIONS, scale,
                    d1, la, rng.split(), flip);
            edge = Math.max(edge, r.s()[0]);
        }
        return edge;
    }

    /** Collects block rows (local rows × k) into a d1×k matrix. */
    static Matrix collectRows(JavaPairRDD<Integer, UserBlock> blocks, JavaPairRDD<Integer, double[]> rows, int d1,
                              int k) {
        List<Tuple2<int[], double[]>> parts = new ArrayList<>(blocks.join(rows)
                .map(t -> new Tuple2<>(t._2._1.users, t._2._2)).collect());
        Matrix m = new Matrix(d1, k);
        for (Tuple2<int[], double[]> p : parts) {
            for (int q = 0; q < p._1.length; q++) {
                for (int c = 0; c < k; c++) {
                    m.set(p._1[q], c, p._2[q * k + c]);
                }
            }
        }
        return m;
    }
}
