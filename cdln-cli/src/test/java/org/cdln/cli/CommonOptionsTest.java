package org.cdln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.cdln.linalg.LinearAlgebra;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The options declared once for many commands (--out, --no-progress, --init, --threads): help, checks, effect. */
class CommonOptionsTest {
    @AfterEach
    void restoreThreads() {
        LinearAlgebra.setThreads(null);
    }

    @Test
    void outHelpSaysWhatIsWrittenAndTheCommandsOwnDefault() {
        assertTrue(help("reproduce", "completion").contains("--out=DIR Output folder (default out/completion)."));
        assertTrue(help("reproduce", "depth").contains("--out=DIR Output folder (default out/depth)."));
        assertTrue(help("analyze", "completion").contains("--out=DIR Output folder (default out/analyze-completion)."));
        assertTrue(help("bench").contains("--out=DIR Output folder (default out/bench)."));
        assertTrue(help("report").contains("--out=FILE The HTML file to write (default out/report.html)."));
        String complete = help("complete");
        assertTrue(complete.contains("--out=FILE Where to write the model (.cdln)."), complete);
        assertTrue(complete.contains(" --out=FILE [") && !complete.contains("[--out=FILE]"), "required: " + complete);
        assertTrue(help("recommend").contains("[--out=FILE]"));
    }

    @Test
    void aRequiredOutLeftOutIsTheUsualUsageError() {
        Cli.Run r = Cli.run("export", "--model", "m.cdln");
        Cli.assertOneLineError(r, "--out", "Missing required option");
    }

    @Test
    void everyProgressCommandTakesNoProgressWithOneHelpText() {
        for (String[] c : new String[][] {{"reproduce", "completion"}, {"reproduce", "mlp"}, {"analyze", "completion"},
                {"complete"}, {"cross-validate"}, {"reproduce", "movielens"}, {"reproduce", "theorem"}}) {
            assertTrue(help(c).contains("--no-progress No progress bar or progress lines."), String.join(" ", c));
        }
    }

    @Test
    void initIsOneDeclarationForReproduceAndAnalyze(@TempDir Path dir) {
        for (String[] c : new String[][] {{"reproduce", "completion"}, {"analyze", "completion"}}) {
            assertTrue(help(c).contains("--init=VALUE Initialisation of the original network. Allowed: orth, norm, "
                    + "unif, he or glorot; default orth."), String.join(" ", c));
            Cli.Run r = Cli.run(c[0], c[1], "--init", "zeros", "--out", dir.resolve(c[0]).toString());
            Cli.assertOneLineError(r, "--init", "orth, norm or unif");
        }
    }

    @Test
    void threadsAreAppliedInProcessWhenParsedAndRestoredAfterTheCommand() {
        Main.commandLine().parseArgs("reproduce", "completion", "--threads", "3");
        assertEquals(3, LinearAlgebra.requestedThreads());
        assertEquals(3, LinearAlgebra.configuredThreads());
        LinearAlgebra.setThreads(null);
        Cli.Run r = Cli.run("reproduce", "completion", "--threads", "2", "--d", "two");
        assertEquals(2, r.status());
        assertNull(LinearAlgebra.requestedThreads(), "Main.execute restores the setting it found");
        Cli.assertOneLineError(Cli.run("bench", "--threads", "0"), "--threads", "≥ 1");
        assertNull(LinearAlgebra.requestedThreads());
    }

    @Test
    void aLibraryRefusalNoCommandMappedStillNamesTheFlag() {
        picocli.CommandLine cl = Main.commandLine();
        java.io.StringWriter err = new java.io.StringWriter();
        cl.setErr(new java.io.PrintWriter(err, true));
        int status = new CliErrors.ExecutionHandler().handleExecutionException(
                new org.cdln.settings.InvalidSettingException(org.cdln.experiment.ReproduceSettings.STEP_SIZE,
                        "stepSize η must be a finite number > 0, got -1.0"), cl, null);
        assertEquals(Main.EXIT_USAGE, status);
        assertEquals("cdln: --step: stepSize η must be a finite number > 0, got -1.0", err.toString().strip());
    }

    private static String help(String... command) {
        String[] args = java.util.Arrays.copyOf(command, command.length + 1);
        args[command.length] = "--help";
        Cli.Run r = Cli.run(args);
        assertEquals(0, r.status(), r.err());
        return r.out().replaceAll("\\s+", " ");
    }
}
