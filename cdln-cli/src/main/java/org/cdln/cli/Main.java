package org.cdln.cli;

import java.io.PrintWriter;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code cdln} command-line tool.
 *
 * <p>Errors print one line and exit with status 2, never a stack trace ({@link CliErrors}).
 * {@code --threads N} sets cdln's threads in this process
 * ({@link org.cdln.linalg.LinearAlgebra#setThreads}): no second JVM is started, so killing this
 * process stops the run. SIGTERM and SIGINT stop a training run at its next step; runs with
 * checkpoints save one first and the command says how to resume.
 */
@Command(name = "cdln", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Deep linear networks and their compressed version (C-DLN): train, reproduce, analyse.",
        subcommands = {
            ReproduceCommand.class,
            AnalyzeCommand.class,
            ReportCommand.class,
            // ratings: fit, recommend, evaluate
            org.cdln.cli.ratings.CompleteCommand.class,
            org.cdln.cli.ratings.RecommendCommand.class,
            org.cdln.cli.ratings.EvaluateCommand.class,
            org.cdln.cli.ratings.CrossValidateCommand.class,
            org.cdln.cli.ratings.ExportCommand.class,
            BenchCommand.class,
        })
public final class Main implements Runnable {
    /** Exit status for bad input or a failed run. */
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        quietenLibraryLogging();
        Signals.install();
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs the command line with the given streams; returns the exit status. A {@code --threads N}
     * is applied when it is parsed ({@link ThreadsOption}) and the previous thread setting is
     * restored afterwards.
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        Integer before = org.cdln.linalg.LinearAlgebra.requestedThreads();
        try {
            return cl.execute(args);
        } finally {
            org.cdln.linalg.LinearAlgebra.setThreads(before);
        }
    }

    /** The configured picocli command line (for tests and embedding). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new CliErrors.ExecutionHandler());
        cl.setParameterExceptionHandler(new CliErrors.ParameterHandler());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.registerConverter(Double.class, Main::strictDouble);
        cl.registerConverter(Double.TYPE, Main::strictDouble);
        OutOption.describe(cl);
        return cl;
    }

    /** Decimal numbers only ({@link org.cdln.data.Numbers}): "3f" and "4d" are typos, not 3 and 4. */
    public static Double strictDouble(String value) {
        try {
            return org.cdln.data.Numbers.parseDecimal(value);
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /** netlib logs a harmless warning through java.util.logging when VectorBLAS is unavailable. */
    static void quietenLibraryLogging() {
        NETLIB_LOGGER.setLevel(Level.SEVERE);
    }

    /**
     * Held strongly: java.util.logging keeps loggers only weakly, so a level set on an unreferenced
     * logger is lost at the next garbage collection and the warning comes back.
     */
    private static final Logger NETLIB_LOGGER = Logger.getLogger("dev.ludovic.netlib");

    /** Prints the library version. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"cdln " + org.cdln.Version.get()};
        }
    }
}
