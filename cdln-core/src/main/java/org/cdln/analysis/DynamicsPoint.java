package org.cdln.analysis;

import java.util.List;

/**
 * The dynamics of a network at one evaluation: one {@link MatrixDynamics} per layer W1..WL, then
 * one for the product P (the last entry).
 *
 * @param step           updates applied so far
 * @param seconds        training seconds so far (evaluation and recording excluded)
 * @param trainLoss      training loss
 * @param recoveryError  recovery error (NaN when the problem has no ground truth)
 * @param matrices       W1..WL, then P
 */
public record DynamicsPoint(long step, double seconds, double trainLoss, double recoveryError,
                            List<MatrixDynamics> matrices) {

    public DynamicsPoint {
        matrices = List.copyOf(matrices);
    }

    /** The end-to-end product's measurements (the last entry). */
    public MatrixDynamics product() {
        return matrices.get(matrices.size() - 1);
    }

    /** The largest update rank recorded for each matrix (W1..WL, P), in the points' order. */
    public static int[] maxUpdateRank(List<DynamicsPoint> points) {
        if (points.isEmpty()) {
            return new int[0];
        }
        int[] max = new int[points.get(0).matrices().size()];
        for (DynamicsPoint p : points) {
            for (int m = 0; m < max.length; m++) {
                max[m] = Math.max(max[m], p.matrices().get(m).updateRank());
            }
        }
        return max;
    }

    /** The largest update tail σ_(2r+1)/σ_1 recorded for each matrix (W1..WL, P). */
    public static double[] maxUpdateTail(List<DynamicsPoint> points) {
        if (points.isEmpty()) {
            return new double[0];
        }
        double[] max = new double[points.get(0).matrices().size()];
        for (DynamicsPoint p : points) {
            for (int m = 0; m < max.length; m++) {
                max[m] = Math.max(max[m], p.matrices().get(m).updateTail());
            }
        }
        return max;
    }
}
