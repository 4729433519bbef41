package org.cdln.analysis;

import java.util.ArrayList;
import java.util.List;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.train.ListenerState;
import org.cdln.train.StatefulListener;
import org.cdln.train.TrainingContext;
import org.cdln.train.TrainingPoint;

/**
 * Follows the end-to-end product P(t) of a run at its evaluation steps, to compare the
 * trajectories of two networks (e.g. a wide network and its Law-of-Parsimony compression).
 *
 * <p>Two modes: {@link #recording} keeps a copy of P at every evaluation (memory 8·d1·d2 bytes per
 * evaluation); {@link #following} keeps nothing but, at every evaluation whose step the reference
 * holds, the distance ‖P(t) − P_ref(t)‖_F and ‖P_ref(t)‖_F. Cost per evaluation: one product,
 * O(L·w²·d). The network is read, never modified.
 *
 * <p>Both modes keep their state in a run's checkpoint (the recorded products, or the comparisons
 * made), so a resumed run records and compares exactly as the uninterrupted one.
 */
public final class ProductTrajectory implements StatefulListener {
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

    @Override
    public String stateKey() {
        return reference == null ? "product-trajectory" : "product-deviations";
    }

    /**
     * Recording: n, then n × (step, P as rows, columns, entries). Following: n, then
     * n × (step, distance, reference norm).
     */
    @Override
    public double[] saveState() {
        ListenerState.Writer w = new ListenerState.Writer();
        if (reference == null) {
            w.add(steps.size());
            for (int i = 0; i < steps.size(); i++) {
                w.add(steps.get(i)).matrix(products.get(i));
            }
        } else {
            w.add(deviations.size());
            for (Deviation d : deviations) {
                w.add(d.step()).add(d.distance()).add(d.referenceNorm());
            }
        }
        return w.toArray();
    }

    @Override
    public void restoreState(double[] state) {
        ListenerState.Reader r = new ListenerState.Reader(state, reference == null ? "product recording"
                : "product comparison");
        steps.clear();
        products.clear();
        deviations.clear();
        long previous = -1;
        int n = r.count(reference == null ? 4 : 3, "the number of evaluations");
        for (int i = 0; i < n; i++) {
            long step = r.whole(previous + 1, 1L << 53, "the step of evaluation " + i);
            previous = step;
            if (reference == null) {
                steps.add(step);
                products.add(r.matrix("the product at step " + step));
            } else {
                deviations.add(new Deviation(step, r.next(), r.next()));
            }
        }
        r.end();
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
