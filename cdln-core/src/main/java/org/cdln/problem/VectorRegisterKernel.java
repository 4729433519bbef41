package org.cdln.problem;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link CompletionKernel} for the compressed networks' inner widths — 8 ≤ k ≤ 11 (r̂ = 10) and
 * 20 ≤ k ≤ 23 (r̂ = 20) — that keeps a row's L[i,:] and its G·Rᵀ sum in vector registers for the
 * whole row: two or five 256-bit vectors each, the last k mod 4 lanes in scalars. An entry then
 * costs one load of R[:,j], used for both its dot product and its update, and one
 * read-modify-write of Lᵀ·G[:,j]; the row's own data is neither loaded nor stored per entry.
 * Entries are taken one at a time, software-pipelined: for 8 ≤ k ≤ 11 entry e+1's loads and dot
 * product are issued before entry e's update, for 20 ≤ k ≤ 23 entry e+2's (the update reloading
 * R[:,j]); the sums are still formed in entry order, so the results are bit for bit those of the
 * plain loop. Where a row's L[i,:] and G·Rᵀ row are contiguous (colStride 1: the transposed L of
 * a panelled sweep) the row loop reads and writes them in place, else through the scratch buffer.
 * Each width class has its own loop with a fixed number of vectors, so that no vector
 * value is chosen by a branch (the JIT would then box it). Loaded, like the other vector kernel,
 * only with {@code --add-modules jdk.incubator.vector}.
 */
final class VectorRegisterKernel extends CompletionKernel {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;

    /** Whether the kernel serves inner width k. */
    static boolean serves(int k) {
        return (k >= 8 && k <= 11) || (k >= 20 && k <= 23);
    }

    @Override
    int maxWidth() {
        return 23;
    }

    @Override
    boolean servesWidth(int k) {
        return serves(k);
    }

    @Override
    String name() {
        return "vector registers (256-bit)";
    }

    @Override
    double sweep(int k, int[] ptr, int[] col, double[] y, int from, int to,
                 double[] l, int rowStride, int colStride, double[] r, double invN,
                 double[] rowOut, boolean accumulate, double[] colOut, double[] buf) {
        if (!serves(k)) {
            throw new IllegalArgumentException("this kernel serves 8 ≤ k ≤ 11 and 20 ≤ k ≤ 23, got " + k);
        }
        final boolean two = k <= 11;
        double ss = 0.0;
        if (colStride == 1) {
            // a row's L[i,:] and G·Rᵀ row are contiguous (the transposed L of a panelled sweep):
            // the row loop loads and stores them in place. Through buf, the vector loads of L
            // would read what scalar stores just wrote, which the store buffer cannot forward: a
            // stall per vector at every row, the most of the time in rows of a few entries
            // (10⁵×10⁵ panels, ≈ 3 entries a row: 27.4 against 14.9 ns per entry in place)
            for (int i = from; i < to; i++) {
                int e = ptr[i];
                int end = ptr[i + 1];
                int base = i * rowStride;
                if (e == end) {
                    clearRow(k, base, 1, rowOut, accumulate);
                    continue;
                }
                ss += two ? row2(k, col, y, e, end, r, invN, colOut, l, base, rowOut, base, accumulate)
                        : row5(k, col, y, e, end, r, invN, colOut, l, base, rowOut, base, accumulate);
            }
            return ss;
        }
        for (int i = from; i < to; i++) {
            int e = ptr[i];
            int end = ptr[i + 1];
            int base = i * rowStride;
            if (!beginRow(k, e == end, l, base, colStride, rowOut, accumulate, buf)) {
                continue;
            }
            ss += two ? row2(k, col, y, e, end, r, invN, colOut, buf, 0, buf, k, true)
                    : row5(k, col, y, e, end, r, invN, colOut, buf, 0, buf, k, true);
            endRow(k, base, colStride, rowOut, buf);
        }
        return ss;
    }

    /**
     * Entries [e, end) of one row, 8 ≤ k ≤ 11: L[i,:] at lRow[lAt, lAt + k); the row sum written
     * to sum[sumAt, sumAt + k), or added to what is there when {@code add}.
     */
    private static double row2(int k, int[] col, double[] y, int e, int end, double[] r, double invN,
                               double[] colOut, double[] lRow, int lAt, double[] sum, int sumAt, boolean add) {
        final int t = k - 8;   // scalar lanes 0..3
        DoubleVector l0 = DoubleVector.fromArray(S, lRow, lAt);
        DoubleVector l1 = DoubleVector.fromArray(S, lRow, lAt + 4);
        double t0 = t > 0 ? lRow[lAt + 8] : 0.0;
        double t1 = t > 1 ? lRow[lAt + 9] : 0.0;
        double t2 = t > 2 ? lRow[lAt + 10] : 0.0;
        DoubleVector a0 = DoubleVector.zero(S);
        DoubleVector a1 = DoubleVector.zero(S);
        double u0 = 0.0;
        double u1 = 0.0;
        double u2 = 0.0;
        double ss = 0.0;
        // software-pipelined: entry e+1's loads and dot product are issued before entry e's
        // update, so that the long chain load → dot → reduction → residual of one entry overlaps
        // the other's read-modify-write instead of waiting for the out-of-order window to reach
        // it; every sum is still formed in entry order, so the results are those of the plain loop
        int j = col[e] * k;
        DoubleVector r0 = DoubleVector.fromArray(S, r, j);
        DoubleVector r1 = DoubleVector.fromArray(S, r, j + 4);
        double q0 = t > 0 ? r[j + 8] : 0.0;
        double q1 = t > 1 ? r[j + 9] : 0.0;
        double q2 = t > 2 ? r[j + 10] : 0.0;
        double res = l1.fma(r1, l0.mul(r0)).reduceLanes(VectorOperators.ADD) + ((t0 * q0 + t1 * q1) + t2 * q2) - y[e];
        for (e++; e < end; e++) {
            int jn = col[e] * k;
            DoubleVector n0 = DoubleVector.fromArray(S, r, jn);
            DoubleVector n1 = DoubleVector.fromArray(S, r, jn + 4);
            double p0 = t > 0 ? r[jn + 8] : 0.0;
            double p1 = t > 1 ? r[jn + 9] : 0.0;
            double p2 = t > 2 ? r[jn + 10] : 0.0;
            double resNext = l1.fma(n1, l0.mul(n0)).reduceLanes(VectorOperators.ADD) + ((t0 * p0 + t1 * p1) + t2 * p2)
                    - y[e];
            ss += res * res;
            double g = res * invN;
            DoubleVector gv = DoubleVector.broadcast(S, g);
            a0 = r0.fma(gv, a0);
            a1 = r1.fma(gv, a1);
            l0.fma(gv, DoubleVector.fromArray(S, colOut, j)).intoArray(colOut, j);
            l1.fma(gv, DoubleVector.fromArray(S, colOut, j + 4)).intoArray(colOut, j + 4);
            if (t > 0) {
                u0 += g * q0;
                colOut[j + 8] += g * t0;
                if (t > 1) {
                    u1 += g * q1;
                    colOut[j + 9] += g * t1;
                    if (t > 2) {
                        u2 += g * q2;
                        colOut[j + 10] += g * t2;
                    }
                }
            }
            j = jn;
            r0 = n0;
            r1 = n1;
            q0 = p0;
            q1 = p1;
            q2 = p2;
            res = resNext;
        }
        ss += res * res;
        double g = res * invN;
        DoubleVector gv = DoubleVector.broadcast(S, g);
        a0 = r0.fma(gv, a0);
        a1 = r1.fma(gv, a1);
        l0.fma(gv, DoubleVector.fromArray(S, colOut, j)).intoArray(colOut, j);
        l1.fma(gv, DoubleVector.fromArray(S, colOut, j + 4)).intoArray(colOut, j + 4);
        if (t > 0) {
            u0 += g * q0;
            colOut[j + 8] += g * t0;
            if (t > 1) {
                u1 += g * q1;
                colOut[j + 9] += g * t1;
                if (t > 2) {
                    u2 += g * q2;
                    colOut[j + 10] += g * t2;
                }
            }
        }
        // "+ 0.0" where nothing is added: the sums a zeroed buffer would give (−0.0 becomes 0.0)
        if (add) {
            a0.add(DoubleVector.fromArray(S, sum, sumAt)).intoArray(sum, sumAt);
            a1.add(DoubleVector.fromArray(S, sum, sumAt + 4)).intoArray(sum, sumAt + 4);
        } else {
            a0.add(0.0).intoArray(sum, sumAt);
            a1.add(0.0).intoArray(sum, sumAt + 4);
        }
        if (t > 0) {
            sum[sumAt + 8] = (add ? sum[sumAt + 8] : 0.0) + u0;
        }
        if (t > 1) {
            sum[sumAt + 9] = (add ? sum[sumAt + 9] : 0.0) + u1;
        }
        if (t > 2) {
            sum[sumAt + 10] = (add ? sum[sumAt + 10] : 0.0) + u2;
        }
        return ss;
    }

    /**
     * Entries [e, end) of one row, 20 ≤ k ≤ 23: L[i,:] at lRow[lAt, lAt + k); the row sum written
     * to sum[sumAt, sumAt + k), or added to what is there when {@code add}. Pipelined two entries
     * deep: entry e+2's loads, dot product and residual are issued before entry e's update, which
     * reloads R[:,j] (an L1 hit) instead of holding five more vectors, so that one entry's chain
     * column index → loads → dot → reduction → residual overlaps two updates. The sums are formed
     * in entry order, as in a plain loop.
     */
    private static double row5(int k, int[] col, double[] y, int e, int end, double[] r, double invN,
                               double[] colOut, double[] lRow, int lAt, double[] sum, int sumAt, boolean add) {
        final int t = k - 20;
        DoubleVector l0 = DoubleVector.fromArray(S, lRow, lAt);
        DoubleVector l1 = DoubleVector.fromArray(S, lRow, lAt + 4);
        DoubleVector l2 = DoubleVector.fromArray(S, lRow, lAt + 8);
        DoubleVector l3 = DoubleVector.fromArray(S, lRow, lAt + 12);
        DoubleVector l4 = DoubleVector.fromArray(S, lRow, lAt + 16);
        double t0 = t > 0 ? lRow[lAt + 20] : 0.0;
        double t1 = t > 1 ? lRow[lAt + 21] : 0.0;
        double t2 = t > 2 ? lRow[lAt + 22] : 0.0;
        DoubleVector a0 = DoubleVector.zero(S);
        DoubleVector a1 = DoubleVector.zero(S);
        DoubleVector a2 = DoubleVector.zero(S);
        DoubleVector a3 = DoubleVector.zero(S);
        DoubleVector a4 = DoubleVector.zero(S);
        double u0 = 0.0;
        double u1 = 0.0;
        double u2 = 0.0;
        double ss = 0.0;
        // the pipeline holds entries e (j, res) and e+1 (j1, res1); a row of one entry fills only the first
        int j = col[e] * k;
        double res = l4.fma(DoubleVector.fromArray(S, r, j + 16), l3.fma(DoubleVector.fromArray(S, r, j + 12),
                l2.fma(DoubleVector.fromArray(S, r, j + 8), l1.fma(DoubleVector.fromArray(S, r, j + 4),
                        l0.mul(DoubleVector.fromArray(S, r, j)))))).reduceLanes(VectorOperators.ADD)
                + ((t0 * (t > 0 ? r[j + 20] : 0.0) + t1 * (t > 1 ? r[j + 21] : 0.0)) + t2 * (t > 2 ? r[j + 22] : 0.0))
                - y[e];
        int j1 = j;
        double res1 = 0.0;
        if (e + 1 < end) {
            j1 = col[e + 1] * k;
            res1 = l4.fma(DoubleVector.fromArray(S, r, j1 + 16), l3.fma(DoubleVector.fromArray(S, r, j1 + 12),
                    l2.fma(DoubleVector.fromArray(S, r, j1 + 8), l1.fma(DoubleVector.fromArray(S, r, j1 + 4),
                            l0.mul(DoubleVector.fromArray(S, r, j1)))))).reduceLanes(VectorOperators.ADD)
                    + ((t0 * (t > 0 ? r[j1 + 20] : 0.0) + t1 * (t > 1 ? r[j1 + 21] : 0.0)) + t2 * (t > 2 ? r[j1 + 22] : 0.0))
                    - y[e + 1];
        }
        for (e += 2; ; e++) {
            int jn = j1;
            double resNext = 0.0;
            boolean more = e < end;
            if (more) {
                jn = col[e] * k;
                resNext = l4.fma(DoubleVector.fromArray(S, r, jn + 16), l3.fma(DoubleVector.fromArray(S, r, jn + 12),
                        l2.fma(DoubleVector.fromArray(S, r, jn + 8), l1.fma(DoubleVector.fromArray(S, r, jn + 4),
                                l0.mul(DoubleVector.fromArray(S, r, jn)))))).reduceLanes(VectorOperators.ADD)
                        + ((t0 * (t > 0 ? r[jn + 20] : 0.0) + t1 * (t > 1 ? r[jn + 21] : 0.0)) + t2 * (t > 2 ? r[jn + 22] : 0.0))
                        - y[e];
            }
            ss += res * res;
            double g = res * invN;
            DoubleVector gv = DoubleVector.broadcast(S, g);
            a0 = DoubleVector.fromArray(S, r, j).fma(gv, a0);
            a1 = DoubleVector.fromArray(S, r, j + 4).fma(gv, a1);
            a2 = DoubleVector.fromArray(S, r, j + 8).fma(gv, a2);
            a3 = DoubleVector.fromArray(S, r, j + 12).fma(gv, a3);
            a4 = DoubleVector.fromArray(S, r, j + 16).fma(gv, a4);
            l0.fma(gv, DoubleVector.fromArray(S, colOut, j)).intoArray(colOut, j);
            l1.fma(gv, DoubleVector.fromArray(S, colOut, j + 4)).intoArray(colOut, j + 4);
            l2.fma(gv, DoubleVector.fromArray(S, colOut, j + 8)).intoArray(colOut, j + 8);
            l3.fma(gv, DoubleVector.fromArray(S, colOut, j + 12)).intoArray(colOut, j + 12);
            l4.fma(gv, DoubleVector.fromArray(S, colOut, j + 16)).intoArray(colOut, j + 16);
            if (t > 0) {
                u0 += g * r[j + 20];
                colOut[j + 20] += g * t0;
                if (t > 1) {
                    u1 += g * r[j + 21];
                    colOut[j + 21] += g * t1;
                    if (t > 2) {
                        u2 += g * r[j + 22];
                        colOut[j + 22] += g * t2;
                    }
                }
            }
            if (!more && e - 1 >= end) {
                break;   // the entry just updated was the row's last
            }
            j = j1;
            res = res1;
            j1 = jn;
            res1 = resNext;
        }
        if (add) {
            a0.add(DoubleVector.fromArray(S, sum, sumAt)).intoArray(sum, sumAt);
            a1.add(DoubleVector.fromArray(S, sum, sumAt + 4)).intoArray(sum, sumAt + 4);
            a2.add(DoubleVector.fromArray(S, sum, sumAt + 8)).intoArray(sum, sumAt + 8);
            a3.add(DoubleVector.fromArray(S, sum, sumAt + 12)).intoArray(sum, sumAt + 12);
            a4.add(DoubleVector.fromArray(S, sum, sumAt + 16)).intoArray(sum, sumAt + 16);
        } else {
            a0.add(0.0).intoArray(sum, sumAt);
            a1.add(0.0).intoArray(sum, sumAt + 4);
            a2.add(0.0).intoArray(sum, sumAt + 8);
            a3.add(0.0).intoArray(sum, sumAt + 12);
            a4.add(0.0).intoArray(sum, sumAt + 16);
        }
        if (t > 0) {
            sum[sumAt + 20] = (add ? sum[sumAt + 20] : 0.0) + u0;
        }
        if (t > 1) {
            sum[sumAt + 21] = (add ? sum[sumAt + 21] : 0.0) + u1;
        }
        if (t > 2) {
            sum[sumAt + 22] = (add ? sum[sumAt + 22] : 0.0) + u2;
        }
        return ss;
    }
}
