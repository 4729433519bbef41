package org.cdln.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The one training loop of cdln, shared by every trainer (the shape of Tribuo's
 * {@code AbstractSGDTrainer}: the loop is written once, each model supplies its objective and
 * parameters through a {@link TrainingTask}).
 *
 * <p>Per step: the loss and gradients at the current point, {@link TrainingListener#onStep}, the
 * stopping tests (loss below the tolerance, budget used up, a listener's request), an evaluation
 * when it is due or the run ends, then one update. Training time counts the task's work only: the
 * evaluations and the listeners' time are left out. The run ends
 * with {@link TrainingListener#onEnd}, or {@link TrainingListener#onFailure} for every listener if
 * anything threw (their own failures are added to the run's as suppressed). Nothing is allocated
 * per step beyond what the task allocates.
 */
public final class TrainingLoop {
    /** What the loop hands back to the trainer, which builds its result from it. */
    public record Outcome<P extends TrainingPoint>(List<P> trajectory, long steps, double seconds,
                                                   StopReason stopReason, String stopMessage) {
        public Outcome {
            trajectory = List.copyOf(trajectory);
        }
    }

    private final TrainingContext context;
    private final TrainingListener[] listeners;
    private final double tolerance;
    private java.util.function.Consumer<List<TrainingListener>> afterStart = ls -> { };

    /**
     * @param context   the context listeners see (its budget is the loop's)
     * @param listeners in the order they are called
     * @param tolerance the run converges when a training loss is below it (−∞: never)
     */
    public TrainingLoop(TrainingContext context, List<TrainingListener> listeners, double tolerance) {
        // checkpoints last, so that they save the other listeners' state after they saw an evaluation
        List<TrainingListener> ordered = new ArrayList<>();
        for (TrainingListener l : listeners) {
            if (!(l instanceof CheckpointWriter)) {
                ordered.add(l);
            }
        }
        for (TrainingListener l : listeners) {
            if (l instanceof CheckpointWriter) {
                ordered.add(l);
            }
        }
        this.context = context;
        this.listeners = ordered.toArray(new TrainingListener[0]);
        this.tolerance = tolerance;
        context.setListeners(ordered);
    }

    /**
     * Runs {@code hook} with the listeners right after their {@link TrainingListener#onStart}, e.g.
     * to restore their state from a checkpoint. Returns this loop.
     */
    public TrainingLoop afterStart(java.util.function.Consumer<List<TrainingListener>> hook) {
        this.afterStart = hook;
        return this;
    }

    /**
     * Runs the task from {@code context.firstStep()} to the end, then builds the result with
     * {@code finish} and hands it to the listeners.
     *
     * @param startSeconds training time already spent (resumed runs)
     * @param prior        evaluations made before (resumed runs), kept at the start of the trajectory
     */
    public <P extends TrainingPoint, R extends TrainingResult> R run(TrainingTask<P> task, double startSeconds,
                                                                      List<P> prior, Function<Outcome<P>, R> finish) {
        TrainingContext ctx = context;
        TrainingListener[] ls = listeners;
        long maxSteps = ctx.maxSteps();
        List<P> trajectory = new ArrayList<>(prior);
        try {
            for (TrainingListener l : ls) {
                l.onStart(ctx);
            }
            afterStart.accept(List.of(ls));
            long trainNanos = 0;
            long step = ctx.firstStep();
            long lastEvaluated = prior.isEmpty() ? -1 : prior.get(prior.size() - 1).step();
            StopReason reason;
            String message;
            long t0 = System.nanoTime();
            while (true) {
                if (StopSignal.isRequested()) {
                    StopSignal.acknowledge();
                    throw new TrainingInterruptedException(ctx.label(), step, StopSignal.reason());
                }
                boolean budget = step >= maxSteps;
                double loss = Double.NaN;
                if (!budget || task.lossAtFinalPoint()) {
                    loss = task.lossAndGradients(step);
                    long l0 = System.nanoTime();
                    for (TrainingListener l : ls) {
                        l.onStep(step, loss, ctx);
                    }
                    t0 += System.nanoTime() - l0;   // listeners' time is not training time
                }
                boolean converged = loss < tolerance;
                boolean requested = ctx.stopReason() != null;
                boolean last = converged || budget || requested;
                if ((task.evaluationDue(step) || last) && step != lastEvaluated) {
                    trainNanos += System.nanoTime() - t0;
                    P p = task.evaluate(step, startSeconds + trainNanos * 1e-9, loss);
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
                        message = "training loss " + fmt(loss) + " < tolerance " + fmt(tolerance) + " after " + step
                                + " steps";
                    } else if (requested) {
                        reason = ctx.stopReason();
                        message = ctx.stopMessage();
                    } else {
                        reason = StopReason.BUDGET;
                        message = "step budget of " + maxSteps + " used up";
                    }
                    break;
                }
                task.update(step);
                step++;
            }
            double seconds = trajectory.get(trajectory.size() - 1).seconds();
            R result = finish.apply(new Outcome<>(trajectory, step, seconds, reason, message));
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

    /** Three significant digits, as in every training message. */
    public static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
