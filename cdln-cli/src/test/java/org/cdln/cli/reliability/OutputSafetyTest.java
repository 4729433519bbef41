package org.cdln.cli.reliability;

import static org.cdln.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.cdln.cli.Cli;
import org.cdln.cli.Outputs;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output layer under careless use: a command never writes over its own input, never over a
 * device or folder, refuses an unwritable --out before any work, refuses a folder another run is
 * writing, and leaves no temporary file behind.
 */
class OutputSafetyTest {
    @TempDir
    Path dir;

    private Path ratings() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int u = 1; u <= 20; u++) {
            for (int i = 1; i <= 15; i++) {
                if ((u * 7 + i * 3) % 4 != 0) {
                    b.append(u).append('\t').append(i).append('\t').append(1 + (u + i) % 5).append('\t').append(0)
                            .append('\n');
                }
            }
        }
        Path f = dir.resolve("r.data");
        Files.writeString(f, b.toString());
        return f;
    }

    private static void assertRefused(Cli.Run r, String... words) {
        assertEquals(2, r.status(), r.out() + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "one line: " + err);
        assertFalse(err.contains("Exception"), "no stack trace: " + err);
        for (String w : words) {
            assertTrue(err.contains(w), "names '" + w + "': " + err);
        }
    }

    private List<String> leftovers() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp") || n.startsWith(".cdln-probe"))
                    .collect(Collectors.toList());
        }
    }

    @Test
    void completeRefusesToWriteTheModelOverItsRatings() throws IOException {
        Path r = ratings();
        byte[] before = Files.readAllBytes(r);
        assertRefused(run("complete", "--ratings", r.toString(), "--out", r.toString(), "--no-progress"),
                r.toString(), "input");
        assertArrayEquals(before, Files.readAllBytes(r), "the ratings are untouched");
        // the same file under another name
        Path other = dir.resolve(".").resolve("sub/../r.data");
        Files.createDirectories(dir.resolve("sub"));
        assertRefused(run("complete", "--ratings", r.toString(), "--out", other.toString(), "--no-progress"), "input");
        assertArrayEquals(before, Files.readAllBytes(r));
    }

    @Test
    void reportRefusesToWriteOverItsOwnSummary() throws IOException {
        Path d = Files.createDirectories(dir.resolve("run"));
        Path summary = d.resolve("summary.json");
        Files.writeString(summary, "{\"experiment\":\"completion\",\"runs\":[]}");
        assertRefused(run("report", d.toString(), "--out", summary.toString()), "input");
        assertEquals("{\"experiment\":\"completion\",\"runs\":[]}", Files.readString(summary));
    }

    @Test
    void aDeviceOrFolderIsNeverReplaced() throws Exception {
        Path r = ratings();
        Path pipe = dir.resolve("pipe");
        Process p = new ProcessBuilder("mkfifo", pipe.toString()).start();
        Assumptions.assumeTrue(p.waitFor() == 0, "mkfifo is not available");
        assertRefused(run("complete", "--ratings", r.toString(), "--out", pipe.toString(), "--no-progress"),
                pipe.toString(), "not a regular file");
        assertTrue(Files.exists(pipe) && !Files.isRegularFile(pipe));
        Path folder = Files.createDirectories(dir.resolve("folder.cdln"));
        assertRefused(run("complete", "--ratings", r.toString(), "--out", folder.toString(), "--no-progress"),
                "folder");
        assertTrue(Files.isDirectory(folder));
        Files.delete(pipe);
        assertEquals(List.of(), leftovers());
    }

    /**
     * A real character device (made with mknod in the temporary folder, with /dev/null's numbers
     * 1:3, so that nothing outside the test is at stake), and a link to it, given to every kind of
     * output: refused, and the node is still the same device afterwards. Skipped where mknod is
     * not permitted (not root, or a container without CAP_MKNOD).
     */
    @Test
    void aCharacterDeviceIsNeverReplaced() throws Exception {
        Path dev = dir.resolve("null-device");
        Process p = new ProcessBuilder("mknod", dev.toString(), "c", "1", "3").redirectErrorStream(true).start();
        String why = new String(p.getInputStream().readAllBytes()).strip();
        Assumptions.assumeTrue(p.waitFor() == 0, "mknod is not permitted here (" + why + "): skipping the device case");
        Object rdev = Files.getAttribute(dev, "unix:rdev", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        Path link = Files.createSymbolicLink(dir.resolve("link-to-device"), dev);
        Path r = ratings();
        Path d = Files.createDirectories(dir.resolve("run"));
        Files.writeString(d.resolve("summary.json"), "{\"experiment\":\"completion\",\"runs\":[]}");
        for (Path target : List.of(dev, link)) {
            assertRefused(run("complete", "--ratings", r.toString(), "--out", target.toString(), "--no-progress"),
                    target.toString(), "not a regular file");
            assertRefused(run("report", d.toString(), "--out", target.toString()), target.toString());
            assertRefused(run("reproduce", "factorization", "--d", "10", "--r", "2", "--steps", "5", "--no-progress",
                    "--out", target.toString()), target.toString());
            int mode = (Integer) Files.getAttribute(dev, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
            assertEquals(0020000, mode & 0170000, "still a character device");
            assertEquals(rdev, Files.getAttribute(dev, "unix:rdev", java.nio.file.LinkOption.NOFOLLOW_LINKS));
            assertTrue(Files.isSymbolicLink(link), "the link is still a link");
        }
        Files.delete(link);
        Files.delete(dev);
        assertEquals(List.of(), leftovers());
    }

    @Test
    void anUnwritableOutIsRefusedBeforeAnyWork() throws IOException {
        Path blocker = Files.writeString(dir.resolve("a-file"), "x");
        Path out = blocker.resolve("sub");
        long t0 = System.nanoTime();
        // a run that would take minutes: refused in well under that
        Cli.Run r = run("reproduce", "completion", "--d", "400", "--steps", "1000000", "--no-progress", "--out",
                out.toString());
        double seconds = (System.nanoTime() - t0) * 1e-9;
        assertRefused(r, out.toString(), "--out");
        assertTrue(seconds < 20, "refused before the work, took " + seconds + " s");
        Path r2 = ratings();
        assertRefused(run("complete", "--ratings", r2.toString(), "--out", out.resolve("m.cdln").toString(),
                "--no-progress"), "--out");
        assertRefused(run("reproduce", "completion", "--out", blocker.toString(), "--no-progress"), "not a folder");
        assertEquals("x", Files.readString(blocker));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"bench --quick", "analyze completion",
        "analyze mlp", "reproduce theorem", "reproduce mlp", "reproduce parsimony",
        "reproduce movielens --data DIR", "reproduce sensing", "cross-validate --ratings RATINGS"})
    void everyCommandChecksItsOutBeforeWorking(String command) throws IOException {
        Path blocker = Files.writeString(dir.resolve("a-file"), "x");
        Path out = blocker.resolve("sub");
        String[] args = (command.replace("RATINGS", ratings().toString()).replace("DIR", dir.toString()) + " --out " + out).split(" ");
        long t0 = System.nanoTime();
        Cli.Run r = run(args);
        double seconds = (System.nanoTime() - t0) * 1e-9;
        assertRefused(r, "--out");
        assertTrue(r.err().contains(out.toString()), r.err());
        assertTrue(seconds < 10, command + " refused before the work, took " + seconds + " s");
    }

    @Test
    void aFolderAnotherRunWritesIsRefused() throws IOException {
        Path out = dir.resolve("busy");
        try (Outputs held = Outputs.folder(out, "--out")) {
            assertRefused(run("reproduce", "factorization", "--d", "20", "--r", "2", "--steps", "10", "--no-progress",
                    "--out", out.toString()), "another cdln run", out.toString());
            assertFalse(Files.exists(out.resolve("summary.json")));
        }
        // released: the same command now runs
        Cli.Run ok = run("reproduce", "factorization", "--d", "20", "--r", "2", "--steps", "10", "--no-progress",
                "--out", out.toString());
        assertEquals(0, ok.status(), ok.out() + ok.err());
        assertTrue(Files.isRegularFile(out.resolve("summary.json")));
        assertEquals(List.of(), leftovers());
    }
}
