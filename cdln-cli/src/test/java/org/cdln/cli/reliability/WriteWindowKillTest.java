package org.cdln.cli.reliability;

import static org.cdln.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cdln.cli.Cli;
import org.cdln.cli.Main;
import org.cdln.io.AtomicFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 inside the write window of an output file, made deterministic by the test hook
 * {@link AtomicFile#HOLD_BEFORE_RENAME}: the child process stops with the new file complete in its
 * temporary sibling, just before the rename, and is killed there. The destination is untouched —
 * the old file byte for byte, or absent — never truncated; a folder's summary.json of the earlier
 * run is gone once the run's first new file is in place, so no summary describes files of another
 * run; the next run deletes the dead process's temporary sibling and writes the file. Tagged: they
 * start JVMs.
 */
@Tag("kill")
class WriteWindowKillTest {
    @TempDir
    Path dir;

    private Path stderr;

    private Process startHolding(String fileName, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + AtomicFile.HOLD_BEFORE_RENAME + "=" + fileName, "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        stderr = Files.createTempFile(dir, "stderr", ".txt");
        pb.redirectError(stderr.toFile());
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        return pb.start();
    }

    /** Waits until the child says it holds its write; returns the temporary sibling it holds. */
    private Path awaitHold(Process p) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(stderr)) {
                if (line.startsWith("cdln: holding ")) {
                    return Path.of(line.substring("cdln: holding ".length(), line.indexOf(" before renaming")));
                }
            }
            assertTrue(p.isAlive(), "the child ended before its write: " + Files.readString(stderr));
            Thread.sleep(50);
        }
        throw new AssertionError("the child never reached its write: " + Files.readString(stderr));
    }

    private static List<String> temporaries(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
        }
    }

    private static List<String> factorization(Path out, String seed) {
        return List.of("reproduce", "factorization", "--d", "20", "--r", "2", "--steps", "300", "--seed", seed,
                "--threads", "1", "--no-progress", "--out", out.toString());
    }

    @Test
    void killedWhileWritingTheSummaryLeavesNoneAndTheNextRunCleansUp() throws Exception {
        Path out = dir.resolve("run");
        assertEquals(0, run(factorization(out, "1").toArray(new String[0])).status());
        byte[] old = Files.readAllBytes(out.resolve("summary.json"));

        Process p = startHolding("summary.json", factorization(out, "2"));
        Path held = awaitHold(p);
        // the new summary is complete in its temporary sibling, not yet renamed
        assertTrue(Files.readString(held).strip().endsWith("}"), "the held file is complete");
        assertFalse(java.util.Arrays.equals(old, Files.readAllBytes(held)), "and new (another seed)");
        p.destroyForcibly();   // SIGKILL inside the write window
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        // the run's other files were replaced already, so the old summary went before them: none, never a part
        assertFalse(Files.exists(out.resolve("summary.json")), "no summary, rather than a truncated or stale one");
        assertEquals(List.of(held.getFileName().toString()), temporaries(out), "the dead run's temporary is left");

        Cli.Run next = run(factorization(out, "2").toArray(new String[0]));
        assertEquals(0, next.status(), next.err());
        assertEquals(List.of(), temporaries(out), "the next run deletes the dead run's temporary");
        assertTrue(Files.readString(out.resolve("summary.json")).contains("\"seed\" : 2"), "the new run's summary");
    }

    /**
     * Killed while replacing the first of a run's files: that file is the old one, untouched, and the
     * old summary.json is gone, so the folder never shows a summary next to files of another run
     * (summary.json is written last, once every file it describes is complete).
     */
    @Test
    void killedBetweenTheFilesOfARunLeavesNoSummaryOfAnotherRun() throws Exception {
        Path out = dir.resolve("run");
        assertEquals(0, run(factorization(out, "1").toArray(new String[0])).status());
        byte[] oldTrajectory = Files.readAllBytes(out.resolve("trajectory.csv"));

        Process p = startHolding("trajectory.csv", factorization(out, "2"));
        awaitHold(p);
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertArrayEquals(oldTrajectory, Files.readAllBytes(out.resolve("trajectory.csv")), "the old file, untouched");
        assertFalse(Files.exists(out.resolve("summary.json")), "no summary of a run whose files are not all there");

        Cli.Run next = run(factorization(out, "2").toArray(new String[0]));
        assertEquals(0, next.status(), next.err());
        assertTrue(Files.readString(out.resolve("summary.json")).contains("\"seed\" : 2"));
        assertEquals(List.of(), temporaries(out));
    }

    @Test
    void killedWhileWritingAModelLeavesNoneOrTheOldOne() throws Exception {
        Path ratings = dir.resolve("r.data");
        StringBuilder b = new StringBuilder();
        for (int u = 1; u <= 30; u++) {
            for (int i = 1; i <= 25; i++) {
                if ((u * 7 + i * 3) % 3 != 0) {
                    b.append(u).append('\t').append(i).append('\t').append(1 + (u * i) % 5).append("\t0\n");
                }
            }
        }
        Files.writeString(ratings, b);
        Path model = dir.resolve("models").resolve("m.cdln");
        List<String> args = List.of("complete", "--ratings", ratings.toString(), "--out", model.toString(),
                "--rank-hat", "3", "--threads", "1", "--no-progress");
        // a first model: killed in its write window, there is no model rather than a truncated one
        Process p = startHolding("m.cdln", args);
        Path held = awaitHold(p);
        assertTrue(Files.size(held) > 0);
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertFalse(Files.exists(model), "no model file, rather than a truncated one");
        assertEquals(1, temporaries(model.getParent()).size());
        Cli.Run again = run(args.toArray(new String[0]));
        assertEquals(0, again.status(), again.err());
        assertEquals(List.of(), temporaries(model.getParent()));
        byte[] old = Files.readAllBytes(model);
        // replacing it (another seed): killed in the write window, the old model stays byte for byte and still serves
        List<String> other = new ArrayList<>(args);
        other.addAll(List.of("--seed", "5"));
        p = startHolding("m.cdln", other);
        held = awaitHold(p);
        assertFalse(java.util.Arrays.equals(old, Files.readAllBytes(held)), "the held model is another one");
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertArrayEquals(old, Files.readAllBytes(model), "the old model, untouched");
        Cli.Run rec = run("recommend", "--model", model.toString(), "--user", "1", "-k", "2");
        assertEquals(0, rec.status(), rec.err());
    }
}
