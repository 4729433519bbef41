package org.cdln.cli.progress;

import java.io.PrintWriter;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.cdln.train.EvalPoint;
import org.cdln.train.TrainResult;
import org.cdln.train.TrainingContext;
import org.cdln.train.TrainingListener;

/**
 * Shows the progress of a training run: a live bar on a terminal, plain lines (at most one every
 * {@value #LINE_INTERVAL_SECONDS} s, plus a final one) when the output is a file or a pipe, so that
 * logs do not fill with carriage returns.
 */
public abstract class ProgressListener implements TrainingListener {
    static final double LINE_INTERVAL_SECONDS = 10.0;

    /** A bar when a console is attached, plain lines to stderr otherwise. */
    public static TrainingListener create(String label, long maxSteps) {
        if (System.console() != null) {
            return new Bar(label, maxSteps);
        }
        return new Lines(label, maxSteps, new PrintWriter(System.err, true));
    }

    /** Plain progress lines to the given writer. */
    public static TrainingListener lines(String label, long maxSteps, PrintWriter err) {
        return new Lines(label, maxSteps, err);
    }

    static String status(EvalPoint p) {
        return String.format("loss %.2e, error %.2e", p.trainLoss(), p.recoveryError());
    }

    private static final class Bar extends ProgressListener {
        private final String label;
        private final long maxSteps;
        private ProgressBar bar;

        Bar(String label, long maxSteps) {
            this.label = label;
            this.maxSteps = maxSteps;
        }

        @Override
        public void onStart(TrainingContext context) {
            bar = new ProgressBarBuilder().setTaskName(label).setInitialMax(Math.max(1, maxSteps))
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).showSpeed().build();
            bar.stepTo(context.firstStep());
        }

        @Override
        public void onEvaluation(EvalPoint point, TrainingContext context) {
            bar.stepTo(point.step());
            bar.setExtraMessage(status(point));
        }

        @Override
        public void onEnd(TrainResult result) {
            close();
        }

        @Override
        public void onFailure(RuntimeException error, TrainingContext context) {
            close();
        }

        private void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }

    private static final class Lines extends ProgressListener {
        private final String label;
        private final long maxSteps;
        private final PrintWriter err;
        private long lastLine;

        Lines(String label, long maxSteps, PrintWriter err) {
            this.label = label;
            this.maxSteps = maxSteps;
            this.err = err;
        }

        @Override
        public void onStart(TrainingContext context) {
            lastLine = System.nanoTime();
        }

        @Override
        public void onEvaluation(EvalPoint point, TrainingContext context) {
            long now = System.nanoTime();
            if ((now - lastLine) * 1e-9 >= LINE_INTERVAL_SECONDS) {
                lastLine = now;
                err.printf("[%s] step %d/%d (%.0f%%), %s, %.1f s%n", label, point.step(), maxSteps,
                        100.0 * point.step() / Math.max(1, maxSteps), status(point), point.seconds());
                err.flush();
            }
        }

        @Override
        public void onEnd(TrainResult result) {
            err.printf("[%s] done: %d steps, %.2f s, %s (%s)%n", label, result.steps(), result.seconds(),
                    status(result.last()), result.stopReason().name().toLowerCase().replace('_', ' '));
            err.flush();
        }
    }
}
