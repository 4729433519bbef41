package org.cdln.train;

import org.cdln.model.DeepLinearNetwork;
import org.cdln.optim.Optimizer;
import org.cdln.problem.Problem;

/**
 * What listeners see of a running fit: its label, settings, the live network and optimiser (read
 * them, do not modify them), the problem, and a way to ask the loop to stop.
 */
public final class TrainingContext {
    private final String label;
    private final TrainerConfig config;
    private final DeepLinearNetwork network;
    private final Optimizer optimizer;
    private final Problem problem;
    private final long firstStep;
    private final java.util.List<EvalPoint> priorTrajectory;
    private java.util.List<TrainingListener> listeners = java.util.List.of();
    private StopReason stopReason;
    private String stopMessage;

    TrainingContext(String label, TrainerConfig config, DeepLinearNetwork network, Optimizer optimizer,
                    Problem problem, long firstStep, java.util.List<EvalPoint> priorTrajectory) {
        this.label = label;
        this.config = config;
        this.network = network;
        this.optimizer = optimizer;
        this.problem = problem;
        this.firstStep = firstStep;
        this.priorTrajectory = java.util.List.copyOf(priorTrajectory);
    }

    /** Evaluations made before this run started (non-empty only when resuming a checkpoint). */
    public java.util.List<EvalPoint> priorTrajectory() {
        return priorTrajectory;
    }

    public String label() {
        return label;
    }

    public TrainerConfig config() {
        return config;
    }

    /** The live network being trained. */
    public DeepLinearNetwork network() {
        return network;
    }

    /** The live optimiser (its state is what a checkpoint saves). */
    public Optimizer optimizer() {
        return optimizer;
    }

    public Problem problem() {
        return problem;
    }

    /** The step this run started from (0, or the step of a resumed checkpoint). */
    public long firstStep() {
        return firstStep;
    }

    void setListeners(java.util.List<TrainingListener> ls) {
        this.listeners = java.util.List.copyOf(ls);
    }

    /** The current state of every {@link StatefulListener} of this run, by key. */
    public java.util.Map<String, double[]> listenerStates() {
        java.util.Map<String, double[]> m = new java.util.LinkedHashMap<>();
        for (TrainingListener l : listeners) {
            if (l instanceof StatefulListener s) {
                m.put(s.stateKey(), s.saveState());
            }
        }
        return m;
    }

    /** Asks the loop to stop after the current step. The first request wins. */
    public void requestStop(StopReason reason, String message) {
        if (stopReason == null) {
            stopReason = reason;
            stopMessage = message;
        }
    }

    StopReason stopReason() {
        return stopReason;
    }

    String stopMessage() {
        return stopMessage;
    }
}
