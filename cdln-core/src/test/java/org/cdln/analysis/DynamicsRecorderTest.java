package org.cdln.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Rng;
import org.cdln.model.DeepLinearNetwork;
import org.cdln.model.Initialization;
import org.cdln.problem.FactorizationProblem;
import org.cdln.problem.SyntheticTarget;
import org.cdln.train.TrainResult;
import org.cdln.train.Trainer;
import org.cdln.train.TrainerConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The invariant-subspace and incremental-learning observations (docs/method.md §4) on a wide depth-3 network
 * trained on a rank-3 factorization of a 40×40 target (orthogonal init, ε = 1e-2).
 */
class DynamicsRecorderTest {
    static final int D = 40;
    static final int R = 3;
    static final LinearAlgebra LA = LinearAlgebra.instance();
    static SyntheticTarget target;
    static DynamicsRecorder recorder;
    static TrainResult result;

    @BeforeAll
    static void train() {
        Rng rng = new Rng(7);
        target = SyntheticTarget.generate(D, D, R, rng.split(), LA);
        DeepLinearNetwork wide = DeepLinearNetwork.wide(D, D, D, 3, Initialization.ORTH, 1e-2, rng.split(), LA);
        recorder = DynamicsRecorder.forTarget(target, DynamicsRecorder.DEFAULT_RANK_TOLERANCE, LA);
        // η = 20 on the loss ‖P − Y‖²/(2d²): all three singular values are learned within ~1,500 steps
        result = new Trainer(TrainerConfig.gd(20, 2500, 0, 25), LA).addListener(recorder)
                .fit("original", wide, new FactorizationProblem(target.y()));
    }

    @Test
    void everyLayersUpdateRankStaysAtMostTwoR() {
        List<DynamicsPoint> points = recorder.points();
        assertEquals(101, points.size());
        for (DynamicsPoint p : points) {
            for (MatrixDynamics m : p.matrices()) {
                assertTrue(m.updateRank() <= 2 * R, m.name() + " at step " + p.step() + ": rank " + m.updateRank());
            }
        }
        int[] max = DynamicsPoint.maxUpdateRank(points);
        // the bound is not vacuous: the layers do move in all 2r directions, the product in r of them
        for (int l = 0; l < 3; l++) {
            assertEquals(2 * R, max[l], "W" + (l + 1));
        }
        assertTrue(max[3] >= R && max[3] <= 2 * R, "P: " + max[3]);
        assertTrue(result.finalRecoveryError() < 1e-12, "learned: " + result.finalRecoveryError());
    }

    @Test
    void middleBlockDoesNotMoveWhileTopBlockRotates() {
        DynamicsPoint last = recorder.points().get(recorder.points().size() - 1);
        for (MatrixDynamics m : last.matrices()) {
            assertTrue(m.rightAngles()[1] < 1e-8, m.name() + " middle: " + m.rightAngles()[1]);
            assertTrue(m.leftAngles()[1] < 1e-8, m.name() + " middle: " + m.leftAngles()[1]);
            assertTrue(m.rightAngles()[0] > 0.05, m.name() + " top: " + m.rightAngles()[0]);
        }
        // W(0) = ε·O has one repeated singular value: the reference is the first evaluation after 0
        for (long ref : recorder.referenceSteps()) {
            assertEquals(25, ref);
        }
        assertTrue(Double.isNaN(recorder.points().get(0).matrices().get(0).rightAngles()[0]));
    }

    @Test
    void singularValuesAreLearnedLargestFirstAndVectorsAlign() {
        IncrementalLearning il = IncrementalLearning.of(recorder.points(), target.s(), 0.9);
        for (long s : il.stepReached()) {
            assertTrue(s > 0, "every σ_i reached 90%: " + java.util.Arrays.toString(il.stepReached()));
        }
        assertTrue(il.inOrder(), java.util.Arrays.toString(il.stepReached()));
        assertTrue(il.stepReached()[0] < il.stepReached()[R - 1], "strictly incremental from first to last");
        MatrixDynamics p = recorder.points().get(recorder.points().size() - 1).product();
        for (int i = 0; i < R; i++) {
            assertEquals(1.0, p.leftAlignment()[i], 1e-6);
            assertEquals(1.0, p.rightAlignment()[i], 1e-6);
        }
        // the first layer's top right singular vector converges to Y's (the reason spectral init works)
        MatrixDynamics w1 = recorder.points().get(recorder.points().size() - 1).matrices().get(0);
        assertEquals(1.0, w1.rightAlignment()[0], 1e-6);
    }

    @Test
    void aDisabledRecorderRecordsNothing() {
        Rng rng = new Rng(1);
        SyntheticTarget t = SyntheticTarget.generate(12, 12, 2, rng.split(), LA);
        DynamicsRecorder off = DynamicsRecorder.forTarget(t, 1e-6, LA).setEnabled(false);
        new Trainer(TrainerConfig.gd(5, 50, 0, 10), LA).addListener(off).fit("o",
                DeepLinearNetwork.wide(12, 12, 12, 3, Initialization.ORTH, 1e-2, rng.split(), LA),
                new FactorizationProblem(t.y()));
        assertTrue(off.points().isEmpty());
    }
}
