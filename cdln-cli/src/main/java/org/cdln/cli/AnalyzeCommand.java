package org.cdln.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code cdln analyze <problem>}: make the low-dimensional learning dynamics visible. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Train a wide network and record its learning dynamics (spectra, subspaces, update ranks).",
        subcommands = {
            DynamicsCommand.Factorization.class,
            DynamicsCommand.Completion.class,
            DynamicsCommand.Sensing.class,
            MlpAnalyzeCommand.class,
        })
public final class AnalyzeCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
