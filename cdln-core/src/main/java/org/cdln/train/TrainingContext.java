package org.cdln.train;

import java.util.List;
import org.cdln.model.DeepLinearNetwork;
import org.cdln.optim.Optimizer;
import org.cdln.problem.Problem;

/**
 * What listeners see of a running fit, for every trainer: its label and settings, the live model
 * and optimiser (read them, do not modify them), the problem when there is one, the size of the
 * run, and a way to ask the loop to stop.
 */
public final class TrainingContext {
    private final String label;
    private final Object config;
    private final Object model;
    private final Optimizer optimizer;
    private final Problem problem;
    private final long firstStep;
    private final long maxSteps;
    private final int stepsPerEpoch;
    private final double stepSize;
    private final double alpha;
    private final List<TrainingPoint> priorTrajectory;
    private java.util.List<TrainingListener> listeners = java.util.List.of();
    private StopReason stopReason;
    private String stopMessage;

    /**
     * For trainers (listeners receive a context, they do not make one).
     *
     * @param label           what is trained
     * @param config          the trainer's settings record
     * @param model           the live model
     * @param optimizer       the live optimiser whose state a checkpoint saves, or null
     * @param problem         the recovery problem, or null when the model trains on a data set
     * @param firstStep       0, or the step of a resumed checkpoint
     * @param maxSteps        the step budget
     * @param stepsPerEpoch   updates per pass over the data (1 for full-batch training)
     * @param stepSize        η, for messages
     * @param alpha           the largest per-layer multiplier of η (1 when uniform), for messages
     * @param priorTrajectory evaluations made before this run started (resumed runs)
     */
    public TrainingContext(String label, Object config, Object model, Optimizer optimizer, Problem problem,
                           long firstStep, long maxSteps, int stepsPerEpoch, double stepSize, double alpha,
                           List<? extends TrainingPoint> priorTrajectory) {
        this.label = label;
        this.config = config;
        this.model = model;
        this.optimizer = optimizer;
        this.problem = problem;
        this.firstStep = firstStep;
        this.maxSteps = maxSteps;
        this.stepsPerEpoch = stepsPerEpoch;
        this.stepSize = stepSize;
        this.alpha = alpha;
        this.priorTrajectory = List.copyOf(priorTrajectory);
    }

    /** Evaluations made before this run started (non-empty only when resuming a checkpoint). */
    public List<TrainingPoint> priorTrajectory() {
        return priorTrajectory;
    }

    public String label() {
        return label;
    }

    /** The trainer's settings ({@link TrainerConfig} for {@link Trainer}). */
    public Object config() {
        return config;
    }

    /**
     * The trainer's settings as {@code type}.
     *
     * @throws IllegalStateException when this run's trainer has other settings
     */
    public <T> T config(Class<T> type) {
        if (!type.isInstance(config)) {
            throw new IllegalStateException("this run of " + label + " has settings of type "
                    + config.getClass().getSimpleName() + ", not " + type.getSimpleName());
        }
        return type.cast(config);
    }

    /**
     * The live model being trained, as {@code type}.
     *
     * @throws IllegalStateException when this run trains another kind of model
     */
    public <T> T model(Class<T> type) {
        if (!type.isInstance(model)) {
            throw new IllegalStateException("this run trains a " + model.getClass().getSimpleName() + ", not a "
                    + type.getSimpleName());
        }
        return type.cast(model);
    }

    /** The live deep linear network being trained (the model of {@link Trainer}'s runs). */
    public DeepLinearNetwork network() {
        return model(DeepLinearNetwork.class);
    }

    /** The live optimiser (its state is what a checkpoint saves), or null when the trainer has one per layer. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** The recovery problem, or null when the model trains on a data set. */
    public Problem problem() {
        return problem;
    }

    /** The step this run started from (0, or the step of a resumed checkpoint). */
    public long firstStep() {
        return firstStep;
    }

    /** The step budget of the run. */
    public long maxSteps() {
        return maxSteps;
    }

    /** Updates per pass over the data: ⌈n/B⌉ for mini-batches, 1 for full-batch training. */
    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /** The step size η of the run. */
    public double stepSize() {
        return stepSize;
    }

    /** The largest per-layer multiplier of η (α of the compressed network; 1 when uniform). */
    public double alpha() {
        return alpha;
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

    /** True once a listener asked the run to stop. */
    public boolean stopRequested() {
        return stopReason != null;
    }

    StopReason stopReason() {
        return stopReason;
    }

    String stopMessage() {
        return stopMessage;
    }
}
