package org.cdln.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The learned-in-order verdict on hand-made spectra. */
class IncrementalLearningTest {
    static List<DynamicsPoint> points(double[][] spectra) {
        List<DynamicsPoint> ps = new ArrayList<>();
        for (int k = 0; k < spectra.length; k++) {
            MatrixDynamics p = new MatrixDynamics("P", spectra[k], 0, 0, new double[3], new double[3], new double[0],
                    new double[0]);
            ps.add(new DynamicsPoint(100L * k, k, 1, 1, List.of(p)));
        }
        return ps;
    }

    @Test
    void largestFirstIsInOrderWithTiesCounted() {
        double[] target = {10, 5, 2};
        IncrementalLearning il = IncrementalLearning.of(points(new double[][] {
            {0, 0, 0}, {9.5, 0, 0}, {10, 4.6, 1.9}, {10, 5, 2}}), target, 0.9);
        assertArrayEquals(new long[] {100, 200, 200}, il.stepReached());
        assertTrue(il.inOrder());
        assertEquals(1, il.ties());
        assertEquals(3, il.reachedCount());
    }

    @Test
    void aSmallerValueFirstIsOutOfOrder() {
        IncrementalLearning il = IncrementalLearning.of(points(new double[][] {
            {0, 4.8, 0}, {9.5, 5, 0}}), new double[] {10, 5, 2}, 0.9);
        assertFalse(il.inOrder());
        assertEquals(2, il.reachedCount());
    }

    @Test
    void unreachedTailKeepsTheVerdictOfTheLearnedPrefix() {
        IncrementalLearning il = IncrementalLearning.of(points(new double[][] {
            {9.5, 0, 0}, {10, 4.6, 1}}), new double[] {10, 5, 2}, 0.9);
        assertArrayEquals(new long[] {0, 100, -1}, il.stepReached());
        assertTrue(il.inOrder(), "σ_1, σ_2 in order; σ_3 not reached yet");
        assertEquals(2, il.reachedCount());
    }
}
