package org.cdln.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The public fused sweep: the chosen kernel gives the plain loop's sums, for widths it does and does not serve. */
class FusedSweepTest {

    @Test
    void chosenKernelAgreesWithTheDefinition() {
        // k = 10 and 11 run the padded kernel (scratch per thread, grown from 23 to 41 columns)
        for (int k : new int[] {3, 10, 11, 20, 10}) {
            Random rnd = new Random(7 + k);
            int rows = 37;
            int cols = k == 11 ? 41 : 23;
            int[] ptr = new int[rows + 1];
            for (int i = 0; i < rows; i++) {
                ptr[i + 1] = ptr[i] + (i % 5 == 0 ? 0 : rnd.nextInt(9));
            }
            int[] col = new int[ptr[rows]];
            double[] y = new double[col.length];
            for (int e = 0; e < col.length; e++) {
                col[e] = rnd.nextInt(cols);
                y[e] = rnd.nextGaussian();
            }
            double[] l = new double[rows * k];
            double[] r = new double[cols * k];
            for (int q = 0; q < l.length; q++) {
                l[q] = rnd.nextGaussian();
            }
            for (int q = 0; q < r.length; q++) {
                r[q] = rnd.nextGaussian();
            }
            double invN = 1.0 / col.length;
            double[] rowOut = new double[rows * k];
            java.util.Arrays.fill(rowOut, 99.0);
            double[] colOut = new double[cols * k];
            java.util.Arrays.fill(colOut, 0.5);   // added to, not overwritten
            double ss = FusedSweep.forWidth(k).sweep(ptr, col, y, rows, l, r, invN, rowOut, colOut);
            // the definition, entry by entry
            double[] wantRow = new double[rows * k];
            double[] wantCol = new double[cols * k];
            java.util.Arrays.fill(wantCol, 0.5);
            double wantSs = 0.0;
            for (int i = 0; i < rows; i++) {
                for (int e = ptr[i]; e < ptr[i + 1]; e++) {
                    int j = col[e];
                    double p = 0.0;
                    for (int c = 0; c < k; c++) {
                        p += l[i * k + c] * r[j * k + c];
                    }
                    double res = p - y[e];
                    wantSs += res * res;
                    for (int c = 0; c < k; c++) {
                        wantRow[i * k + c] += res * invN * r[j * k + c];
                        wantCol[j * k + c] += res * invN * l[i * k + c];
                    }
                }
            }
            assertEquals(wantSs, ss, 1e-10 * wantSs, "Σ r² at k = " + k);
            for (int q = 0; q < wantRow.length; q++) {
                assertEquals(wantRow[q], rowOut[q], 1e-12, "G·Rᵀ at k = " + k + ", " + q);
            }
            for (int q = 0; q < wantCol.length; q++) {
                assertEquals(wantCol[q], colOut[q], 1e-12, "Lᵀ·G at k = " + k + ", " + q);
            }
        }
    }

    @Test
    void refusesANonPositiveWidthAndShortArrays() {
        assertThrows(IllegalArgumentException.class, () -> FusedSweep.forWidth(0));
        FusedSweep s = FusedSweep.forWidth(4);
        assertThrows(IllegalArgumentException.class,
                () -> s.sweep(new int[3], new int[0], new double[0], 2, new double[4], new double[4], 1.0,
                        new double[8], new double[4]));
    }
}
