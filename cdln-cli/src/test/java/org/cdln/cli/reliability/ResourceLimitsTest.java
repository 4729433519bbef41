package org.cdln.cli.reliability;

import static org.cdln.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cdln.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sizes that cannot fit are refused up front, in one line that names the estimate, the heap and
 * the fix, instead of an OutOfMemoryError after minutes of work; counts from the command line
 * are bounded; flags that do not apply or contradict each other are refused; Java-only number
 * syntax is not a number.
 */
class ResourceLimitsTest {
    @TempDir
    Path dir;

    private static void assertMemoryRefusal(Cli.Run r, double seconds) {
        assertEquals(2, r.status(), r.out() + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n") || err.contains("OutOfMemory") || err.contains("Exception"), err);
        assertTrue(err.contains("needs about") && err.contains("heap") && err.contains("CDLN_JAVA_OPTS=-Xmx"), err);
        assertTrue(seconds < 10, "refused before the work, took " + seconds + " s");
    }

    private Cli.Run timed(double[] seconds, String... args) {
        long t0 = System.nanoTime();
        Cli.Run r = run(args);
        seconds[0] = (System.nanoTime() - t0) * 1e-9;
        return r;
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "reproduce completion --d 20000",
        "reproduce completion --d1 2000000 --d2 100 --r 5",
        "reproduce completion --depth 100000",
        "reproduce sensing --d 2000 --m 500",
        "reproduce factorization --d 30000"})
    void reproduceSizesThatCannotFitAreRefusedFirst(String command) {
        double[] s = new double[1];
        String[] args = (command + " --no-progress --out " + dir.resolve("out")).split(" ");
        Cli.Run r = timed(s, args);
        assertMemoryRefusal(r, s[0]);
    }

    private Path ratings() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int u = 1; u <= 30; u++) {
            for (int i = 1; i <= 20; i++) {
                if ((u * 7 + i * 3) % 3 != 0) {
                    b.append(u).append('\t').append(i).append('\t').append(1 + (u * i) % 5).append("\t0\n");
                }
            }
        }
        return Files.writeString(dir.resolve("r.data"), b.toString());
    }

    @Test
    void aCompletionNetworkThatCannotFitIsRefusedFirst() throws IOException {
        double[] s = new double[1];
        Cli.Run r = timed(s, "complete", "--ratings", ratings().toString(), "--depth", "10000000", "--rank-hat", "15",
                "--no-progress", "--out", dir.resolve("m.cdln").toString());
        assertMemoryRefusal(r, s[0]);
        assertFalse(Files.exists(dir.resolve("m.cdln")));
    }

    @Test
    void anMlpThatCannotFitIsRefusedBeforeItsNetworksAreBuilt() throws IOException {
        Path data = KillAndConcurrencyTest.idxFolder(dir, 40);
        double[] s = new double[1];
        Cli.Run r = timed(s, "reproduce", "mlp", "--data", data.toString(), "--hidden", "16384,16384", "--epochs", "1",
                "--no-progress", "--out", dir.resolve("mlp").toString());
        assertMemoryRefusal(r, s[0]);
    }

    @Test
    void aHugeRecommendationCountIsBoundedByTheItems() throws IOException {
        Path model = dir.resolve("m.cdln");
        Cli.Run fit = run("complete", "--ratings", ratings().toString(), "--rank-hat", "2", "--steps", "50",
                "--no-progress", "--out", model.toString());
        assertEquals(0, fit.status(), fit.err());
        Cli.Run r = run("recommend", "--model", model.toString(), "--user", "1", "-k", "2000000000");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().lines().count() <= 21, r.out());
    }

    @Test
    void flagsThatDoNotApplyOrContradictAreRefused() {
        Path out = dir.resolve("o");
        Cli.Run m = run("reproduce", "completion", "--m", "500", "--no-progress", "--out", out.toString());
        Cli.assertOneLineError(m, "--m", "sensing");
        Cli.Run d = run("reproduce", "completion", "--d", "50", "--d1", "60", "--d2", "70", "--no-progress", "--out",
                out.toString());
        Cli.assertOneLineError(d, "--d", "--d1");
    }

    @Test
    void javaOnlyNumberSyntaxIsRefusedByDeclaredSettingsToo() throws IOException {
        for (String bad : new String[] {"3f", "4d"}) {
            Cli.Run r = run("complete", "--ratings", ratings().toString(), "--step", bad, "--no-progress", "--out",
                    dir.resolve("m.cdln").toString());
            Cli.assertOneLineError(r, "--step", bad);
        }
    }

    @Test
    void javaOnlyNumberSyntaxIsRefused() {
        for (String bad : new String[] {"3f", "4d", "0x1p3"}) {
            Cli.Run r = run("reproduce", "completion", "--step", bad, "--no-progress", "--out",
                    dir.resolve("o").toString());
            Cli.assertOneLineError(r, "--step", bad);
        }
    }
}
