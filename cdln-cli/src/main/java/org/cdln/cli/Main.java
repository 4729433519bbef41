package org.cdln.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code cdln} command-line tool.
 *
 * <p>Errors print one line and exit with status 2, never a stack trace ({@link CliErrors}).
 * {@code --threads N} sets the threads: OpenBLAS runs one ({@code OPENBLAS_NUM_THREADS=1}, read when
 * it loads) and cdln splits large products over N threads of its own ({@code CDLN_THREADS=N}, see
 * {@link org.cdln.linalg.LinearAlgebra#configuredThreads()}), so that small products never pay for
 * threads. The launcher exports both; when the JVM was started some other way with other values,
 * {@link #main} restarts itself once with the right ones.
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
        Integer threads = requestedThreads(args);
        if (threads != null && shouldRelaunch(threads)) {
            System.exit(relaunch(args, threads));
        }
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams; returns the exit status. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    /** The configured picocli command line (for tests and embedding). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new CliErrors.ExecutionHandler());
        cl.setParameterExceptionHandler(new CliErrors.ParameterHandler());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
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

    /** The value of --threads N / --threads=N, or null; invalid values are left to picocli. */
    static Integer requestedThreads(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String v = null;
            if (args[i].equals("--threads") && i + 1 < args.length) {
                v = args[i + 1];
            } else if (args[i].startsWith("--threads=")) {
                v = args[i].substring("--threads=".length());
            }
            if (v != null) {
                try {
                    int n = Integer.parseInt(v.trim());
                    return n >= 1 ? n : null;
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static boolean shouldRelaunch(int threads) {
        boolean set = "1".equals(System.getenv("OPENBLAS_NUM_THREADS"))
                && String.valueOf(threads).equals(System.getenv("CDLN_THREADS"));
        return !set && System.getProperty("cdln.relaunched") == null;
    }

    private static int relaunch(String[] args, int threads) {
        try {
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> cmd = new ArrayList<>();
            cmd.add(java);
            cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            cmd.add("-Dcdln.relaunched=true");
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(Main.class.getName());
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
            pb.environment().put("OPENBLAS_NUM_THREADS", "1");
            pb.environment().put("CDLN_THREADS", String.valueOf(threads));
            return pb.start().waitFor();
        } catch (Exception e) {
            System.err.println("cdln: could not restart with " + threads + " threads (" + e.getMessage()
                    + "); set CDLN_THREADS=" + threads + " and OPENBLAS_NUM_THREADS=1 yourself");
            return EXIT_USAGE;
        }
    }

    /** Prints the library version. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"cdln " + org.cdln.Version.get()};
        }
    }
}
