package org.cdln.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.cdln.compress.SpectralInit;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Rng;
import org.cdln.model.DeepLinearNetwork;
import org.cdln.model.Initialization;
import org.cdln.optim.LayerRates;
import org.cdln.problem.CompletionProblem;
import org.cdln.problem.FactorizationProblem;
import org.cdln.problem.Problem;
import org.cdln.problem.SyntheticTarget;
import org.junit.jupiter.api.Test;

/**
 * The training loop and its stopping rules: tolerance, budget, the evaluation grid, divergence,
 * early stopping, the time limit and the listener lifecycle.
 *
 * <p>Fixtures: an 8×8 rank-2 factorization with the compressed network at r̂ = r = 2, ε = 0.5,
 * which GD with η = 5 drives to a training loss of 1e-20 in about 115 steps (no ε-floor, because
 * r̂ = r); and a 12×12 rank-2 completion problem at p = 0.5, on which η ≥ 20 diverges.
 */
class TrainerTest {
    private static final LinearAlgebra LA = LinearAlgebra.instance();

    private static Problem factorization() {
        return new FactorizationProblem(SyntheticTarget.generate(8, 8, 2, new Rng(1), LA).y(), "8×8 rank 2");
    }

    private static DeepLinearNetwork compressed(Problem p) {
        return new SpectralInit(2, 3, 0.5).build(p, 4, LA);
    }

    private static CompletionProblem completion() {
        return CompletionProblem.sample(SyntheticTarget.generate(12, 12, 2, new Rng(1), LA).y(), 0.5, new Rng(2), "");
    }

    private static List<Long> steps(TrainResult r) {
        List<Long> s = new ArrayList<>();
        for (EvalPoint p : r.trajectory()) {
            s.add(p.step());
        }
        return s;
    }

    @Test
    void stopsAtToleranceWithConverged() {
        Problem p = factorization();
        double tol = 1e-12;
        TrainResult r = new Trainer(TrainerConfig.gd(5, 10_000, tol, 1), LA).fit("compressed", compressed(p), p);
        assertEquals(StopReason.CONVERGED, r.stopReason());
        assertTrue(r.finalTrainLoss() < tol);
        assertTrue(r.steps() < 10_000);
        assertEquals(r.steps(), r.last().step());
        // evaluated every step: every earlier loss was still at or above the tolerance
        for (EvalPoint e : r.trajectory().subList(0, r.trajectory().size() - 1)) {
            assertTrue(e.trainLoss() >= tol, "should have stopped at step " + e.step());
        }
        // for factorization the recovery error is the training loss
        assertEquals(r.finalTrainLoss(), r.finalRecoveryError(), 0.0);
        assertTrue(r.stopMessage().contains("tolerance"), r.stopMessage());
    }

    @Test
    void budgetStopEvaluatesEveryKStepsAndTheLastStep() {
        Problem p = factorization();
        TrainResult r = new Trainer(TrainerConfig.gd(1, 37, 0, 10), LA).fit("c", compressed(p), p);
        assertEquals(StopReason.BUDGET, r.stopReason());
        assertEquals(37, r.steps());
        assertEquals(List.of(0L, 10L, 20L, 30L, 37L), steps(r));
        // a budget on the grid is evaluated once
        r = new Trainer(TrainerConfig.gd(1, 40, 0, 10), LA).fit("c", compressed(p), p);
        assertEquals(List.of(0L, 10L, 20L, 30L, 40L), steps(r));
        // a zero budget evaluates the initial point only
        r = new Trainer(TrainerConfig.gd(1, 0, 0, 10), LA).fit("c", compressed(p), p);
        assertEquals(List.of(0L), steps(r));
        assertEquals(StopReason.BUDGET, r.stopReason());
        // the seconds are non-decreasing
        r = new Trainer(TrainerConfig.gd(1, 50, 0, 5), LA).fit("c", compressed(p), p);
        for (int i = 1; i < r.trajectory().size(); i++) {
            assertTrue(r.trajectory().get(i).seconds() >= r.trajectory().get(i - 1).seconds());
        }
    }

    @Test
    void fitLeavesTheInitialNetworkAloneAndRecordsProvenance() {
        Problem p = factorization();
        DeepLinearNetwork net = compressed(p);
        DeepLinearNetwork before = net.copy();
        TrainerConfig config = TrainerConfig.gd(5, 20, 0, 5);
        TrainResult r = new Trainer(config, LA).fit("compressed", net, p);
        for (int l = 1; l <= 3; l++) {
            assertArrayEquals(before.layer(l).data(), net.layer(l).data(), 0.0);
        }
        assertFalse(java.util.Arrays.equals(net.layer(1).data(), r.network().layer(1).data()), "did not train");
        assertEquals(config, r.provenance().config());
        assertEquals(LA.description(), r.provenance().backend());
        assertEquals(net.origin(), r.provenance().network());
        assertEquals("8×8 rank 2", r.provenance().data());
        assertEquals(net.parameterCount(), r.parameters());
    }

    @Test
    void rejectsANetworkThatDoesNotFitTheProblem() {
        Problem p = factorization();
        DeepLinearNetwork wrong = DeepLinearNetwork.wide(8, 7, 8, 3, Initialization.ORTH, 0.1, new Rng(1), LA);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(TrainerConfig.gd(1, 5, 0, 1), LA).fit("x", wrong, p));
        assertTrue(e.getMessage().contains("8×8"), e.getMessage());
    }

    @Test
    void divergenceNamesTheStepSizeAndSuggestsALowerOne() {
        CompletionProblem p = completion();
        DeepLinearNetwork wide = DeepLinearNetwork.wide(12, 12, 12, 3, Initialization.ORTH, 0.1, new Rng(3), LA);
        List<RuntimeException> failures = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onFailure(RuntimeException error, TrainingContext context) {
                failures.add(error);
            }
        };
        double eta = 1000;
        DivergenceException e = assertThrows(DivergenceException.class,
                () -> new Trainer(TrainerConfig.gd(eta, 1000, 0, 10), LA).addListener(recorder).fit("original", wide, p));
        assertEquals(eta, e.stepSize());
        assertEquals(1.0, e.alpha());
        assertTrue(e.step() < 1000);
        assertTrue(e.loss() > 1e6 * 0.1 || !Double.isFinite(e.loss()));
        String m = e.getMessage();
        assertTrue(m.contains("original") && m.contains("diverged at step " + e.step()), m);
        assertTrue(m.contains("step size η = " + Trainer.fmt(eta)), m);
        assertTrue(m.contains("lower the step size, e.g. η = " + Trainer.fmt(eta / 2)), m);
        assertEquals(List.of(e), failures, "listeners must hear of the failure");

        // with a discrepant rate the message names α and the outer layers' rate η·α
        DeepLinearNetwork c = new SpectralInit(4, 3, 0.1).build(p, 5, LA);
        TrainerConfig discrepant = TrainerConfig.gd(eta, 1000, 0, 10).withLayerRates(LayerRates.discrepant(3, 5));
        DivergenceException d = assertThrows(DivergenceException.class,
                () -> new Trainer(discrepant, LA).fit("compressed", c, p));
        assertEquals(5.0, d.alpha());
        assertTrue(d.getMessage().contains("α = " + Trainer.fmt(5.0)), d.getMessage());
        assertTrue(d.getMessage().contains("η·α = " + Trainer.fmt(5 * eta)), d.getMessage());
        assertTrue(d.getMessage().contains("lower the step size"), d.getMessage());
    }

    @Test
    void divergenceFactorZeroDisablesTheGuard() {
        CompletionProblem p = completion();
        DeepLinearNetwork wide = DeepLinearNetwork.wide(12, 12, 12, 3, Initialization.ORTH, 0.1, new Rng(3), LA);
        TrainerConfig off = new TrainerConfig(30, 0, 10, org.cdln.optim.OptimizerConfig.gd(1000), null, 0.0);
        TrainResult r = new Trainer(off, LA).fit("original", wide, p);
        assertEquals(StopReason.BUDGET, r.stopReason());
        assertFalse(r.finalTrainLoss() < 1e6, "the run was expected to blow up: " + r.finalTrainLoss());
    }

    @Test
    void earlyStoppingCountsEvaluationsWithoutRelativeImprovement() {
        TrainingContext ctx = new TrainingContext("x", TrainerConfig.gd(1, 10, 0, 1), null, null, null, 0, 10, 1, 1, 1, List.of());
        EarlyStopping es = new EarlyStopping(3, 0.0, false);
        es.onStart(ctx);
        double[] errors = {1.0, 0.5, 0.6, 0.5, 0.5};
        for (int i = 0; i < errors.length; i++) {
            assertNull(ctx.stopReason(), "stopped too early, before evaluation " + i);
            es.onEvaluation(new EvalPoint(i, 0, 7.0, errors[i]), ctx);
        }
        assertEquals(StopReason.EARLY_STOPPED, ctx.stopReason());
        assertEquals(0.5, es.best());
        assertTrue(ctx.stopMessage().contains("recovery error"), ctx.stopMessage());

        // a 5% gain does not count when 10% is required; the training loss is used when asked
        TrainingContext ctx2 = new TrainingContext("x", TrainerConfig.gd(1, 10, 0, 1), null, null, null, 0, 10, 1, 1, 1, List.of());
        EarlyStopping onLoss = new EarlyStopping(1, 0.1, true);
        onLoss.onStart(ctx2);
        onLoss.onEvaluation(new EvalPoint(0, 0, 1.0, 100.0), ctx2);
        assertNull(ctx2.stopReason());
        onLoss.onEvaluation(new EvalPoint(1, 0, 0.95, 1.0), ctx2);
        assertEquals(StopReason.EARLY_STOPPED, ctx2.stopReason());
        assertTrue(ctx2.stopMessage().contains("training loss"), ctx2.stopMessage());

        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(0, 0.0, false));
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(1, Double.NaN, false));
    }

    @Test
    void earlyStoppingEndsARunThatHasReachedItsFloor() {
        Problem p = factorization();
        long budget = 100_000;
        TrainResult r = new Trainer(TrainerConfig.gd(5, budget, 0, 10), LA)
                .addListener(new EarlyStopping(5, 0.5, false)).fit("c", compressed(p), p);
        assertEquals(StopReason.EARLY_STOPPED, r.stopReason());
        assertTrue(r.steps() < budget);
        assertTrue(r.bestRecoveryError() < 1e-20, "stopped before converging: " + r.bestRecoveryError());
    }

    @Test
    void timeLimitStopsALongRun() {
        Problem p = factorization();
        long budget = 1_000_000_000L;
        double limit = 0.2;
        TrainResult r = new Trainer(TrainerConfig.gd(1e-3, budget, 0, 1), LA).addListener(new TimeLimit(limit))
                .fit("c", compressed(p), p);
        assertEquals(StopReason.TIME_LIMIT, r.stopReason());
        assertTrue(r.steps() < budget);
        assertTrue(r.seconds() >= limit);
        assertTrue(r.stopMessage().contains("time limit"), r.stopMessage());
        assertThrows(IllegalArgumentException.class, () -> new TimeLimit(0));
    }

    @Test
    void listenersSeeStartEveryStepEveryEvaluationAndTheEnd() {
        Problem p = factorization();
        List<String> events = new ArrayList<>();
        List<TrainingResult> ended = new ArrayList<>();
        TrainingListener l = new TrainingListener() {
            @Override
            public void onStart(TrainingContext c) {
                events.add("start " + c.label() + " " + c.firstStep());
            }

            @Override
            public void onStep(long step, double loss, TrainingContext c) {
                events.add("step " + step);
            }

            @Override
            public void onEvaluation(TrainingPoint point, TrainingContext c) {
                events.add("eval " + point.step());
            }

            @Override
            public void onEnd(TrainingResult result) {
                ended.add(result);
            }
        };
        TrainResult r = new Trainer(TrainerConfig.gd(1, 5, 0, 2), LA).addListener(l).fit("c", compressed(p), p);
        assertEquals(List.of("start c 0", "step 0", "eval 0", "step 1", "step 2", "eval 2", "step 3", "step 4", "eval 4",
                "step 5", "eval 5"), events);
        assertEquals(1, ended.size());
        assertSame(r, ended.get(0));
    }

    @Test
    void configValidationNamesTheSetting() {
        org.cdln.optim.OptimizerConfig gd = org.cdln.optim.OptimizerConfig.gd(1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TrainerConfig(-1, 0, 1, gd, null, 0))
                .getMessage().startsWith("steps"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new TrainerConfig(1, Double.NaN, 1, gd, null, 0)).getMessage().startsWith("tolerance"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TrainerConfig(1, 0, 0, gd, null, 0))
                .getMessage().startsWith("evalEvery"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TrainerConfig(1, 0, 1, gd, null, 0.5))
                .getMessage().startsWith("divergence factor"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainerConfig.gd(1, 1, 0, 1).withLayerRates(new double[] {1, 1}).ratesFor(3));
        assertTrue(e.getMessage().contains("depth-3"), e.getMessage());
        assertEquals(5.0, TrainerConfig.gd(1, 1, 0, 1).withLayerRates(LayerRates.discrepant(3, 5)).alpha());
    }
}
