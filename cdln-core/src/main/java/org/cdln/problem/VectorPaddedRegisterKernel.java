package org.cdln.problem;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link CompletionKernel} for 9 ≤ k ≤ 12 (the r̂ = 10 networks) on factors padded to three
 * whole 256-bit vectors: R and Lᵀ·G are 12×d2 ({@link #stride}), their rows k..11 zero (the
 * oracle copies R in and Lᵀ·G out, O(12·d2) per step), and a row's L[i,:] and G·Rᵀ sum are three
 * vectors each, held in registers for the whole row, the padded lanes zero. Per entry e = (i, j):
 * <pre>
 *   r_e = Σ lanes (L0·R0[j] + L1·R1[j] + L2·R2[j]) − y_e        three loads, one reduction
 *   acc += g_e·R[:,j];   Lᵀ·G[:,j] += g_e·L[i,:]                three FMAs, three read-modify-writes
 * </pre>
 * with g_e = r_e/|Ω|. It is {@link VectorRegisterKernel}'s loop without its scalar lanes: at
 * k = 10 that kernel handles lanes 8 and 9 with scalar loads, multiply-adds and read-modify-writes
 * of Lᵀ·G (a dozen scalar operations per entry, behind a branch per lane), which cost more than
 * a third vector whose last two lanes are zero. The loop is software-pipelined the same way
 * (entry e+1's loads and dot product are issued before entry e's update; every sum is still formed
 * in entry order). Cost 36 multiply-adds per entry (3k̄); traffic per entry 12 bytes of index and
 * value, 96 bytes of R[:,j] read and 96 of Lᵀ·G[:,j] read and written. Which of the kernels a
 * problem runs is measured ({@link CompletionPathChoice}). The vector set-up and the last entry's
 * update are written out, as in the other vector kernels, not shared through helper methods: a
 * vector passed to a call that C2 does not inline is boxed. Loaded only with
 * {@code --add-modules jdk.incubator.vector}.
 */
final class VectorPaddedRegisterKernel extends CompletionKernel {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;
    /** The padded width: three 256-bit vectors. */
    private static final int KP = 12;

    /** Whether the kernel serves inner width k. */
    static boolean serves(int k) {
        return k >= 9 && k <= KP;
    }

    @Override
    String name() {
        return "vector padded registers (256-bit)";
    }

    @Override
    int stride(int k) {
        return serves(k) ? KP : k;
    }

    @Override
    int maxWidth() {
        return KP;
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
            throw new IllegalArgumentException("this kernel serves 9 ≤ k ≤ 12, got " + k);
        }
        double ss = 0.0;
        for (int i = from; i < to; i++) {
            int e = ptr[i];
            int end = ptr[i + 1];
            int base = i * rowStride;
            // L[i,:] padded with zeros at [0, 12); the row's G·Rᵀ sum comes back at [12, 24)
            if (!beginPaddedRow(k, KP, e == end, l, base, colStride, rowOut, accumulate, buf)) {
                continue;
            }
            ss += row(col, y, e, end, r, invN, colOut, buf);
            endPaddedRow(k, KP, base, colStride, rowOut, accumulate, buf);
        }
        return ss;
    }

    /** Entries [e, end) of one row: L[i,:] in buf[0, 12), the row's sum written to buf[12, 24); returns Σ r_e². */
    private static double row(int[] col, double[] y, int e, int end, double[] r, double invN,
                              double[] colOut, double[] buf) {
        DoubleVector l0 = DoubleVector.fromArray(S, buf, 0);
        DoubleVector l1 = DoubleVector.fromArray(S, buf, 4);
        DoubleVector l2 = DoubleVector.fromArray(S, buf, 8);
        DoubleVector a0 = DoubleVector.zero(S);
        DoubleVector a1 = DoubleVector.zero(S);
        DoubleVector a2 = DoubleVector.zero(S);
        double ss = 0.0;
        int j = col[e] * KP;
        DoubleVector r0 = DoubleVector.fromArray(S, r, j);
        DoubleVector r1 = DoubleVector.fromArray(S, r, j + 4);
        DoubleVector r2 = DoubleVector.fromArray(S, r, j + 8);
        double res = l2.fma(r2, l1.fma(r1, l0.mul(r0))).reduceLanes(VectorOperators.ADD) - y[e];
        for (e++; e < end; e++) {
            int jn = col[e] * KP;
            DoubleVector n0 = DoubleVector.fromArray(S, r, jn);
            DoubleVector n1 = DoubleVector.fromArray(S, r, jn + 4);
            DoubleVector n2 = DoubleVector.fromArray(S, r, jn + 8);
            double resNext = l2.fma(n2, l1.fma(n1, l0.mul(n0))).reduceLanes(VectorOperators.ADD) - y[e];
            ss += res * res;
            DoubleVector gv = DoubleVector.broadcast(S, res * invN);
            a0 = r0.fma(gv, a0);
            a1 = r1.fma(gv, a1);
            a2 = r2.fma(gv, a2);
            l0.fma(gv, DoubleVector.fromArray(S, colOut, j)).intoArray(colOut, j);
            l1.fma(gv, DoubleVector.fromArray(S, colOut, j + 4)).intoArray(colOut, j + 4);
            l2.fma(gv, DoubleVector.fromArray(S, colOut, j + 8)).intoArray(colOut, j + 8);
            j = jn;
            r0 = n0;
            r1 = n1;
            r2 = n2;
            res = resNext;
        }
        ss += res * res;
        DoubleVector gv = DoubleVector.broadcast(S, res * invN);
        a0 = r0.fma(gv, a0);
        a1 = r1.fma(gv, a1);
        a2 = r2.fma(gv, a2);
        l0.fma(gv, DoubleVector.fromArray(S, colOut, j)).intoArray(colOut, j);
        l1.fma(gv, DoubleVector.fromArray(S, colOut, j + 4)).intoArray(colOut, j + 4);
        l2.fma(gv, DoubleVector.fromArray(S, colOut, j + 8)).intoArray(colOut, j + 8);
        a0.intoArray(buf, KP);
        a1.intoArray(buf, KP + 4);
        a2.intoArray(buf, KP + 8);
        return ss;
    }
}
