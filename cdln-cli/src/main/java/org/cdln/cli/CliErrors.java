package org.cdln.cli;

import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * One-line errors with exit status 2 instead of stack traces: bad flags and values, invalid
 * settings, diverged runs and I/O problems all end as {@code cdln: <what and how to fix it>}.
 */
final class CliErrors {
    private CliErrors() {
    }

    /** Parse errors (unknown flag, a value that is not a number, …). */
    static final class ParameterHandler implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException ex, String[] args) {
            CommandLine cl = ex.getCommandLine();
            String name = cl.getCommandSpec().qualifiedName();
            cl.getErr().println("cdln: " + firstLine(ex.getMessage()) + " (see '" + name + " --help')");
            return Main.EXIT_USAGE;
        }
    }

    /** Errors thrown while a command runs. */
    static final class ExecutionHandler implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
            if (ex instanceof org.cdln.train.TrainingInterruptedException ti) {
                cl.getErr().println("cdln: " + interrupted(ti));
                return Signals.exitStatus();
            }
            String msg;
            org.cdln.train.DivergenceException d = divergence(ex);
            if (d != null && (ex == d || d.getMessage().equals(ex.getMessage()))) {
                // the library names settings (η, α); the command line names the flags that set them
                msg = d.getMessage() + " (η is --step" + (d.alpha() != 1.0 ? ", α is --alpha" : "") + ")";
            } else if (ex instanceof org.cdln.settings.InvalidSettingException ise) {
                // a library refusal that no command mapped: the library names the setting, the CLI its flag
                msg = SettingOptions.flag(ise.setting()) + ": " + ise.getMessage();
            } else if (ex instanceof IllegalArgumentException || ex instanceof IllegalStateException
                    || ex instanceof UncheckedIOException
                    || ex instanceof org.cdln.experiment.RecoveryExperiments.Failure
                    || ex instanceof ArithmeticException || ex instanceof java.io.IOException) {
                msg = ex.getMessage();
            } else {
                msg = ex.getClass().getSimpleName() + ": " + ex.getMessage()
                        + " (an internal error; please report it with the command line)";
            }
            if (ex instanceof org.cdln.linalg.MemoryCheck.InsufficientMemoryException) {
                msg = msg.replace("(-Xmx", "(CDLN_JAVA_OPTS=-Xmx");
            }
            cl.getErr().println("cdln: " + firstLine(cliWords(msg)));
            return Main.EXIT_USAGE;
        }
    }

    /** The line that ends an interrupted command: where its state is and how to continue. */
    static String interrupted(org.cdln.train.TrainingInterruptedException ti) {
        String by = Signals.received() != null ? Signals.received() : "a stop request";
        if (ti.checkpoint() == null) {
            return "stopped by " + by + " at step " + ti.step() + " of the " + ti.label() + " run; this command "
                    + "keeps no checkpoint, so a new run starts afresh";
        }
        return "stopped by " + by + " at step " + ti.step() + " of the " + ti.label() + " run; its checkpoint is "
                + ti.checkpoint() + ": run the same command with --resume to continue it exactly";
    }

    /** The library names its API; on the command line the same advice names the command that does it. */
    static String cliWords(String msg) {
        return msg == null ? null : msg.replace("CompletionModel.save", "'cdln complete --out'")
                .replace("read with Duplicates.LAST_WINS", "read without --strict");
    }

    /** The divergence that caused {@code e}, if one did. */
    private static org.cdln.train.DivergenceException divergence(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.cdln.train.DivergenceException d) {
                return d;
            }
        }
        return null;
    }

    static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s.strip() : s.substring(0, nl).strip();
    }
}
