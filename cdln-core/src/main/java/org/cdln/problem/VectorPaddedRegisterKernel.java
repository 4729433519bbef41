package org.cdln.problem;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link CompletionKernel} for 9 ≤ k ≤ 12 (the r̂ = 10 networks) on factors padded to three
 * whole 256-bit vectors: R and Lᵀ·G are 12×d2 ({@link #stride}), their rows k..11 zero (the
 * oracle copies R in and Lᵀ·G out, O(12·d2) per step), and a row's L[i,:] and G·Rᵀ sum are three
 * vectors each, held in registers for the whole row, the padded lanes zero. The kernel takes the
 * observed values already divided by |Ω| ({@link #scaledValues}: y'_e = y_e/|Ω|, built once by
 * the oracle) and scales the row's L[i,:] once, so that per entry e = (i, j) it forms the
 * gradient entry directly:
 * <pre>
 *   g_e = Σ lanes (L0'·R0[j] + L1'·R1[j] + L2'·R2[j]) − y'_e   three loads, one reduction
 *   acc += g_e·R[:,j];   Lᵀ·G[:,j] += g_e·L[i,:]                three FMAs, three read-modify-writes
 *   Σ r_e² = |Ω|²·Σ g_e²                                         one scalar multiply-add
 * </pre>
 * with L' = L[i,:]/|Ω| in three vectors beside L[i,:]. That is one scalar multiply and one add
 * fewer per entry than forming r_e and then r_e/|Ω|, on the ports that also run the reduction's
 * scalar additions: at d = 300, p = 0.3 the sweep took 0.90–0.94× the time (JMH, 1 thread, JDK 17
 * and 25); the results differ from those of r_e/|Ω| only in the last bits. It is {@link VectorRegisterKernel}'s loop without its scalar lanes: at
 * k = 10 that kernel handles lanes 8 and 9 with scalar loads, multiply-adds and read-modify-writes
 * of Lᵀ·G (a dozen scalar operations per entry, behind a branch per lane), which cost more than
 * a third vector whose last two lanes are zero. The loop is software-pipelined two entries deep
 * (entry e+2's loads and dot product are issued before entry e's update, which reloads R[:,j]
 * from L1; every sum is still formed in entry order). Cost 36 multiply-adds per entry (3k̄); traffic per entry 12 bytes of index and
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
        // Σ r_e² = |Ω|²·Σ g_e²
        return ss / (invN * invN);
    }

    /** True: {@link #sweep}'s y holds y_e/|Ω|. */
    @Override
    boolean scaledValues() {
        return true;
    }

    /**
     * Entries [e, end) of one row: L[i,:] in buf[0, 12), the row's sum written to buf[12, 24), y
     * divided by |Ω|; returns Σ g_e². Pipelined two entries deep: entry e+2's loads, dot product
     * and g_e are issued before entry e's update, which reloads R[:,j] (an L1 hit) instead of
     * holding it, so that the long chain column index → loads → dot → reduction → g_e of one entry
     * overlaps two updates. Every sum is still formed in entry order.
     */
    private static double row(int[] col, double[] y, int e, int end, double[] r, double invN,
                              double[] colOut, double[] buf) {
        DoubleVector l0 = DoubleVector.fromArray(S, buf, 0);
        DoubleVector l1 = DoubleVector.fromArray(S, buf, 4);
        DoubleVector l2 = DoubleVector.fromArray(S, buf, 8);
        // L[i,:]/|Ω| for the dot products, L[i,:] itself for the updates of Lᵀ·G
        DoubleVector s0 = l0.mul(invN);
        DoubleVector s1 = l1.mul(invN);
        DoubleVector s2 = l2.mul(invN);
        DoubleVector a0 = DoubleVector.zero(S);
        DoubleVector a1 = DoubleVector.zero(S);
        DoubleVector a2 = DoubleVector.zero(S);
        double ss = 0.0;
        // the pipeline holds entries e (j, g) and e+1 (j1, g1); a row of one entry fills only the first
        int j = col[e] * KP;
        double g = s2.fma(DoubleVector.fromArray(S, r, j + 8), s1.fma(DoubleVector.fromArray(S, r, j + 4),
                s0.mul(DoubleVector.fromArray(S, r, j)))).reduceLanes(VectorOperators.ADD) - y[e];
        int j1 = j;
        double g1 = 0.0;
        if (e + 1 < end) {
            j1 = col[e + 1] * KP;
            g1 = s2.fma(DoubleVector.fromArray(S, r, j1 + 8), s1.fma(DoubleVector.fromArray(S, r, j1 + 4),
                    s0.mul(DoubleVector.fromArray(S, r, j1)))).reduceLanes(VectorOperators.ADD) - y[e + 1];
        }
        for (e += 2; e < end; e++) {
            int jn = col[e] * KP;
            double gNext = s2.fma(DoubleVector.fromArray(S, r, jn + 8), s1.fma(DoubleVector.fromArray(S, r, jn + 4),
                    s0.mul(DoubleVector.fromArray(S, r, jn)))).reduceLanes(VectorOperators.ADD) - y[e];
            ss = Math.fma(g, g, ss);
            DoubleVector gv = DoubleVector.broadcast(S, g);
            a0 = DoubleVector.fromArray(S, r, j).fma(gv, a0);
            a1 = DoubleVector.fromArray(S, r, j + 4).fma(gv, a1);
            a2 = DoubleVector.fromArray(S, r, j + 8).fma(gv, a2);
            l0.fma(gv, DoubleVector.fromArray(S, colOut, j)).intoArray(colOut, j);
            l1.fma(gv, DoubleVector.fromArray(S, colOut, j + 4)).intoArray(colOut, j + 4);
            l2.fma(gv, DoubleVector.fromArray(S, colOut, j + 8)).intoArray(colOut, j + 8);
            j = j1;
            g = g1;
            j1 = jn;
            g1 = gNext;
        }
        // drain: the last two entries (or the only one), in order
        for (int left = Math.min(2, end - (e - 2)); left > 0; left--) {
            ss = Math.fma(g, g, ss);
            DoubleVector gv = DoubleVector.broadcast(S, g);
            a0 = DoubleVector.fromArray(S, r, j).fma(gv, a0);
            a1 = DoubleVector.fromArray(S, r, j + 4).fma(gv, a1);
            a2 = DoubleVector.fromArray(S, r, j + 8).fma(gv, a2);
            l0.fma(gv, DoubleVector.fromArray(S, colOut, j)).intoArray(colOut, j);
            l1.fma(gv, DoubleVector.fromArray(S, colOut, j + 4)).intoArray(colOut, j + 4);
            l2.fma(gv, DoubleVector.fromArray(S, colOut, j + 8)).intoArray(colOut, j + 8);
            j = j1;
            g = g1;
        }
        a0.intoArray(buf, KP);
        a1.intoArray(buf, KP + 4);
        a2.intoArray(buf, KP + 8);
        return ss;
    }
}
