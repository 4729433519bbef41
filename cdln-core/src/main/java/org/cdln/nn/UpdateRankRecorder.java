package org.cdln.nn;

import java.util.ArrayList;
import java.util.List;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.train.TrainingContext;
import org.cdln.train.TrainingListener;
import org.cdln.train.TrainingResult;

/**
 * Records the singular values of every layer's update ΔW_l(t) = W_l(t) − W_l(0) during training,
 * and of the linear block's end-to-end update Π_block(t) − Π_block(0) when there is a block — the
 * measurements behind the question whether the paper's first observation (updates live in a
 * low-dimensional subspace, docs/method.md §4) holds for nonlinear networks.
 *
 * <p>A snapshot is taken every {@code every} steps and after the last step. Cost per snapshot:
 * one SVD per layer, O(Σ_l out_l·in_l·min(out_l, in_l)); it runs inside {@link #onStep}, which the
 * trainer does not count as training time. Numerical ranks are derived afterwards with
 * {@link org.cdln.linalg.Svd#numericalRank(double[], double)}, so one run serves any threshold.
 */
public final class UpdateRankRecorder implements TrainingListener {
    /** The name of the block's end-to-end entry in {@link Snapshot#singularValues()}. */
    public static final String BLOCK_PRODUCT = "block product";

    private final long every;
    private final LinearAlgebra la;
    private final List<Snapshot> snapshots = new ArrayList<>();
    private List<String> names;
    private Matrix[] initial;
    private Matrix initialBlock;
    private Matrix[] scratch;
    private long lastStep = -1;
    private int stepsPerEpoch = 1;

    /**
     * The singular values of every tracked update after {@code step} updates.
     *
     * @param step           updates so far
     * @param epochs         step / steps per epoch (fractional)
     * @param singularValues one array per entry of {@link UpdateRankRecorder#names()}, non-increasing
     */
    public record Snapshot(long step, double epochs, List<double[]> singularValues) {
        public Snapshot {
            singularValues = List.copyOf(singularValues);
        }
    }

    /** Snapshots every {@code every} ≥ 1 steps, SVDs on the given backend. */
    public UpdateRankRecorder(long every, LinearAlgebra la) {
        if (every < 1) {
            throw new IllegalArgumentException("snapshot interval must be ≥ 1 step, got " + every);
        }
        this.every = every;
        this.la = la;
    }

    @Override
    public void onStart(TrainingContext context) {
        Mlp net = context.model(Mlp.class);
        stepsPerEpoch = Math.max(1, context.stepsPerEpoch());
        names = new ArrayList<>();
        initial = new Matrix[net.depth()];
        scratch = new Matrix[net.depth()];
        for (int l = 0; l < net.depth(); l++) {
            names.add(net.architecture().layer(l).name());
            initial[l] = net.weight(l).copy();
            scratch[l] = new Matrix(net.weight(l).rows(), net.weight(l).cols());
        }
        initialBlock = net.blockProduct(la).orElse(null);
        if (initialBlock != null) {
            names.add(BLOCK_PRODUCT);
        }
        snapshots.clear();
        lastStep = -1;
    }

    @Override
    public void onStep(long step, double loss, TrainingContext context) {
        // step 0 is the initial point, where every update is zero
        if (step > 0 && step % every == 0) {
            record(step, step / (double) stepsPerEpoch, context.model(Mlp.class));
        }
    }

    @Override
    public void onEnd(TrainingResult result) {
        if (result.steps() != lastStep && initial != null) {
            record(result.steps(), result.steps() / (double) stepsPerEpoch, ((MlpResult) result).network());
        }
    }

    private void record(long step, double epochs, Mlp net) {
        List<double[]> sv = new ArrayList<>();
        for (int l = 0; l < net.depth(); l++) {
            scratch[l].copyFrom(net.weight(l));
            scratch[l].addScaledInPlace(-1.0, initial[l]);
            sv.add(la.singularValues(scratch[l]));
        }
        if (initialBlock != null) {
            Matrix p = net.blockProduct(la).orElseThrow();
            p.addScaledInPlace(-1.0, initialBlock);
            sv.add(la.singularValues(p));
        }
        snapshots.add(new Snapshot(step, epochs, sv));
        lastStep = step;
    }

    /** What each singular-value array belongs to: the layer names, then {@value #BLOCK_PRODUCT} if any. */
    public List<String> names() {
        return names == null ? List.of() : List.copyOf(names);
    }

    /** The snapshots so far, in step order. */
    public List<Snapshot> snapshots() {
        return List.copyOf(snapshots);
    }

    /** The number of leading singular values holding a fraction f of Σσ_i² (the "energy" rank). O(k). */
    public static int energyRank(double[] s, double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("energy fraction must be in (0, 1], got " + fraction);
        }
        double total = 0;
        for (double v : s) {
            total += v * v;
        }
        if (!(total > 0)) {
            return 0;
        }
        double acc = 0;
        for (int i = 0; i < s.length; i++) {
            acc += s[i] * s[i];
            if (acc >= fraction * total * (1 - 1e-12)) {
                return i + 1;
            }
        }
        return s.length;
    }

    /** Stable rank Σσ_i²/σ_1² (≥ 1 for a non-zero matrix, 0 for a zero one). O(k). */
    public static double stableRank(double[] s) {
        if (s.length == 0 || !(s[0] > 0)) {
            return 0;
        }
        double total = 0;
        for (double v : s) {
            total += v * v;
        }
        return total / (s[0] * s[0]);
    }
}
