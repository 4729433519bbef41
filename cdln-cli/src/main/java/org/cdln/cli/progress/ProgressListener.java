package org.cdln.cli.progress;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.cdln.train.TrainingContext;
import org.cdln.train.TrainingListener;
import org.cdln.train.TrainingPoint;
import org.cdln.train.TrainingResult;

/**
 * Shows the progress of a training run, of any trainer: a live bar (steps, with the last
 * evaluation's {@link TrainingPoint#status()}) on a terminal, plain lines when the output is a
 * file or a pipe, so that logs do not fill with carriage returns — at most one every
 * {@value #LINE_INTERVAL_SECONDS} s ({@link #create}) or one per evaluation ({@link #perEvaluation},
 * for the MLP's epochs), plus a final one.
 */
public abstract class ProgressListener implements TrainingListener {
    static final double LINE_INTERVAL_SECONDS = 10.0;

    /** A bar when a console is attached, plain lines (at most one per 10 s) to stderr otherwise. */
    public static TrainingListener create(String label, long maxSteps) {
        if (System.console() != null) {
            return new Bar(label);
        }
        return new Lines(label, LINE_INTERVAL_SECONDS, new PrintWriter(System.err, true));
    }

    /** A bar when a console is attached, one plain line per evaluation to stderr otherwise. */
    public static TrainingListener perEvaluation(String label) {
        if (System.console() != null) {
            return new Bar(label);
        }
        return new Lines(label, 0.0, new PrintWriter(System.err, true));
    }

    /** Plain progress lines (at most one per 10 s) to the given writer. */
    public static TrainingListener lines(String label, long maxSteps, PrintWriter err) {
        return new Lines(label, LINE_INTERVAL_SECONDS, err);
    }

    private static final class Bar extends ProgressListener {
        private final String label;
        private ProgressBar bar;

        Bar(String label) {
            this.label = label;
        }

        @Override
        public void onStart(TrainingContext context) {
            bar = new ProgressBarBuilder().setTaskName(label).setInitialMax(Math.max(1, context.maxSteps()))
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).showSpeed().build();
            bar.stepTo(context.firstStep());
        }

        @Override
        public void onStep(long step, double loss, TrainingContext context) {
            bar.stepTo(step);
        }

        @Override
        public void onEvaluation(TrainingPoint point, TrainingContext context) {
            bar.setExtraMessage(point.status());
        }

        @Override
        public void onEnd(TrainingResult result) {
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
        private final double intervalSeconds;
        private final PrintWriter err;
        private long lastLine;
        private long maxSteps;

        Lines(String label, double intervalSeconds, PrintWriter err) {
            this.label = label;
            this.intervalSeconds = intervalSeconds;
            this.err = err;
        }

        @Override
        public void onStart(TrainingContext context) {
            lastLine = System.nanoTime();
            maxSteps = context.maxSteps();
        }

        @Override
        public void onEvaluation(TrainingPoint point, TrainingContext context) {
            long now = System.nanoTime();
            if (point.step() > context.firstStep() && (now - lastLine) * 1e-9 >= intervalSeconds) {
                lastLine = now;
                err.printf(Locale.ROOT, "[%s] step %d/%d (%.0f%%), %s, %.1f s%n", label, point.step(), maxSteps,
                        100.0 * point.step() / Math.max(1, maxSteps), point.status(), point.seconds());
                err.flush();
            }
        }

        @Override
        public void onEnd(TrainingResult result) {
            err.printf(Locale.ROOT, "[%s] done: %d steps, %.2f s, %s (%s)%n", label, result.steps(), result.seconds(),
                    result.lastPoint().status(), result.stopReason().name().toLowerCase(Locale.ROOT).replace('_', ' '));
            err.flush();
        }
    }
}
