package org.cdln.cli;

import java.util.List;
import org.cdln.cli.progress.ProgressListener;
import org.cdln.experiment.ListenerFactory;
import picocli.CommandLine.Option;

/**
 * {@code --no-progress}, declared once for every command that shows progress (a picocli mixin):
 * without it, long runs show a progress bar on a terminal and plain progress lines in logs.
 */
public final class ProgressOption {
    @Option(names = "--no-progress", description = "No progress bar or progress lines.")
    boolean off;

    /** Whether progress is shown (the flag was not given). */
    public boolean shown() {
        return !off;
    }

    /** A progress bar per run, over its step budget ({@link ProgressListener#create}), or none. */
    public ListenerFactory bars() {
        return off ? ListenerFactory.none() : (label, budget) -> List.of(ProgressListener.create(label, budget));
    }
}
