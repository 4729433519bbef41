package org.cdln.cli.reliability;

import static org.cdln.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cdln.cli.Cli;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** report refuses a summary.json that is not a cdln summary, in one line, and writes nothing. */
class ReportInputTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "null", "42", "{\"runs\":[]}", "{\"experiment\":\"x\",\"runs\":3}", "{oops"})
    void aSummaryThatIsNotOneIsRefused(String content) throws IOException {
        Path d = Files.createDirectories(dir.resolve("run"));
        Files.writeString(d.resolve("summary.json"), content);
        Path out = dir.resolve("report.html");
        Cli.Run r = run("report", d.toString(), "--out", out.toString());
        assertEquals(2, r.status(), r.out() + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n") || err.contains("Exception"), err);
        assertTrue(err.contains("summary.json"), err);
        assertFalse(Files.exists(out), "nothing written");
    }
}
