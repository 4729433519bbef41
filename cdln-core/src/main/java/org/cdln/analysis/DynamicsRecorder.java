package org.cdln.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Svd;
import org.cdln.model.DeepLinearNetwork;
import org.cdln.problem.SyntheticTarget;
import org.cdln.train.EvalPoint;
import org.cdln.train.TrainingContext;
import org.cdln.train.ListenerState;
import org.cdln.train.StatefulListener;
import org.cdln.train.TrainingPoint;

/**
 * Records the low-dimensional learning dynamics of a deep linear network (docs/method.md §4) at the
 * trainer's evaluation steps: for each layer W_l and for the product P, the singular values, the
 * principal angles of the top-r / middle / bottom-r singular-vector blocks against a reference
 * step, the alignment of singular vectors with the target's, and the numerical rank of the update
 * M(t) − M(0).
 *
 * <p>Reference step of the angles: step 0 when the initial matrix's singular values are separated
 * at the block boundaries. An orthogonal initialisation W_l(0) = ε·O_l has one repeated singular
 * value, so its singular vectors — and its blocks — are any orthonormal basis; the reference is
 * then the first evaluation at which every block boundary has a relative gap
 * (σ_i − σ_(i+1))/σ_1 ≥ {@value #REFERENCE_GAP} (as the authors' {@code compute_svd_series} takes
 * the weights after the first evaluation interval). Angles before it are NaN.
 *
 * <p>Cost per recorded evaluation: L + 1 SVDs and L + 1 singular-value decompositions of the
 * updates, O((L + 1)·d³) for d×d layers — about 10 ms at d = 100. Nothing is computed per step.
 * When the recorder is not installed, training runs exactly the code it runs without it; when it is
 * installed but {@link #setEnabled disabled}, each evaluation costs one boolean test. The network
 * is read, never modified. Not thread-safe; one recorder serves one run at a time (a new run
 * clears it). Its state — W(0), the reference steps and their singular vectors, the points so far —
 * travels in a run's checkpoint, so a resumed run records exactly what the uninterrupted one does.
 */
public final class DynamicsRecorder implements StatefulListener {
    /** Default relative threshold τ of the update rank: σ_i(ΔW) counts when &gt; τ·σ_1(ΔW). */
    public static final double DEFAULT_RANK_TOLERANCE = 1e-6;
    /** Smallest relative singular-value gap at the block boundaries for a reference step. */
    public static final double REFERENCE_GAP = 1e-8;

    private final int blockRank;
    private final double rankTolerance;
    private final Matrix trueLeft;
    private final Matrix trueRight;
    private final LinearAlgebra la;
    private boolean enabled = true;

    private Matrix[] initial;
    private Svd[] reference;
    private long[] referenceStep;
    private String[] names;
    private final List<DynamicsPoint> points = new ArrayList<>();
    private long resumedAt;

    /**
     * @param blockRank     r, the size of the top and bottom blocks and of the alignment (usually the
     *                      target rank); the update tail is measured beyond 2r
     * @param rankTolerance τ ∈ [0, 1), the relative threshold of the update rank
     * @param trueLeft      the target's left singular vectors (d1×r*), or null when unknown
     * @param trueRight     the target's right singular vectors (d2×r*), or null when unknown
     */
    public DynamicsRecorder(int blockRank, double rankTolerance, Matrix trueLeft, Matrix trueRight, LinearAlgebra la) {
        if (blockRank < 1) {
            throw new IllegalArgumentException("block rank r must be ≥ 1, got " + blockRank);
        }
        if (!(rankTolerance >= 0.0 && rankTolerance < 1.0)) {
            throw new IllegalArgumentException("rank tolerance must be in [0, 1), got " + rankTolerance);
        }
        if ((trueLeft == null) != (trueRight == null)) {
            throw new IllegalArgumentException("give both the target's left and right singular vectors, or neither");
        }
        this.blockRank = blockRank;
        this.rankTolerance = rankTolerance;
        this.trueLeft = trueLeft;
        this.trueRight = trueRight;
        this.la = la;
    }

    /** A recorder for a synthetic target: r = its rank, its true singular vectors, threshold τ. */
    public static DynamicsRecorder forTarget(SyntheticTarget target, double rankTolerance, LinearAlgebra la) {
        return new DynamicsRecorder(target.rank(), rankTolerance, target.u(), target.v(), la);
    }

    /** Turns recording on or off (on by default); returns this recorder. */
    public DynamicsRecorder setEnabled(boolean on) {
        this.enabled = on;
        return this;
    }

    public int blockRank() {
        return blockRank;
    }

    public double rankTolerance() {
        return rankTolerance;
    }

    /** The recorded evaluations, in order (an unmodifiable copy). */
    public List<DynamicsPoint> points() {
        return List.copyOf(points);
    }

    /** Names of the recorded matrices: W1..WL, P. */
    public List<String> names() {
        return names == null ? List.of() : List.of(names);
    }

    /** The reference step of each matrix's angles (−1 when no step qualified yet). */
    public long[] referenceSteps() {
        return referenceStep == null ? new long[0] : referenceStep.clone();
    }

    @Override
    public void onStart(TrainingContext context) {
        points.clear();
        if (context.firstStep() != 0) {
            // a resumed run: W(0), the reference steps and the points so far come from the checkpoint
            initial = null;
            resumedAt = context.firstStep();
            return;
        }
        DeepLinearNetwork net = context.network();
        int depth = net.depth();
        initial = new Matrix[depth + 1];
        names = new String[depth + 1];
        for (int l = 1; l <= depth; l++) {
            initial[l - 1] = net.layer(l).copy();
            names[l - 1] = "W" + l;
        }
        initial[depth] = net.product(la);
        names[depth] = "P";
        reference = new Svd[depth + 1];
        referenceStep = new long[depth + 1];
        Arrays.fill(referenceStep, -1);
        points.clear();
    }

    @Override
    public void onEvaluation(TrainingPoint point, TrainingContext context) {
        if (!enabled) {
            return;
        }
        if (initial == null) {
            throw new IllegalStateException("the dynamics recorder needs the run from step 0 (W(0)) or a checkpoint "
                    + "that holds its state; this run was resumed at step " + resumedAt + " from one without it: "
                    + "start the run afresh");
        }
        DeepLinearNetwork net = context.network();
        int depth = net.depth();
        List<MatrixDynamics> ms = new ArrayList<>(depth + 1);
        for (int m = 0; m <= depth; m++) {
            Matrix now = m < depth ? net.layer(m + 1) : net.product(la);
            boolean alignLeft = m == depth || m == depth - 1;
            boolean alignRight = m == depth || m == 0;
            ms.add(measure(m, now, point.step(), alignLeft, alignRight));
        }
        points.add(new DynamicsPoint(point.step(), point.seconds(), point.trainLoss(), ((EvalPoint) point).recoveryError(), ms));
    }

    @Override
    public String stateKey() {
        return "dynamics-recorder";
    }

    /**
     * M = L + 1 matrices; per matrix: W(0) (rows, columns, entries), the reference step (−1: none
     * yet) and, when there is one, its U, σ and Vᵀ; then the n points, each with step, seconds,
     * loss, error and per matrix σ, update rank, update tail, 3 + 3 angles and the two alignments.
     */
    @Override
    public double[] saveState() {
        ListenerState.Writer w = new ListenerState.Writer();
        if (initial == null) {
            return w.add(0).toArray();
        }
        w.add(initial.length);
        for (int m = 0; m < initial.length; m++) {
            w.matrix(initial[m]).add(referenceStep[m]);
            if (reference[m] != null) {
                w.matrix(reference[m].u()).array(reference[m].s()).matrix(reference[m].vt());
            }
        }
        w.add(points.size());
        for (DynamicsPoint p : points) {
            w.add(p.step()).add(p.seconds()).add(p.trainLoss()).add(p.recoveryError());
            for (MatrixDynamics d : p.matrices()) {
                w.array(d.singularValues()).add(d.updateRank()).add(d.updateTail()).array(d.leftAngles())
                        .array(d.rightAngles()).array(d.leftAlignment()).array(d.rightAlignment());
            }
        }
        return w.toArray();
    }

    @Override
    public void restoreState(double[] state) {
        ListenerState.Reader r = new ListenerState.Reader(state, "dynamics recorder");
        int mats = (int) r.whole(0, 1 << 20, "the number of matrices");
        if (mats == 0) {
            r.end();
            return;   // saved before the run had started: nothing recorded yet
        }
        if (mats < 3) {
            throw r.bad("it holds " + mats + " matrices; a network of depth L ≥ 2 has L + 1 ≥ 3");
        }
        Matrix[] init = new Matrix[mats];
        Svd[] ref = new Svd[mats];
        long[] refStep = new long[mats];
        String[] nm = new String[mats];
        for (int m = 0; m < mats; m++) {
            nm[m] = m < mats - 1 ? "W" + (m + 1) : "P";
            init[m] = r.matrix("W(0) of " + nm[m]);
            refStep[m] = r.whole(-1, 1L << 53, "the reference step of " + nm[m]);
            if (refStep[m] >= 0) {
                ref[m] = new Svd(r.matrix("U of " + nm[m]), r.array("σ of " + nm[m]), r.matrix("Vᵀ of " + nm[m]));
            }
        }
        List<DynamicsPoint> ps = new ArrayList<>();
        int n = r.count(4, "the number of points");
        long previous = -1;
        for (int i = 0; i < n; i++) {
            long step = r.whole(previous + 1, 1L << 53, "the step of point " + i);
            previous = step;
            double seconds = r.next();
            double loss = r.next();
            double error = r.next();
            List<MatrixDynamics> ms = new ArrayList<>(mats);
            for (int m = 0; m < mats; m++) {
                double[] sv = r.array("σ");
                int rank = (int) r.whole(0, Integer.MAX_VALUE, "an update rank");
                double tail = r.next();
                ms.add(new MatrixDynamics(nm[m], sv, rank, tail, r.array("left angles"), r.array("right angles"),
                        r.array("left alignment"), r.array("right alignment")));
            }
            ps.add(new DynamicsPoint(step, seconds, loss, error, ms));
        }
        r.end();
        initial = init;
        reference = ref;
        referenceStep = refStep;
        names = nm;
        points.clear();
        points.addAll(ps);
    }

    private MatrixDynamics measure(int m, Matrix now, long step, boolean alignLeft, boolean alignRight) {
        Svd svd = la.svd(now);
        double[] s = svd.s();
        SingularBlocks blocks = new SingularBlocks(s.length, blockRank);
        if (reference[m] == null && blocks.boundaryGap(s) >= REFERENCE_GAP) {
            reference[m] = svd;
            referenceStep[m] = step;
        }
        double[] left = new double[3];
        double[] right = new double[3];
        Arrays.fill(left, Double.NaN);
        Arrays.fill(right, Double.NaN);
        if (reference[m] != null) {
            Matrix u = svd.u();
            Matrix v = svd.v();
            Matrix u0 = reference[m].u();
            Matrix v0 = reference[m].v();
            for (int b = 0; b < 3; b++) {
                int from = blocks.from(b);
                int to = blocks.to(b);
                if (from < to) {
                    left[b] = Subspaces.largestPrincipalAngle(u.columns(from, to), u0.columns(from, to), la);
                    right[b] = Subspaces.largestPrincipalAngle(v.columns(from, to), v0.columns(from, to), la);
                }
            }
        }
        double[] update = la.singularValues(now.minus(initial[m]));
        int rank = Svd.numericalRank(update, rankTolerance);
        double tail = 0.0;
        if (update.length > 2 * blockRank && update[0] > 0) {
            tail = update[2 * blockRank] / update[0];
        }
        double[] al = new double[0];
        double[] ar = new double[0];
        if (trueLeft != null && alignLeft && trueLeft.rows() == now.rows()) {
            al = Subspaces.alignment(svd.u(), trueLeft, Math.min(trueLeft.cols(), s.length));
        }
        if (trueRight != null && alignRight && trueRight.rows() == now.cols()) {
            ar = Subspaces.alignment(svd.v(), trueRight, Math.min(trueRight.cols(), s.length));
        }
        return new MatrixDynamics(names[m], s, rank, tail, left, right, al, ar);
    }
}
