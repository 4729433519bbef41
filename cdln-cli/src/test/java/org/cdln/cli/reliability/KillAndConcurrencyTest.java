package org.cdln.cli.reliability;

import static org.cdln.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.cdln.cli.Cli;
import org.cdln.cli.Main;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as a separate process, killed: SIGTERM saves a checkpoint and says how to resume, and
 * the resumed run equals the uninterrupted one (early stopping included); kill -9 leaves no
 * corrupt output and --resume still gives the right result; --threads starts no second JVM; a
 * second run on a folder that one is writing is refused. Tagged: they start JVMs (a few seconds
 * each) but {@code mvn test} still runs them.
 */
@Tag("kill")
@org.junit.jupiter.api.extension.ExtendWith(FixedCompletionPath.class)
class KillAndConcurrencyTest {
    @TempDir
    Path dir;

    /** The reference completion run, made long enough to be caught in the middle (a few seconds). */
    private static List<String> command(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("reproduce", "completion", "--d", "100", "--r", "5", "--p", "0.3",
                "--steps", "25000", "--tol", "0", "--eval-every", "50", "--threads", "1", "--no-progress",
                "--stall-steps", "3000", "--out", out.toString()));
        a.addAll(List.of(extra));
        return a;
    }

    private Process start(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.add(FixedCompletionPath.JVM_OPTION);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        pb.environment().remove("CDLN_THREADS");
        // a file, not a pipe: destroying a process closes its pipes
        pb.redirectError(Files.createTempFile(dir, "stderr", ".txt").toFile());
        Process p = pb.start();
        errors.put(p, pb.redirectError().file().toPath());
        return p;
    }

    /** Waits until the process printed its header (training has started) and a little more. */
    private static void awaitTraining(Process p, long millisAfter) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null) {
            if (line.startsWith("cdln reproduce")) {
                break;
            }
        }
        Thread.sleep(millisAfter);
    }

    private final java.util.Map<Process, Path> errors = new java.util.HashMap<>();

    private String stderr(Process p) throws IOException {
        return Files.readString(errors.get(p));
    }

    /** trajectory.csv without the seconds column: what must be equal bit for bit. */
    private static List<String> trajectory(Path out) throws IOException {
        try (Stream<String> lines = Files.lines(out.resolve("trajectory.csv"))) {
            return lines.map(l -> {
                String[] c = l.split(",", -1);
                return c[0] + "," + c[1] + "," + c[3] + "," + c[4];
            }).collect(Collectors.toList());
        }
    }

    @Test
    void sigtermSavesACheckpointAndTheResumedRunEqualsTheUninterruptedOne() throws Exception {
        Path reference = dir.resolve("reference");
        long t0 = System.nanoTime();
        Cli.Run full = run(command(reference).toArray(new String[0]));
        long fullMillis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, full.status(), full.err());

        Path out = dir.resolve("interrupted");
        Process p = start(command(out));
        // a third of the way through (the uninterrupted run's time in this JVM), whatever the load
        awaitTraining(p, Math.max(100, fullMillis / 3));
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the process ends after SIGTERM");
        String err = stderr(p);
        assertEquals(143, p.exitValue(), err);
        assertTrue(err.contains("--resume") && err.contains("SIGTERM") && err.contains("checkpoint"), err);
        assertEquals(1, err.lines().filter(l -> !l.startsWith("WARNING: Using incubator")).count(), err);
        assertFalse(err.contains("Exception"), err);
        assertFalse(Files.exists(out.resolve("summary.json")), "no summary of an unfinished run");

        Cli.Run resumed = run(command(out, "--resume").toArray(new String[0]));
        assertEquals(0, resumed.status(), resumed.err());
        assertEquals(trajectory(reference), trajectory(out));
        // the early-stopped runs stay stopped when resumed again
        Cli.Run again = run(command(out, "--resume").toArray(new String[0]));
        assertEquals(0, again.status(), again.err());
        assertEquals(trajectory(reference), trajectory(out));
    }

    /** A synthetic IDX folder: n training and n/4 test 28×28 images, 10 classes of bright squares on noise. */
    static Path idxFolder(Path dir, int n) throws IOException {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        Path d = Files.createDirectories(dir.resolve("idx"));
        for (String prefix : List.of("train", "t10k")) {
            int m = prefix.equals("train") ? n : n / 4;
            java.nio.ByteBuffer img = java.nio.ByteBuffer.allocate(16 + m * 784).putInt(0x803).putInt(m).putInt(28)
                    .putInt(28);
            java.nio.ByteBuffer lab = java.nio.ByteBuffer.allocate(8 + m).putInt(0x801).putInt(m);
            for (int i = 0; i < m; i++) {
                int y = rnd.nextInt(10);
                lab.put((byte) y);
                int r0 = 3 + 7 * (y / 4);
                int c0 = 1 + 7 * (y % 4);
                for (int k = 0; k < 784; k++) {
                    boolean on = k / 28 >= r0 && k / 28 < r0 + 7 && k % 28 >= c0 && k % 28 < c0 + 7;
                    img.put((byte) (on ? 150 + rnd.nextInt(100) : rnd.nextInt(90)));
                }
            }
            Files.write(d.resolve(prefix + "-images-idx3-ubyte"), img.array());
            Files.write(d.resolve(prefix + "-labels-idx1-ubyte"), lab.array());
        }
        return d;
    }

    /** The MLP trajectory without the seconds column. */
    private static List<String> mlpTrajectory(Path out) throws IOException {
        try (Stream<String> lines = Files.lines(out.resolve("trajectory.csv"))) {
            return lines.map(l -> {
                String[] c = l.split(",", -1);
                return String.join(",", c[0], c[1], c[2], c[4], c[5], c[6], c[7]);
            }).collect(Collectors.toList());
        }
    }

    @Test
    void sigtermDuringReproduceMlpResumesIntoTheUninterruptedRuns() throws Exception {
        Path data = idxFolder(dir, 2000);
        List<String> args = new ArrayList<>(List.of("reproduce", "mlp", "--data", data.toString(), "--hidden", "64",
                "--epochs", "30", "--batch", "50", "--step", "3e-3", "--warmup-steps", "0", "--threads", "1",
                "--no-progress"));
        List<String> ref = new ArrayList<>(args);
        ref.addAll(List.of("--out", dir.resolve("reference").toString()));
        long started = System.nanoTime();
        Cli.Run full = run(ref.toArray(new String[0]));
        long referenceMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(0, full.status(), full.err());

        Path out = dir.resolve("interrupted");
        args.addAll(List.of("--out", out.toString()));
        Process p = start(args);
        // the header is printed once the data is read; then the runs train for several seconds
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        // a third of the uninterrupted runs' time (in this warm JVM; the child is cold and slower): mid-run on a
        // quiet machine as on a loaded one, where a fixed wait could outlast the whole run
        Thread.sleep(Math.max(100, Math.min(2500, referenceMillis / 3)));
        p.destroy();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String err = stderr(p);
        assertEquals(143, p.exitValue(), "interrupted mid-run (make the run longer if this fails): " + err);
        assertTrue(err.contains("--resume") && err.contains(".mlpckpt"), err);
        args.add("--resume");
        Cli.Run resumed = run(args.toArray(new String[0]));
        assertEquals(0, resumed.status(), resumed.err());
        assertEquals(mlpTrajectory(dir.resolve("reference")), mlpTrajectory(out));
    }

    @Test
    void killMinusNineLeavesNothingCorruptAndResumeStillGivesTheRun() throws Exception {
        Path reference = dir.resolve("reference");
        List<String> small = List.of("reproduce", "factorization", "--d", "40", "--r", "3", "--steps", "60000",
                "--threads", "1", "--no-progress");
        List<String> ref = new ArrayList<>(small);
        ref.addAll(List.of("--out", reference.toString()));
        assertEquals(0, run(ref.toArray(new String[0])).status());

        Path out = dir.resolve("killed");
        List<String> args = new ArrayList<>(small);
        args.addAll(List.of("--out", out.toString()));
        Process p = start(args);
        awaitTraining(p, 800);
        // while it trains with --threads 1 it has no child JVM to outlive it
        assertEquals(0, p.toHandle().children().count(), "no child process");
        p.destroyForcibly(); // SIGKILL
        p.waitFor(30, TimeUnit.SECONDS);
        assertFalse(Files.exists(out.resolve("summary.json")), "no summary of a killed run");
        args.add("--resume");
        Cli.Run resumed = run(args.toArray(new String[0]));
        assertEquals(0, resumed.status(), resumed.err());
        assertEquals(trajectory(reference), trajectory(out));
    }

    @Test
    void aSecondRunOnABusyFolderIsRefusedAndTheFirstIsUnharmed() throws Exception {
        Path out = dir.resolve("shared");
        Process p = start(command(out));
        awaitTraining(p, 300);
        Cli.Run second = run(command(out).toArray(new String[0]));
        assertEquals(2, second.status(), second.err());
        assertTrue(second.err().contains("another cdln run is writing to"), second.err());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), stderr(p));
        String summary = Files.readString(out.resolve("summary.json"));
        assertTrue(summary.strip().startsWith("{") && summary.strip().endsWith("}"), "a complete summary.json");
    }
}
