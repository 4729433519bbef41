package org.cdln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the CLI in-process for tests and checks the one-line error contract of bad input. */
public final class Cli {
    private Cli() {
    }

    /** Exit status and what the command printed. */
    public record Run(int status, String out, String err) {
    }

    /** Runs {@code cdln args…} in this JVM, capturing both streams. */
    public static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(status, out.toString(), err.toString());
    }

    /** Asserts exit status 2 and a single error line, without a stack trace, naming the flag and its range. */
    public static void assertOneLineError(Run r, String flag, String range) {
        assertEquals(2, r.status(), r.out() + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "one line expected: " + err);
        assertFalse(err.contains("Exception"), "no stack trace: " + err);
        assertTrue(err.contains(flag), "names the flag " + flag + ": " + err);
        assertTrue(err.contains(range), "names the range " + range + ": " + err);
    }
}
