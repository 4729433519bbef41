package org.cdln.cli;

import picocli.CommandLine.Option;

/**
 * {@code --resume}, declared once for every command whose runs write checkpoints (a picocli
 * mixin). Each command keeps its checkpoints next to its output ({@code <out>/checkpoints}, or
 * {@code <out>.checkpoints} for a model file) and, given this flag, continues each run from the
 * checkpoint of the same settings where there is one.
 */
public final class ResumeOption {
    @Option(names = "--resume", description = "Continue interrupted runs exactly from their checkpoints next to "
            + "--out (written every 30 s, at the end of each run and on SIGTERM/SIGINT; only checkpoints of the same "
            + "settings are used): the results equal those of uninterrupted runs.")
    private boolean resume;

    /** True when the flag was given. */
    public boolean resume() {
        return resume;
    }
}
