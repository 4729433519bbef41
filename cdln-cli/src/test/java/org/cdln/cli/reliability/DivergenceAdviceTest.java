package org.cdln.cli.reliability;

import static org.cdln.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cdln.cli.Cli;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The step size a divergence message suggests, followed, does not diverge again. */
class DivergenceAdviceTest {
    @TempDir
    Path dir;

    @Tag("slow")   // a few short runs and their stability probes
    @ParameterizedTest
    @ValueSource(strings = {"completion --d 20 --r 2 --step 400", "factorization --d 20 --r 2 --step 300",
        "sensing --d 12 --r 2 --m 200 --step 300"})
    void theSuggestedStepSizeRuns(String command) {
        String[] args = ("reproduce " + command + " --steps 400 --threads 1 --no-progress --out "
                + dir.resolve("first")).split(" ");
        Cli.Run first = run(args);
        assertEquals(2, first.status(), "the given step size diverges: " + first.out() + first.err());
        Matcher m = Pattern.compile("e\\.g\\. η = ([0-9.eE+-]+)").matcher(first.err());
        assertTrue(m.find(), "a step size is suggested: " + first.err());
        String eta = m.group(1).replaceAll("[.,]$", "");
        String again = ("reproduce " + command.replaceFirst("--step \\S+", "--step " + eta)
                + " --steps 400 --threads 1 --no-progress --out " + dir.resolve("second")).trim();
        Cli.Run second = run(again.split(" "));
        assertEquals(0, second.status(), "following the advice (η = " + eta + ") runs: " + second.err());
    }
}
