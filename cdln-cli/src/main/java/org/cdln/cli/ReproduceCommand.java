package org.cdln.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code cdln reproduce <experiment>}: the paper's experiments with their reference settings. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = "Reproduce the paper's experiments, original vs compressed network, with their reference settings.",
        subcommands = {
            RecoveryCommand.Factorization.class,
            RecoveryCommand.Completion.class,
            RecoveryCommand.Sensing.class,
            RecoveryCommand.AlphaSweep.class,
            RecoveryCommand.Depth.class,
            TheoremCommand.class,
            ParsimonyCommand.class,
            // MovieLens-100K
            org.cdln.cli.ratings.MovieLensCommand.class,
            MlpCommand.class,
        })
public final class ReproduceCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
