package org.cdln.analysis;

import java.util.List;

/**
 * Incremental learning (docs/method.md §4): the step at which each singular value σ_i(P(t)) of the product
 * first reaches a fraction of the target's σ_i*, and whether they arrive in order, largest first.
 *
 * @param fraction    the fraction, e.g. 0.9
 * @param target      σ_1* ≥ … ≥ σ_r*
 * @param stepReached for each i, the first recorded step with σ_i(P) ≥ fraction·σ_i*, or −1 if never
 * @param inOrder     true when the σ_i that were reached are σ_1..σ_k (a prefix: none is reached
 *                    while a larger one is not) and their steps are non-decreasing in i
 * @param ties        how many consecutive pairs were reached at the same recorded step (the
 *                    evaluation interval cannot tell their order)
 */
public record IncrementalLearning(double fraction, double[] target, long[] stepReached, boolean inOrder, int ties) {

    /**
     * Reads the product's singular values (the last matrix of each point) along the recorded run.
     * Cost O(points·r).
     */
    public static IncrementalLearning of(List<DynamicsPoint> points, double[] target, double fraction) {
        if (!(fraction > 0.0 && fraction <= 1.0)) {
            throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
        }
        int r = target.length;
        long[] reached = new long[r];
        java.util.Arrays.fill(reached, -1);
        for (DynamicsPoint p : points) {
            double[] s = p.product().singularValues();
            for (int i = 0; i < r && i < s.length; i++) {
                if (reached[i] < 0 && s[i] >= fraction * target[i]) {
                    reached[i] = p.step();
                }
            }
        }
        boolean inOrder = true;
        int ties = 0;
        for (int i = 1; i < r; i++) {
            if (reached[i] >= 0 && reached[i - 1] < 0) {
                inOrder = false;
            }
            if (reached[i] >= 0 && reached[i - 1] >= 0) {
                if (reached[i] < reached[i - 1]) {
                    inOrder = false;
                } else if (reached[i] == reached[i - 1]) {
                    ties++;
                }
            }
        }
        return new IncrementalLearning(fraction, target.clone(), reached, inOrder, ties);
    }

    /** How many σ_i were reached. */
    public int reachedCount() {
        int n = 0;
        for (long s : stepReached) {
            if (s >= 0) {
                n++;
            }
        }
        return n;
    }
}
