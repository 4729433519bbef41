package org.cdln.problem;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link CompletionKernel} on factors padded to whole 256-bit vectors, four entries of a row at a
 * time. R and Lᵀ·G are k̄×d2 with k̄ = k rounded up to a multiple of 4 ({@link #stride}), their
 * last k̄ − k rows zero (the oracle copies R in and Lᵀ·G out, O(k̄·d2) per step), so that no lane
 * is handled by scalar code inside the sweep. Per group of four entries e0..e3 of row i:
 * <pre>
 *   d_q   = Σ_c L[i,c]·R[c,j_q]            four vectors of partial sums (k̄/4 FMAs each)
 *   s     = (Σ lanes d_0, …, Σ lanes d_3)  one 4×4 transpose-and-add (4 blends, 3 permutes, 3 adds)
 *   g     = (s − y)/|Ω|                    one vector for the four entries
 *   acc  += (g_0·R[:,j_0] + g_1·R[:,j_1]) + (g_2·R[:,j_2] + g_3·R[:,j_3])   the row's G·Rᵀ sum
 *   Lᵀ·G[:,j_q] += g_q·L[i,:]              k̄ FMAs per entry, read-modify-write
 * </pre>
 * so the horizontal reduction that a dot product needs is shared by four entries instead of paid
 * per entry, and the four entries' loads are independent (the processor overlaps their cache
 * misses). L[i,:] and the row sum live in a 2k̄ buffer (L1-resident) for the row. A row's last
 * 1–3 entries go one at a time. Each vector count (1–3, k ≤ 12) has its own unrolled loop, so that
 * every vector stays in a register (a vector chosen by a branch or carried through a loop of
 * variable length would be boxed). Cost 3k̄ multiply-adds per entry. Loaded only with
 * {@code --add-modules jdk.incubator.vector}.
 */
final class VectorBlockKernel extends CompletionKernel {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;
    /** Lanes 1 and 3. */
    private static final VectorMask<Double> ODD = VectorMask.fromValues(S, false, true, false, true);
    /** Lanes 2 and 3. */
    private static final VectorMask<Double> HIGH = VectorMask.fromValues(S, false, false, true, true);
    private static final VectorShuffle<Double> SWAP_PAIRS = VectorShuffle.fromValues(S, 1, 0, 3, 2);
    private static final VectorShuffle<Double> SWAP_HALVES = VectorShuffle.fromValues(S, 2, 3, 0, 1);
    private static final VectorShuffle<Double> LANE0 = VectorShuffle.fromValues(S, 0, 0, 0, 0);
    private static final VectorShuffle<Double> LANE1 = VectorShuffle.fromValues(S, 1, 1, 1, 1);
    private static final VectorShuffle<Double> LANE2 = VectorShuffle.fromValues(S, 2, 2, 2, 2);
    private static final VectorShuffle<Double> LANE3 = VectorShuffle.fromValues(S, 3, 3, 3, 3);

    @Override
    String name() {
        return "vector blocks (256-bit)";
    }

    @Override
    int stride(int k) {
        return (k + 3) & ~3;
    }

    /**
     * Whether the kernel serves inner width k: 1 ≤ k ≤ 12 (one to three vectors). Wider rows
     * would not stay in registers: C2 stops inlining the vector operations of a loop body that
     * large and boxes them (measured at k = 20: a hundred times slower).
     */
    static boolean serves(int k) {
        return k >= 1 && k <= 12;
    }

    @Override
    int maxWidth() {
        return 12;
    }

    @Override
    boolean servesWidth(int k) {
        return serves(k);
    }

    @Override
    double sweep(int k, int[] ptr, int[] col, double[] y, int from, int to,
                 double[] l, int rowStride, int colStride, double[] r, double invN,
                 double[] rowOut, boolean accumulate, double[] colOut, double[] buf) {
        if (!serves(k)) {
            throw new IllegalArgumentException("this kernel serves 1 ≤ k ≤ 12, got " + k);
        }
        final int kp = stride(k);
        final int nv = kp / 4;
        double ss = 0.0;
        for (int i = from; i < to; i++) {
            int e = ptr[i];
            int end = ptr[i + 1];
            int base = i * rowStride;
            // L[i,:] padded with zeros at [0, kp); the row's G·Rᵀ sum comes back at [kp, 2kp)
            if (!beginPaddedRow(k, kp, e == end, l, base, colStride, rowOut, accumulate, buf)) {
                continue;
            }
            ss += switch (nv) {
                case 1 -> row1(col, y, e, end, r, invN, colOut, buf);
                case 2 -> row2(col, y, e, end, r, invN, colOut, buf);
                default -> row3(col, y, e, end, r, invN, colOut, buf);
            };
            endPaddedRow(k, kp, base, colStride, rowOut, accumulate, buf);
        }
        return ss;
    }

    /** Entries [e, end) of one row at stride 4: L[i,:] in buf[0, 4), the row sum returned in buf[4, 8); returns Σ r_e². */
    private static double row1(int[] col, double[] y, int e, int end, double[] r, double invN,
                                 double[] colOut, double[] buf) {
        DoubleVector l0 = DoubleVector.fromArray(S, buf, 0);
        DoubleVector a0 = DoubleVector.zero(S);
        DoubleVector inv = DoubleVector.broadcast(S, invN);
        DoubleVector ssv = DoubleVector.zero(S);
        for (; e + 3 < end; e += 4) {
            int j0 = col[e + 0] * 4;
            int j1 = col[e + 1] * 4;
            int j2 = col[e + 2] * 4;
            int j3 = col[e + 3] * 4;
            DoubleVector d0 = l0.mul(DoubleVector.fromArray(S, r, j0));
            DoubleVector d1 = l0.mul(DoubleVector.fromArray(S, r, j1));
            DoubleVector d2 = l0.mul(DoubleVector.fromArray(S, r, j2));
            DoubleVector d3 = l0.mul(DoubleVector.fromArray(S, r, j3));
            DoubleVector p01 = d0.blend(d1, ODD).add(d1.blend(d0, ODD).rearrange(SWAP_PAIRS));
            DoubleVector p23 = d2.blend(d3, ODD).add(d3.blend(d2, ODD).rearrange(SWAP_PAIRS));
            DoubleVector res = p01.blend(p23, HIGH).add(p23.blend(p01, HIGH).rearrange(SWAP_HALVES))
                    .sub(DoubleVector.fromArray(S, y, e));
            ssv = res.fma(res, ssv);
            DoubleVector g = res.mul(inv);
            DoubleVector g0 = g.rearrange(LANE0);
            DoubleVector g1 = g.rearrange(LANE1);
            DoubleVector g2 = g.rearrange(LANE2);
            DoubleVector g3 = g.rearrange(LANE3);
            a0 = a0.add(DoubleVector.fromArray(S, r, j1).fma(g1, DoubleVector.fromArray(S, r, j0).mul(g0))
                    .add(DoubleVector.fromArray(S, r, j3).fma(g3, DoubleVector.fromArray(S, r, j2).mul(g2))));
            l0.fma(g0, DoubleVector.fromArray(S, colOut, j0)).intoArray(colOut, j0);
            l0.fma(g1, DoubleVector.fromArray(S, colOut, j1)).intoArray(colOut, j1);
            l0.fma(g2, DoubleVector.fromArray(S, colOut, j2)).intoArray(colOut, j2);
            l0.fma(g3, DoubleVector.fromArray(S, colOut, j3)).intoArray(colOut, j3);
        }
        double ss = ssv.reduceLanes(VectorOperators.ADD);
        for (; e < end; e++) {
            int j = col[e] * 4;
            double res = l0.mul(DoubleVector.fromArray(S, r, j)).reduceLanes(VectorOperators.ADD) - y[e];
            ss += res * res;
            DoubleVector gv = DoubleVector.broadcast(S, res * invN);
            a0 = DoubleVector.fromArray(S, r, j).fma(gv, a0);
            l0.fma(gv, DoubleVector.fromArray(S, colOut, j)).intoArray(colOut, j);
        }
        a0.intoArray(buf, 4);
        return ss;
    }

    /** Entries [e, end) of one row at stride 8: L[i,:] in buf[0, 8), the row sum returned in buf[8, 16); returns Σ r_e². */
    private static double row2(int[] col, double[] y, int e, int end, double[] r, double invN,
                                 double[] colOut, double[] buf) {
        DoubleVector l0 = DoubleVector.fromArray(S, buf, 0);
        DoubleVector l1 = DoubleVector.fromArray(S, buf, 4);
        DoubleVector a0 = DoubleVector.zero(S);
        DoubleVector a1 = DoubleVector.zero(S);
        DoubleVector inv = DoubleVector.broadcast(S, invN);
        DoubleVector ssv = DoubleVector.zero(S);
        for (; e + 3 < end; e += 4) {
            int j0 = col[e + 0] * 8;
            int j1 = col[e + 1] * 8;
            int j2 = col[e + 2] * 8;
            int j3 = col[e + 3] * 8;
            DoubleVector d0 = l1.fma(DoubleVector.fromArray(S, r, j0 + 4), l0.mul(DoubleVector.fromArray(S, r, j0)));
            DoubleVector d1 = l1.fma(DoubleVector.fromArray(S, r, j1 + 4), l0.mul(DoubleVector.fromArray(S, r, j1)));
            DoubleVector d2 = l1.fma(DoubleVector.fromArray(S, r, j2 + 4), l0.mul(DoubleVector.fromArray(S, r, j2)));
            DoubleVector d3 = l1.fma(DoubleVector.fromArray(S, r, j3 + 4), l0.mul(DoubleVector.fromArray(S, r, j3)));
            DoubleVector p01 = d0.blend(d1, ODD).add(d1.blend(d0, ODD).rearrange(SWAP_PAIRS));
            DoubleVector p23 = d2.blend(d3, ODD).add(d3.blend(d2, ODD).rearrange(SWAP_PAIRS));
            DoubleVector res = p01.blend(p23, HIGH).add(p23.blend(p01, HIGH).rearrange(SWAP_HALVES))
                    .sub(DoubleVector.fromArray(S, y, e));
            ssv = res.fma(res, ssv);
            DoubleVector g = res.mul(inv);
            DoubleVector g0 = g.rearrange(LANE0);
            DoubleVector g1 = g.rearrange(LANE1);
            DoubleVector g2 = g.rearrange(LANE2);
            DoubleVector g3 = g.rearrange(LANE3);
            a0 = a0.add(DoubleVector.fromArray(S, r, j1).fma(g1, DoubleVector.fromArray(S, r, j0).mul(g0))
                    .add(DoubleVector.fromArray(S, r, j3).fma(g3, DoubleVector.fromArray(S, r, j2).mul(g2))));
            a1 = a1.add(DoubleVector.fromArray(S, r, j1 + 4).fma(g1, DoubleVector.fromArray(S, r, j0 + 4).mul(g0))
                    .add(DoubleVector.fromArray(S, r, j3 + 4).fma(g3, DoubleVector.fromArray(S, r, j2 + 4).mul(g2))));
            l0.fma(g0, DoubleVector.fromArray(S, colOut, j0)).intoArray(colOut, j0);
            l1.fma(g0, DoubleVector.fromArray(S, colOut, j0 + 4)).intoArray(colOut, j0 + 4);
            l0.fma(g1, DoubleVector.fromArray(S, colOut, j1)).intoArray(colOut, j1);
            l1.fma(g1, DoubleVector.fromArray(S, colOut, j1 + 4)).intoArray(colOut, j1 + 4);
            l0.fma(g2, DoubleVector.fromArray(S, colOut, j2)).intoArray(colOut, j2);
            l1.fma(g2, DoubleVector.fromArray(S, colOut, j2 + 4)).intoArray(colOut, j2 + 4);
            l0.fma(g3, DoubleVector.fromArray(S, colOut, j3)).intoArray(colOut, j3);
            l1.fma(g3, DoubleVector.fromArray(S, colOut, j3 + 4)).intoArray(colOut, j3 + 4);
        }
        double ss = ssv.reduceLanes(VectorOperators.ADD);
        for (; e < end; e++) {
            int j = col[e] * 8;
            double res = l1.fma(DoubleVector.fromArray(S, r, j + 4), l0.mul(DoubleVector.fromArray(S, r, j))).reduceLanes(VectorOperators.ADD) - y[e];
            ss += res * res;
            DoubleVector gv = DoubleVector.broadcast(S, res * invN);
            a0 = DoubleVector.fromArray(S, r, j).fma(gv, a0);
            l0.fma(gv, DoubleVector.fromArray(S, colOut, j)).intoArray(colOut, j);
            a1 = DoubleVector.fromArray(S, r, j + 4).fma(gv, a1);
            l1.fma(gv, DoubleVector.fromArray(S, colOut, j + 4)).intoArray(colOut, j + 4);
        }
        a0.intoArray(buf, 8);
        a1.intoArray(buf, 12);
        return ss;
    }

    /** Entries [e, end) of one row at stride 12: L[i,:] in buf[0, 12), the row sum returned in buf[12, 24); returns Σ r_e². */
    private static double row3(int[] col, double[] y, int e, int end, double[] r, double invN,
                                 double[] colOut, double[] buf) {
        DoubleVector l0 = DoubleVector.fromArray(S, buf, 0);
        DoubleVector l1 = DoubleVector.fromArray(S, buf, 4);
        DoubleVector l2 = DoubleVector.fromArray(S, buf, 8);
        DoubleVector a0 = DoubleVector.zero(S);
        DoubleVector a1 = DoubleVector.zero(S);
        DoubleVector a2 = DoubleVector.zero(S);
        DoubleVector inv = DoubleVector.broadcast(S, invN);
        DoubleVector ssv = DoubleVector.zero(S);
        for (; e + 3 < end; e += 4) {
            int j0 = col[e + 0] * 12;
            int j1 = col[e + 1] * 12;
            int j2 = col[e + 2] * 12;
            int j3 = col[e + 3] * 12;
            DoubleVector d0 = l2.fma(DoubleVector.fromArray(S, r, j0 + 8), l1.fma(DoubleVector.fromArray(S, r, j0 + 4), l0.mul(DoubleVector.fromArray(S, r, j0))));
            DoubleVector d1 = l2.fma(DoubleVector.fromArray(S, r, j1 + 8), l1.fma(DoubleVector.fromArray(S, r, j1 + 4), l0.mul(DoubleVector.fromArray(S, r, j1))));
            DoubleVector d2 = l2.fma(DoubleVector.fromArray(S, r, j2 + 8), l1.fma(DoubleVector.fromArray(S, r, j2 + 4), l0.mul(DoubleVector.fromArray(S, r, j2))));
            DoubleVector d3 = l2.fma(DoubleVector.fromArray(S, r, j3 + 8), l1.fma(DoubleVector.fromArray(S, r, j3 + 4), l0.mul(DoubleVector.fromArray(S, r, j3))));
            DoubleVector p01 = d0.blend(d1, ODD).add(d1.blend(d0, ODD).rearrange(SWAP_PAIRS));
            DoubleVector p23 = d2.blend(d3, ODD).add(d3.blend(d2, ODD).rearrange(SWAP_PAIRS));
            DoubleVector res = p01.blend(p23, HIGH).add(p23.blend(p01, HIGH).rearrange(SWAP_HALVES))
                    .sub(DoubleVector.fromArray(S, y, e));
            ssv = res.fma(res, ssv);
            DoubleVector g = res.mul(inv);
            DoubleVector g0 = g.rearrange(LANE0);
            DoubleVector g1 = g.rearrange(LANE1);
            DoubleVector g2 = g.rearrange(LANE2);
            DoubleVector g3 = g.rearrange(LANE3);
            a0 = a0.add(DoubleVector.fromArray(S, r, j1).fma(g1, DoubleVector.fromArray(S, r, j0).mul(g0))
                    .add(DoubleVector.fromArray(S, r, j3).fma(g3, DoubleVector.fromArray(S, r, j2).mul(g2))));
            a1 = a1.add(DoubleVector.fromArray(S, r, j1 + 4).fma(g1, DoubleVector.fromArray(S, r, j0 + 4).mul(g0))
                    .add(DoubleVector.fromArray(S, r, j3 + 4).fma(g3, DoubleVector.fromArray(S, r, j2 + 4).mul(g2))));
            a2 = a2.add(DoubleVector.fromArray(S, r, j1 + 8).fma(g1, DoubleVector.fromArray(S, r, j0 + 8).mul(g0))
                    .add(DoubleVector.fromArray(S, r, j3 + 8).fma(g3, DoubleVector.fromArray(S, r, j2 + 8).mul(g2))));
            l0.fma(g0, DoubleVector.fromArray(S, colOut, j0)).intoArray(colOut, j0);
            l1.fma(g0, DoubleVector.fromArray(S, colOut, j0 + 4)).intoArray(colOut, j0 + 4);
            l2.fma(g0, DoubleVector.fromArray(S, colOut, j0 + 8)).intoArray(colOut, j0 + 8);
            l0.fma(g1, DoubleVector.fromArray(S, colOut, j1)).intoArray(colOut, j1);
            l1.fma(g1, DoubleVector.fromArray(S, colOut, j1 + 4)).intoArray(colOut, j1 + 4);
            l2.fma(g1, DoubleVector.fromArray(S, colOut, j1 + 8)).intoArray(colOut, j1 + 8);
            l0.fma(g2, DoubleVector.fromArray(S, colOut, j2)).intoArray(colOut, j2);
            l1.fma(g2, DoubleVector.fromArray(S, colOut, j2 + 4)).intoArray(colOut, j2 + 4);
            l2.fma(g2, DoubleVector.fromArray(S, colOut, j2 + 8)).intoArray(colOut, j2 + 8);
            l0.fma(g3, DoubleVector.fromArray(S, colOut, j3)).intoArray(colOut, j3);
            l1.fma(g3, DoubleVector.fromArray(S, colOut, j3 + 4)).intoArray(colOut, j3 + 4);
            l2.fma(g3, DoubleVector.fromArray(S, colOut, j3 + 8)).intoArray(colOut, j3 + 8);
        }
        double ss = ssv.reduceLanes(VectorOperators.ADD);
        for (; e < end; e++) {
            int j = col[e] * 12;
            double res = l2.fma(DoubleVector.fromArray(S, r, j + 8), l1.fma(DoubleVector.fromArray(S, r, j + 4), l0.mul(DoubleVector.fromArray(S, r, j)))).reduceLanes(VectorOperators.ADD) - y[e];
            ss += res * res;
            DoubleVector gv = DoubleVector.broadcast(S, res * invN);
            a0 = DoubleVector.fromArray(S, r, j).fma(gv, a0);
            l0.fma(gv, DoubleVector.fromArray(S, colOut, j)).intoArray(colOut, j);
            a1 = DoubleVector.fromArray(S, r, j + 4).fma(gv, a1);
            l1.fma(gv, DoubleVector.fromArray(S, colOut, j + 4)).intoArray(colOut, j + 4);
            a2 = DoubleVector.fromArray(S, r, j + 8).fma(gv, a2);
            l2.fma(gv, DoubleVector.fromArray(S, colOut, j + 8)).intoArray(colOut, j + 8);
        }
        a0.intoArray(buf, 12);
        a1.intoArray(buf, 16);
        a2.intoArray(buf, 20);
        return ss;
    }

}
