package org.cdln.train;

/** Stops a run once its training time exceeds a limit (checked at evaluations). */
public final class TimeLimit implements TrainingListener {
    private final double seconds;

    public TimeLimit(double seconds) {
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("time limit must be > 0 seconds, got " + seconds);
        }
        this.seconds = seconds;
    }

    @Override
    public void onEvaluation(TrainingPoint point, TrainingContext context) {
        if (point.seconds() >= seconds) {
            context.requestStop(StopReason.TIME_LIMIT, "time limit of " + Trainer.fmt(seconds)
                    + " s reached at step " + point.step());
        }
    }
}
