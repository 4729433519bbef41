package org.cdln.problem;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link CompletionKernel} with the inner-width loops in 256-bit vectors of
 * {@code jdk.incubator.vector} (four doubles; the last k mod 4 lanes scalar). Loaded only when
 * the module is in the boot layer ({@code --add-modules jdk.incubator.vector}); the same sweep as
 * the scalar kernel, the dot products' sums associated lane-wise.
 */
final class VectorCompletionKernel extends CompletionKernel {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;
    private static final int V = 4;

    @Override
    String name() {
        return "vector (256-bit)";
    }

    @Override
    double sweep(int k, int[] ptr, int[] col, double[] y, int from, int to,
                 double[] l, int rowStride, int colStride, double[] r, double invN,
                 double[] rowOut, boolean accumulate, double[] colOut, double[] buf) {
        final int vk = k - k % V;
        final double[] li = buf;
        double ss = 0.0;
        for (int i = from; i < to; i++) {
            int e = ptr[i];
            int end = ptr[i + 1];
            int base = i * rowStride;
            if (!beginRow(k, e == end, l, base, colStride, rowOut, accumulate, buf)) {
                continue;
            }
            for (; e + 3 < end; e += 4) {
                int j0 = col[e] * k;
                int j1 = col[e + 1] * k;
                int j2 = col[e + 2] * k;
                int j3 = col[e + 3] * k;
                DoubleVector a0 = DoubleVector.zero(S);
                DoubleVector a1 = a0;
                DoubleVector a2 = a0;
                DoubleVector a3 = a0;
                for (int c = 0; c < vk; c += V) {
                    DoubleVector lv = DoubleVector.fromArray(S, li, c);
                    a0 = lv.fma(DoubleVector.fromArray(S, r, j0 + c), a0);
                    a1 = lv.fma(DoubleVector.fromArray(S, r, j1 + c), a1);
                    a2 = lv.fma(DoubleVector.fromArray(S, r, j2 + c), a2);
                    a3 = lv.fma(DoubleVector.fromArray(S, r, j3 + c), a3);
                }
                double s0 = a0.reduceLanes(VectorOperators.ADD);
                double s1 = a1.reduceLanes(VectorOperators.ADD);
                double s2 = a2.reduceLanes(VectorOperators.ADD);
                double s3 = a3.reduceLanes(VectorOperators.ADD);
                for (int c = vk; c < k; c++) {
                    double lc = li[c];
                    s0 += lc * r[j0 + c];
                    s1 += lc * r[j1 + c];
                    s2 += lc * r[j2 + c];
                    s3 += lc * r[j3 + c];
                }
                double r0 = s0 - y[e];
                double r1 = s1 - y[e + 1];
                double r2 = s2 - y[e + 2];
                double r3 = s3 - y[e + 3];
                ss += (r0 * r0 + r1 * r1) + (r2 * r2 + r3 * r3);
                double g0 = r0 * invN;
                double g1 = r1 * invN;
                double g2 = r2 * invN;
                double g3 = r3 * invN;
                DoubleVector gv0 = DoubleVector.broadcast(S, g0);
                DoubleVector gv1 = DoubleVector.broadcast(S, g1);
                DoubleVector gv2 = DoubleVector.broadcast(S, g2);
                DoubleVector gv3 = DoubleVector.broadcast(S, g3);
                for (int c = 0; c < vk; c += V) {
                    DoubleVector lv = DoubleVector.fromArray(S, li, c);
                    DoubleVector b0 = DoubleVector.fromArray(S, r, j0 + c);
                    DoubleVector b1 = DoubleVector.fromArray(S, r, j1 + c);
                    DoubleVector b2 = DoubleVector.fromArray(S, r, j2 + c);
                    DoubleVector b3 = DoubleVector.fromArray(S, r, j3 + c);
                    DoubleVector acc = DoubleVector.fromArray(S, buf, k + c);
                    acc.add(b0.mul(gv0).add(b1.mul(gv1)).add(b2.mul(gv2).add(b3.mul(gv3)))).intoArray(buf, k + c);
                    lv.fma(gv0, DoubleVector.fromArray(S, colOut, j0 + c)).intoArray(colOut, j0 + c);
                    lv.fma(gv1, DoubleVector.fromArray(S, colOut, j1 + c)).intoArray(colOut, j1 + c);
                    lv.fma(gv2, DoubleVector.fromArray(S, colOut, j2 + c)).intoArray(colOut, j2 + c);
                    lv.fma(gv3, DoubleVector.fromArray(S, colOut, j3 + c)).intoArray(colOut, j3 + c);
                }
                for (int c = vk; c < k; c++) {
                    double lc = li[c];
                    buf[k + c] += (g0 * r[j0 + c] + g1 * r[j1 + c]) + (g2 * r[j2 + c] + g3 * r[j3 + c]);
                    colOut[j0 + c] += g0 * lc;
                    colOut[j1 + c] += g1 * lc;
                    colOut[j2 + c] += g2 * lc;
                    colOut[j3 + c] += g3 * lc;
                }
            }
            for (; e < end; e++) {
                int j = col[e] * k;
                double res = SparseCompletionOracle.dot(li, 0, r, j, k) - y[e];
                ss += res * res;
                double ge = res * invN;
                for (int c = 0; c < k; c++) {
                    buf[k + c] += ge * r[j + c];
                    colOut[j + c] += ge * li[c];
                }
            }
            endRow(k, base, colStride, rowOut, buf);
        }
        return ss;
    }
}
