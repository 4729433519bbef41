package org.cdln.nn;

import java.util.ArrayList;
import java.util.List;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.train.ListenerState;
import org.cdln.train.StatefulListener;
import org.cdln.train.TrainingContext;
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
 * Its state (W(0), the block's Π(0), the snapshots so far) travels in the run's checkpoint, so a
 * resumed run records exactly what the uninterrupted one does.
 */
public final class UpdateRankRecorder implements StatefulListener {
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
    private long resumedAt;

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
        // a resumed run: W(0) and the snapshots so far must come from the checkpoint (restoreState)
        resumedAt = context.firstStep();
    }

    private void requireStart() {
        if (resumedAt != 0) {
            throw new IllegalStateException("the update-rank recorder needs the run from step 0 (W(0)) or a checkpoint "
                    + "that holds its state; this run was resumed at step " + resumedAt + " from one without it: "
                    + "start the run afresh");
        }
    }

    @Override
    public String stateKey() {
        return "update-rank-recorder";
    }

    /**
     * The snapshot interval, the last snapshot's step, the L weights W_l(0) and the block's Π(0)
     * (a count 0 or 1, then the matrix), then the n snapshots: step, epochs, the singular values
     * of each update.
     */
    @Override
    public double[] saveState() {
        ListenerState.Writer w = new ListenerState.Writer().add(every).add(lastStep).add(initial.length);
        for (Matrix m : initial) {
            w.matrix(m);
        }
        w.add(initialBlock == null ? 0 : 1);
        if (initialBlock != null) {
            w.matrix(initialBlock);
        }
        w.add(snapshots.size());
        for (Snapshot sn : snapshots) {
            w.add(sn.step()).add(sn.epochs()).add(sn.singularValues().size());
            for (double[] v : sn.singularValues()) {
                w.array(v);
            }
        }
        return w.toArray();
    }

    @Override
    public void restoreState(double[] state) {
        ListenerState.Reader r = new ListenerState.Reader(state, "update-rank recorder");
        long savedEvery = r.whole(1, 1L << 53, "the snapshot interval");
        if (savedEvery != every) {
            throw new IllegalArgumentException("the checkpoint's update-rank recorder took a snapshot every " + savedEvery
                    + " steps, this one every " + every + "; resume with the snapshot interval it was written with, or "
                    + "start afresh");
        }
        long last = r.whole(-1, 1L << 53, "the last snapshot's step");
        int layers = r.count(3, "the number of layers");
        if (initial == null || layers != initial.length) {
            throw r.bad("it holds " + layers + " layers, the network has " + (initial == null ? 0 : initial.length));
        }
        Matrix[] init = new Matrix[layers];
        for (int l = 0; l < layers; l++) {
            init[l] = r.matrix("W(0) of layer " + (l + 1));
            if (init[l].rows() != initial[l].rows() || init[l].cols() != initial[l].cols()) {
                throw r.bad("its W(0) of layer " + (l + 1) + " is " + init[l].rows() + "×" + init[l].cols()
                        + ", the network's is " + initial[l].rows() + "×" + initial[l].cols());
            }
        }
        Matrix block = r.whole(0, 1, "the block flag") == 1 ? r.matrix("the block's Π(0)") : null;
        if ((block == null) != (initialBlock == null)) {
            throw r.bad("its block product does not match the network's");
        }
        List<Snapshot> snaps = new ArrayList<>();
        int n = r.count(3, "the number of snapshots");
        long previous = 0;
        for (int i = 0; i < n; i++) {
            long step = r.whole(previous + 1, 1L << 53, "the step of snapshot " + i);
            previous = step;
            double epochs = r.next();
            int k = r.count(1, "the number of updates");
            List<double[]> sv = new ArrayList<>(k);
            for (int j = 0; j < k; j++) {
                sv.add(r.array("singular values"));
            }
            snaps.add(new Snapshot(step, epochs, sv));
        }
        r.end();
        initial = init;
        initialBlock = block;
        snapshots.clear();
        snapshots.addAll(snaps);
        lastStep = last;
        resumedAt = 0;
    }

    @Override
    public void onStep(long step, double loss, TrainingContext context) {
        // step 0 is the initial point, where every update is zero
        if (step > 0 && step % every == 0) {
            requireStart();
            record(step, step / (double) stepsPerEpoch, context.model(Mlp.class));
        }
    }

    @Override
    public void onEnd(TrainingResult result) {
        if (result.steps() != lastStep && initial != null) {
            requireStart();
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
