package org.cdln.problem;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link CompletionKernel} for inner widths 4 ≤ k ≤ {@link #MAX_K} (r̂ = 10 and 20, the compressed
 * networks' widths) that keeps a row's L[i,:] and its G·Rᵀ sum in vector registers for the whole
 * row: up to five 256-bit vectors each (k mod 4 lanes scalar), so that an entry costs one load of
 * R[:,j] used for both its dot product and its update, one read-modify-write of Lᵀ·G[:,j], and no
 * loads or stores of the row's own data. Entries are taken one at a time; consecutive entries are
 * independent, so the processor overlaps them. Loaded, like the other vector kernel, only with
 * {@code --add-modules jdk.incubator.vector}.
 */
final class VectorRegisterKernel extends CompletionKernel {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;
    /** Widest k served: five full vectors and three scalar lanes. */
    static final int MAX_K = 23;

    @Override
    String name() {
        return "vector registers (256-bit)";
    }

    @Override
    double sweep(int k, int[] ptr, int[] col, double[] y, int from, int to,
                 double[] l, int rowStride, int colStride, double[] r, double invN,
                 double[] rowOut, boolean accumulate, double[] colOut, double[] buf) {
        if (k < 4 || k > MAX_K) {
            throw new IllegalArgumentException("this kernel serves 4 ≤ k ≤ " + MAX_K + ", got " + k);
        }
        final int nb = k / 4;
        final int vk = nb * 4;
        final DoubleVector zero = DoubleVector.zero(S);
        double ss = 0.0;
        for (int i = from; i < to; i++) {
            int e = ptr[i];
            int end = ptr[i + 1];
            int base = i * rowStride;
            if (e == end) {
                if (!accumulate) {
                    for (int c = 0; c < k; c++) {
                        rowOut[base + c * colStride] = 0.0;
                    }
                }
                continue;
            }
            for (int c = 0; c < k; c++) {
                buf[c] = l[base + c * colStride];
                buf[k + c] = accumulate ? rowOut[base + c * colStride] : 0.0;
            }
            DoubleVector l0 = DoubleVector.fromArray(S, buf, 0);
            DoubleVector l1 = nb > 1 ? DoubleVector.fromArray(S, buf, 4) : zero;
            DoubleVector l2 = nb > 2 ? DoubleVector.fromArray(S, buf, 8) : zero;
            DoubleVector l3 = nb > 3 ? DoubleVector.fromArray(S, buf, 12) : zero;
            DoubleVector l4 = nb > 4 ? DoubleVector.fromArray(S, buf, 16) : zero;
            DoubleVector a0 = zero;
            DoubleVector a1 = zero;
            DoubleVector a2 = zero;
            DoubleVector a3 = zero;
            DoubleVector a4 = zero;
            double t0 = vk < k ? buf[vk] : 0.0;
            double t1 = vk + 1 < k ? buf[vk + 1] : 0.0;
            double t2 = vk + 2 < k ? buf[vk + 2] : 0.0;
            double u0 = 0.0;
            double u1 = 0.0;
            double u2 = 0.0;
            for (; e < end; e++) {
                int j = col[e] * k;
                DoubleVector r0 = DoubleVector.fromArray(S, r, j);
                DoubleVector dot = l0.mul(r0);
                DoubleVector r1 = zero;
                DoubleVector r2 = zero;
                DoubleVector r3 = zero;
                DoubleVector r4 = zero;
                if (nb > 1) {
                    r1 = DoubleVector.fromArray(S, r, j + 4);
                    dot = l1.fma(r1, dot);
                    if (nb > 2) {
                        r2 = DoubleVector.fromArray(S, r, j + 8);
                        dot = l2.fma(r2, dot);
                        if (nb > 3) {
                            r3 = DoubleVector.fromArray(S, r, j + 12);
                            dot = l3.fma(r3, dot);
                            if (nb > 4) {
                                r4 = DoubleVector.fromArray(S, r, j + 16);
                                dot = l4.fma(r4, dot);
                            }
                        }
                    }
                }
                double s = dot.reduceLanes(VectorOperators.ADD);
                double q0 = 0.0;
                double q1 = 0.0;
                double q2 = 0.0;
                if (vk < k) {
                    q0 = r[j + vk];
                    s += t0 * q0;
                    if (vk + 1 < k) {
                        q1 = r[j + vk + 1];
                        s += t1 * q1;
                        if (vk + 2 < k) {
                            q2 = r[j + vk + 2];
                            s += t2 * q2;
                        }
                    }
                }
                double res = s - y[e];
                ss += res * res;
                double g = res * invN;
                DoubleVector gv = DoubleVector.broadcast(S, g);
                a0 = r0.fma(gv, a0);
                l0.fma(gv, DoubleVector.fromArray(S, colOut, j)).intoArray(colOut, j);
                if (nb > 1) {
                    a1 = r1.fma(gv, a1);
                    l1.fma(gv, DoubleVector.fromArray(S, colOut, j + 4)).intoArray(colOut, j + 4);
                    if (nb > 2) {
                        a2 = r2.fma(gv, a2);
                        l2.fma(gv, DoubleVector.fromArray(S, colOut, j + 8)).intoArray(colOut, j + 8);
                        if (nb > 3) {
                            a3 = r3.fma(gv, a3);
                            l3.fma(gv, DoubleVector.fromArray(S, colOut, j + 12)).intoArray(colOut, j + 12);
                            if (nb > 4) {
                                a4 = r4.fma(gv, a4);
                                l4.fma(gv, DoubleVector.fromArray(S, colOut, j + 16)).intoArray(colOut, j + 16);
                            }
                        }
                    }
                }
                if (vk < k) {
                    u0 += g * q0;
                    colOut[j + vk] += g * t0;
                    if (vk + 1 < k) {
                        u1 += g * q1;
                        colOut[j + vk + 1] += g * t1;
                        if (vk + 2 < k) {
                            u2 += g * q2;
                            colOut[j + vk + 2] += g * t2;
                        }
                    }
                }
            }
            // the row's sum: registers back to the buffer, then to G·Rᵀ
            a0.add(DoubleVector.fromArray(S, buf, k)).intoArray(buf, k);
            if (nb > 1) {
                a1.add(DoubleVector.fromArray(S, buf, k + 4)).intoArray(buf, k + 4);
            }
            if (nb > 2) {
                a2.add(DoubleVector.fromArray(S, buf, k + 8)).intoArray(buf, k + 8);
            }
            if (nb > 3) {
                a3.add(DoubleVector.fromArray(S, buf, k + 12)).intoArray(buf, k + 12);
            }
            if (nb > 4) {
                a4.add(DoubleVector.fromArray(S, buf, k + 16)).intoArray(buf, k + 16);
            }
            if (vk < k) {
                buf[k + vk] += u0;
            }
            if (vk + 1 < k) {
                buf[k + vk + 1] += u1;
            }
            if (vk + 2 < k) {
                buf[k + vk + 2] += u2;
            }
            for (int c = 0; c < k; c++) {
                rowOut[base + c * colStride] = buf[k + c];
            }
        }
        return ss;
    }
}
