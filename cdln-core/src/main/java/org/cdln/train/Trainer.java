package org.cdln.train;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.cdln.Version;
import org.cdln.io.SettingsDigest;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.model.Backprop;
import org.cdln.model.DeepLinearNetwork;
import org.cdln.optim.Optimizer;
import org.cdln.problem.LossGradientOracle;
import org.cdln.problem.Problem;

/**
 * Full-batch training of a deep linear network on a recovery problem, on the one
 * {@link TrainingLoop}.
 *
 * <p>Each step evaluates the loss at the current point and all layer gradients from that same
 * point ({@link Backprop}), then applies one optimiser update to every layer (simultaneous GD),
 * with the learning-rate schedule's factor. The run stops when the training loss falls below the
 * tolerance, when the budget is used up, or when a listener asks. Evaluations (train loss,
 * recovery error, time) happen every k steps and at the last step; their cost is excluded from the
 * reported training time. Nothing is allocated inside a step.
 *
 * <pre>{@code
 * TrainResult r = new Trainer(TrainerConfig.gd(10, 25_000, 1e-12, 50).withLayerRates(LayerRates.discrepant(3, 5)))
 *         .fit("compressed", new SpectralInit(10, 3, 1e-2).build(problem, seed, la), problem);
 * }</pre>
 */
public final class Trainer {
    private final TrainerConfig config;
    private final LinearAlgebra la;
    private final List<TrainingListener> listeners = new ArrayList<>();

    public Trainer(TrainerConfig config) {
        this(config, LinearAlgebra.instance());
    }

    public Trainer(TrainerConfig config, LinearAlgebra la) {
        this.config = config;
        this.la = la;
        listeners.addAll(List.of(TrainingListener.presets(config.divergenceFactor(), Double.POSITIVE_INFINITY)));
    }

    /** Adds a listener; returns this trainer. */
    public Trainer addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    public TrainerConfig config() {
        return config;
    }

    /**
     * Trains a copy of {@code initial} on the problem. The argument is not modified.
     *
     * @throws DivergenceException when the loss diverges
     */
    public TrainResult fit(String label, DeepLinearNetwork initial, Problem problem) {
        return run(label, initial.copy(), problem, null);
    }

    /**
     * The identity of a run's settings as a checkpoint records it: the digest of every trainer
     * setting but the step budget (so that a finished run can be continued with a larger one).
     */
    public static String identity(TrainerConfig config) {
        // a constant schedule is the setting every checkpoint written before schedules existed had
        return SettingsDigest.of(config, config.schedule() == org.cdln.optim.LearningRateSchedule.CONSTANT
                ? Set.of("maxSteps", "schedule") : Set.of("maxSteps"));
    }

    /**
     * Continues a run from a checkpoint written by {@link CheckpointListener}. The checkpoint is
     * not modified, so it can be resumed from again.
     */
    public TrainResult resume(Checkpoint checkpoint, Problem problem) {
        if (!checkpoint.identity().isEmpty() && !checkpoint.identity().equals(identity(config))) {
            throw new IllegalArgumentException("the checkpoint of the " + checkpoint.label() + " run was written with "
                    + "other training settings (" + checkpoint.settings() + ") than these (" + config + "); resume with "
                    + "the settings it was written with, or start afresh without resuming");
        }
        return run(checkpoint.label(), checkpoint.network().copy(), problem, checkpoint);
    }

    private TrainResult run(String label, DeepLinearNetwork net, Problem problem, Checkpoint from) {
        long startStep = from == null ? 0 : from.step();
        double startSeconds = from == null ? 0.0 : from.seconds();
        List<EvalPoint> priorTrajectory = from == null ? List.of() : from.trajectory();
        if (net.outputDim() != problem.rows() || net.inputDim() != problem.cols()) {
            throw new IllegalArgumentException("the network maps " + net.inputDim() + " → " + net.outputDim()
                    + " but the problem is " + problem.rows() + "×" + problem.cols());
        }
        Optimizer optimizer = Optimizer.create(config.optimizer(), net.layers(), config.ratesFor(net.depth()));
        if (from != null) {
            optimizer.restore(from.optimizerState(), from.optimizerSteps());
        }
        Provenance<TrainerConfig> provenance = new Provenance<>(Version.get(), la.description(), la.threads(),
                System.getProperty("java.version"), Instant.now(), config, net.origin(), problem.description(),
                startStep);
        TrainingContext ctx = new TrainingContext(label, config, net, optimizer, problem, startStep, config.maxSteps(),
                1, config.optimizer().stepSize(), config.alpha(), priorTrajectory);
        FullBatch task = new FullBatch(net, problem, optimizer, config, la);
        TrainingLoop loop = new TrainingLoop(ctx, listeners, config.tolerance());
        if (from != null) {
            loop.afterStart(ls -> {
                restoreListenerStates(from, ls);
                if (from.stoppedForGood()) {
                    ctx.requestStop(from.stopReason(), from.stopMessage());
                }
            });
        }
        return loop.run(task, startSeconds, priorTrajectory,
                o -> new TrainResult(label, net.copy(), o.trajectory(), o.steps(), o.seconds(), o.stopReason(),
                        o.stopMessage(), net.parameterCount(), provenance));
    }

    /** The deep linear network's objective and update: the problem's loss, backprop, one optimiser step. */
    private static final class FullBatch implements TrainingTask<EvalPoint> {
        private final DeepLinearNetwork net;
        private final Matrix[] layers;
        private final Matrix[] grads;
        private final Backprop backprop;
        private final LossGradientOracle oracle;
        private final Optimizer optimizer;
        private final TrainerConfig config;

        FullBatch(DeepLinearNetwork net, Problem problem, Optimizer optimizer, TrainerConfig config, LinearAlgebra la) {
            this.net = net;
            this.layers = net.layers();
            this.grads = Backprop.gradientBuffers(net);
            this.backprop = new Backprop(net.widths(), la);
            this.oracle = problem.newOracle(net.layer(net.depth()).cols(), la);
            this.optimizer = optimizer;
            this.config = config;
        }

        @Override
        public double lossAndGradients(long step) {
            return backprop.lossAndGradients(net, oracle, grads);
        }

        @Override
        public void update(long step) {
            if (config.schedule() != org.cdln.optim.LearningRateSchedule.CONSTANT) {
                optimizer.setRateScale(config.schedule().factor(step, config.maxSteps()));
            }
            optimizer.step(layers, grads);
        }

        @Override
        public boolean evaluationDue(long step) {
            return step % config.evalEvery() == 0;
        }

        @Override
        public EvalPoint evaluate(long step, double seconds, double loss) {
            return new EvalPoint(step, seconds, loss, oracle.lastRecoveryError());
        }

        @Override
        public boolean lossAtFinalPoint() {
            return true;
        }
    }

    private static void restoreListenerStates(Checkpoint from, List<TrainingListener> ls) {
        for (TrainingListener l : ls) {
            if (l instanceof StatefulListener s) {
                double[] state = from.listenerStates().get(s.stateKey());
                if (state != null) {
                    s.restoreState(state.clone());
                }
            }
        }
    }

    static String fmt(double v) {
        return TrainingLoop.fmt(v);
    }
}
