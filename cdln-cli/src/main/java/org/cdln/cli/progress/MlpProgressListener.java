package org.cdln.cli.progress;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.cdln.nn.EpochPoint;
import org.cdln.nn.MlpContext;
import org.cdln.nn.MlpListener;
import org.cdln.nn.MlpResult;

/**
 * Shows the progress of an MLP run: a live bar (steps, with the last test accuracy) on a terminal,
 * one plain line per epoch when the output is a file or a pipe.
 */
public abstract class MlpProgressListener implements MlpListener {
    /** A bar when a console is attached, plain lines to stderr otherwise. */
    public static MlpListener create(String label) {
        if (System.console() != null) {
            return new Bar(label);
        }
        return lines(label, new PrintWriter(System.err, true));
    }

    /** One plain line per epoch to the given writer. */
    public static MlpListener lines(String label, PrintWriter err) {
        return new Lines(label, err);
    }

    static String status(EpochPoint p) {
        return String.format(Locale.ROOT, "test accuracy %.4f, train loss %.4f", p.testAccuracy(), p.trainLoss());
    }

    private static final class Bar extends MlpProgressListener {
        private final String label;
        private ProgressBar bar;

        Bar(String label) {
            this.label = label;
        }

        @Override
        public void onStart(MlpContext context) {
            bar = new ProgressBarBuilder().setTaskName(label).setInitialMax(Math.max(1, context.totalSteps()))
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).showSpeed().build();
        }

        @Override
        public void onStep(long step, double loss, MlpContext context) {
            bar.stepTo(step);
        }

        @Override
        public void onEpoch(EpochPoint point, MlpContext context) {
            bar.setExtraMessage("epoch " + point.epoch() + ": " + status(point));
        }

        @Override
        public void onEnd(MlpResult result) {
            close();
        }

        @Override
        public void onFailure(RuntimeException error, MlpContext context) {
            close();
        }

        private void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }

    private static final class Lines extends MlpProgressListener {
        private final String label;
        private final PrintWriter err;

        Lines(String label, PrintWriter err) {
            this.label = label;
            this.err = err;
        }

        @Override
        public void onEpoch(EpochPoint p, MlpContext context) {
            err.printf(Locale.ROOT, "[%s] epoch %d/%d: %s, %.1f s%n", label, p.epoch(), context.config().epochs(),
                    status(p), p.seconds());
            err.flush();
        }

        @Override
        public void onEnd(MlpResult r) {
            err.printf(Locale.ROOT, "[%s] done: %d steps, %.1f s, final test accuracy %.4f (%s)%n", label, r.steps(),
                    r.seconds(), r.finalTestAccuracy(), r.stopped());
            err.flush();
        }
    }
}
