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
public final class CheckpointListener implements TrainingListener {
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
        if ((System.nanoTime() - lastWrite) * 1e-9 >= intervalSeconds) {
            write((EvalPoint) point);
            lastWrite = System.nanoTime();
        }
    }

    @Override
    public void onEnd(TrainingResult result) {
        write((EvalPoint) result.lastPoint());
    }

    private void write(EvalPoint at) {
        new Checkpoint(context.label(), context.config().toString(), at.step(), at.seconds(), trajectory,
                context.network().copy(), copy(context.optimizer().state()), context.optimizer().steps()).save(file);
    }

    private static double[][] copy(double[][] s) {
        double[][] c = new double[s.length][];
        for (int i = 0; i < s.length; i++) {
            c[i] = s[i].clone();
        }
        return c;
    }
}
