package org.cdln.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@link Checkpoint} at evaluations at most every {@code intervalSeconds} of wall time,
 * and once more when the run ends, so that an interrupted long run can be resumed with
 * {@link Trainer#resume}. A run that fails (e.g. diverges) writes nothing more: the last
 * checkpoint taken at an evaluation is kept rather than overwritten by the failed state.
 */
public final class CheckpointListener implements CheckpointWriter {
    // a checkpoint holds a deep linear network and its one optimiser: full-batch runs only
    private final Path file;
    private final double intervalSeconds;
    private final List<EvalPoint> trajectory = new ArrayList<>();
    private long lastWrite;
    private TrainingContext context;

    public CheckpointListener(Path file, double intervalSeconds) {
        this.file = file;
        this.intervalSeconds = intervalSeconds;
    }

    @Override
    public void onStart(TrainingContext ctx) {
        this.context = ctx;
        trajectory.clear();
        for (TrainingPoint p : ctx.priorTrajectory()) {
            trajectory.add((EvalPoint) p);
        }
        lastWrite = System.nanoTime();
    }

    @Override
    public void onEvaluation(TrainingPoint point, TrainingContext ctx) {
        trajectory.add((EvalPoint) point);
        // a run that a listener has just stopped is saved by onEnd, with its stop reason
        if (ctx.stopReason() == null && (System.nanoTime() - lastWrite) * 1e-9 >= intervalSeconds) {
            write(point.step(), point.seconds(), null, "");
            lastWrite = System.nanoTime();
        }
    }

    @Override
    public void onEnd(TrainingResult result) {
        write(result.steps(), result.seconds(), result.stopReason(), result.stopMessage());
    }

    /**
     * An interrupted run ({@link StopSignal}) is saved at the step it stopped at, still running, so
     * that a resume continues it exactly; any other failure writes nothing.
     */
    @Override
    public void onFailure(RuntimeException error, TrainingContext ctx) {
        if (error instanceof TrainingInterruptedException ti && context != null) {
            double seconds = trajectory.isEmpty() ? 0.0 : trajectory.get(trajectory.size() - 1).seconds();
            write(ti.step(), seconds, null, "");
            ti.checkpointSavedAt(file);
        }
    }

    /** The file this listener writes. */
    public Path file() {
        return file;
    }

    private void write(long step, double seconds, StopReason reason, String message) {
        new Checkpoint(context.label(), context.config().toString(), Trainer.identity(context.config(TrainerConfig.class)), step,
                seconds, trajectory, context.network().copy(), copy(context.optimizer().state()),
                context.optimizer().steps(), reason, message, context.listenerStates()).save(file);
    }

    private static double[][] copy(double[][] s) {
        double[][] c = new double[s.length][];
        for (int i = 0; i < s.length; i++) {
            c[i] = s[i].clone();
        }
        return c;
    }
}
