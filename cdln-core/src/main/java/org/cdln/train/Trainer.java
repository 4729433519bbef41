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
 * Full-batch training of a deep linear network on a recovery problem.
 *
 * <p>Each step evaluates the loss at the current point and all layer gradients from that same
 * point ({@link Backprop}), then applies one optimiser update to every layer (simultaneous GD).
 * The run stops when the training loss falls below the tolerance, when the budget is used up, or
 * when a listener asks. Evaluations (train loss, recovery error, time) happen every k steps and at
 * the last step; their cost is excluded from the reported training time. Nothing is allocated
 * inside a step.
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
        if (config.divergenceFactor() > 0) {
            listeners.add(new DivergenceGuard(config.divergenceFactor()));
        }
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
        return SettingsDigest.of(config, Set.of("maxSteps"));
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
        Matrix[] layers = net.layers();
        Matrix[] grads = Backprop.gradientBuffers(net);
        Backprop backprop = new Backprop(net.widths(), la);
        LossGradientOracle evaluator = problem.newOracle(net.layer(net.depth()).cols(), la);
        Optimizer optimizer = Optimizer.create(config.optimizer(), layers, config.ratesFor(net.depth()));
        if (from != null) {
            optimizer.restore(from.optimizerState(), from.optimizerSteps());
        }
        TrainingContext ctx = new TrainingContext(label, config, net, optimizer, problem, startStep, priorTrajectory);
        List<EvalPoint> trajectory = new ArrayList<>(priorTrajectory);
        // checkpoints last, so that they save the other listeners' state after they saw an evaluation
        List<TrainingListener> ordered = new ArrayList<>();
        for (TrainingListener l : listeners) {
            if (!(l instanceof CheckpointListener)) {
                ordered.add(l);
            }
        }
        for (TrainingListener l : listeners) {
            if (l instanceof CheckpointListener) {
                ordered.add(l);
            }
        }
        TrainingListener[] ls = ordered.toArray(new TrainingListener[0]);
        ctx.setListeners(ordered);
        Provenance provenance = new Provenance(Version.get(), la.description(), la.threads(),
                System.getProperty("java.version"), Instant.now(), config, net.origin(), problem.description(), startStep);
        try {
            for (TrainingListener l : ls) {
                l.onStart(ctx);
            }
            if (from != null) {
                restoreListenerStates(from, ls);
                if (from.stoppedForGood()) {
                    ctx.requestStop(from.stopReason(), from.stopMessage());
                }
            }
            long trainNanos = 0;
            long step = startStep;
            long lastEvaluated = priorTrajectory.isEmpty() ? -1 : priorTrajectory.get(priorTrajectory.size() - 1).step();
            StopReason reason;
            String message;
            long t0 = System.nanoTime();
            while (true) {
                if (StopSignal.isRequested()) {
                    StopSignal.acknowledge();
                    throw new TrainingInterruptedException(label, step, StopSignal.reason());
                }
                double loss = backprop.lossAndGradients(net, evaluator, grads);
                for (TrainingListener l : ls) {
                    l.onStep(step, loss, ctx);
                }
                boolean converged = loss < config.tolerance();
                boolean budget = step >= config.maxSteps();
                boolean requested = ctx.stopReason() != null;
                boolean last = converged || budget || requested;
                if ((step % config.evalEvery() == 0 || last) && step != lastEvaluated) {
                    trainNanos += System.nanoTime() - t0;
                    EvalPoint p = new EvalPoint(step, startSeconds + trainNanos * 1e-9, loss,
                            evaluator.lastRecoveryError());
                    trajectory.add(p);
                    lastEvaluated = step;
                    for (TrainingListener l : ls) {
                        l.onEvaluation(p, ctx);
                    }
                    t0 = System.nanoTime();
                    if (!last && ctx.stopReason() != null) {
                        last = true;
                        requested = true;
                    }
                }
                if (last) {
                    if (converged) {
                        reason = StopReason.CONVERGED;
                        message = "training loss " + fmt(loss) + " < tolerance " + fmt(config.tolerance())
                                + " after " + step + " steps";
                    } else if (requested) {
                        reason = ctx.stopReason();
                        message = ctx.stopMessage();
                    } else {
                        reason = StopReason.BUDGET;
                        message = "step budget of " + config.maxSteps() + " used up";
                    }
                    break;
                }
                optimizer.step(layers, grads);
                step++;
            }
            double seconds = trajectory.get(trajectory.size() - 1).seconds();
            TrainResult result = new TrainResult(label, net.copy(), trajectory, step, seconds, reason, message,
                    net.parameterCount(), provenance);
            for (TrainingListener l : ls) {
                l.onEnd(result);
            }
            return result;
        } catch (RuntimeException e) {
            for (TrainingListener l : ls) {
                try {
                    l.onFailure(e, ctx);
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static void restoreListenerStates(Checkpoint from, TrainingListener[] ls) {
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
        return String.format("%.3g", v);
    }
}
