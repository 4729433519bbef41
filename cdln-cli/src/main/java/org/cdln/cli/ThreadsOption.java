package org.cdln.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --threads N}, declared once for every command that computes (a picocli mixin). The value
 * is checked here, at parse time, with the one-line usage error every flag gives; {@link Main}
 * applies it to the linear-algebra facade ({@code LinearAlgebra.setThreads}) for the run and
 * restores the previous setting afterwards.
 */
public final class ThreadsOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    private Integer threads;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads (default: all cores): OpenBLAS runs one, cdln splits large products over N.")
    void setThreads(int n) {
        if (n < 1) {
            throw new ParameterException(mixee.commandLine(), "--threads must be ≥ 1, got " + n);
        }
        threads = n;
    }

    /** The requested thread count, or null when the flag was not given. */
    public Integer threads() {
        return threads;
    }
}
