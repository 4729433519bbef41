package org.cdln.analysis;

import java.util.ArrayList;
import java.util.List;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.train.EvalPoint;
import org.cdln.train.TrainingContext;
import org.cdln.train.TrainingListener;
import org.cdln.train.TrainingPoint;

/**
 * Follows the end-to-end product P(t) of a run at its evaluation steps, to compare the
 * trajectories of two networks (e.g. a wide network and its Law-of-Parsimony compression).
 *
 * <p>Two modes: {@link #recording} keeps a copy of P at every evaluation (memory 8·d1·d2 bytes per
 * evaluation); {@link #following} keeps nothing but, at every evaluation whose step the reference
 * holds, the distance ‖P(t) − P_ref(t)‖_F and ‖P_ref(t)‖_F. Cost per evaluation: one product,
 * O(L·w²·d). The network is read, never modified.
 */
public final class ProductTrajectory implements TrainingListener {
    /**
     * One comparison.
     *
     * @param step          the evaluation step
     * @param distance      ‖P(t) − P_ref(t)‖_F
     * @param referenceNorm ‖P_ref(t)‖_F
     */
    public record Deviation(long step, double distance, double referenceNorm) {
    }

    private final LinearAlgebra la;
    private final ProductTrajectory reference;
    private final List<Long> steps = new ArrayList<>();
    private final List<Matrix> products = new ArrayList<>();
    private final List<Deviation> deviations = new ArrayList<>();

    private ProductTrajectory(ProductTrajectory reference, LinearAlgebra la) {
        this.reference = reference;
        this.la = la;
    }

    /** A listener that keeps P at every evaluation. */
    public static ProductTrajectory recording(LinearAlgebra la) {
        return new ProductTrajectory(null, la);
    }

    /** A listener that compares P at every evaluation with a recorded trajectory. */
    public static ProductTrajectory following(ProductTrajectory reference, LinearAlgebra la) {
        if (reference.reference != null) {
            throw new IllegalArgumentException("the reference must be a recording trajectory");
        }
        return new ProductTrajectory(reference, la);
    }

    @Override
    public void onStart(TrainingContext context) {
        steps.clear();
        products.clear();
        deviations.clear();
    }

    @Override
    public void onEvaluation(TrainingPoint point, TrainingContext context) {
        Matrix p = context.network().product(la);
        if (reference == null) {
            steps.add(point.step());
            products.add(p);
            return;
        }
        Matrix ref = reference.at(point.step());
        if (ref != null) {
            deviations.add(new Deviation(point.step(), p.distance(ref), ref.frobeniusNorm()));
        }
    }

    /** The recorded product at a step, or null (recording mode). */
    public Matrix at(long step) {
        int i = java.util.Collections.binarySearch(steps, step);
        return i >= 0 ? products.get(i) : null;
    }

    /** The recorded steps (recording mode). */
    public List<Long> steps() {
        return List.copyOf(steps);
    }

    /** The comparisons made (following mode), in step order. */
    public List<Deviation> deviations() {
        return List.copyOf(deviations);
    }

    /** The largest ‖P(t) − P_ref(t)‖_F over the compared steps (NaN when none). */
    public double maxDistance() {
        double m = Double.NaN;
        for (Deviation d : deviations) {
            m = Double.isNaN(m) ? d.distance() : Math.max(m, d.distance());
        }
        return m;
    }
}
