package org.cdln.cli.reliability;

import static org.cdln.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cdln.cli.Cli;
import org.cdln.cli.Main;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The long commands beyond the recovery experiments and {@code reproduce mlp} — {@code reproduce
 * theorem|parsimony|movielens}, {@code analyze completion|mlp} and {@code complete} — as a separate
 * process, stopped by SIGTERM a quarter into their run: each saves a checkpoint, ends with exit status 143 and a line
 * that says how to resume, and the same command with {@code --resume} writes the files of the
 * uninterrupted run (every number but the seconds; for {@code complete}, a model that scores and
 * recommends exactly as the uninterrupted one). Killed with -9 instead, nothing is corrupt and
 * {@code --resume} still gives the run. Tagged: they start JVMs, and {@code mvn test} still runs them.
 */
@Tag("kill")
@org.junit.jupiter.api.extension.ExtendWith(FixedCompletionPath.class)
class ResumeAfterSignalTest {
    @TempDir
    Path dir;

    private Path stderr;

    private Process start(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector",
                FixedCompletionPath.JVM_OPTION,
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        pb.environment().remove("CDLN_THREADS");
        stderr = Files.createTempFile(dir, "stderr", ".txt");
        pb.redirectError(stderr.toFile());   // a file, not a pipe: destroying a process closes its pipes
        return pb.start();
    }

    private static List<String> with(List<String> args, String... more) {
        List<String> a = new ArrayList<>(args);
        a.addAll(List.of(more));
        return a;
    }

    /**
     * Runs {@code args} uninterrupted in this JVM, then in a child process that gets {@code signal}
     * a quarter into the time the uninterrupted run took, then resumes it here; the named files of
     * both must agree in everything but the seconds.
     */
    private void interruptedRunResumesIntoTheUninterruptedOne(List<String> args, boolean kill9, String... files)
            throws Exception {
        interruptedRunResumesIntoTheUninterruptedOne(args, kill9, "reference", "interrupted", (reference, out) -> {
            for (String f : files) {
                assertEquals(normalized(reference.resolve(f)), normalized(out.resolve(f)), f);
            }
        });
    }

    /** What must agree between the uninterrupted output and the resumed one. */
    interface Comparison {
        void check(Path reference, Path resumed) throws Exception;
    }

    private void interruptedRunResumesIntoTheUninterruptedOne(List<String> args, boolean kill9, String referenceName,
                                                              String outName, Comparison compare) throws Exception {
        Path reference = dir.resolve(referenceName);
        long t0 = System.nanoTime();
        Cli.Run full = run(with(args, "--out", reference.toString()).toArray(new String[0]));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, full.status(), full.err());

        Path out = dir.resolve(outName);
        List<String> interrupted = with(args, "--out", out.toString());
        // a quarter of the warm run's time after the header (printed before the training; the child is a cold JVM
        // and slower): mid-run on a quiet machine as on a loaded one; a child that finished its training first is
        // run again with a wait three times shorter
        long wait = Math.max(150, Math.min(4000, millis / 4));
        for (int attempt = 0; ; attempt++) {
            Process p = start(interrupted);
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            Thread.sleep(wait);
            if (!p.isAlive() && attempt < 3) {
                assertEquals(0, p.waitFor(), Files.readString(stderr));
                deleteRecursively(out);
                wait = Math.max(20, wait / 3);
                continue;
            }
            if (kill9) {
                p.destroyForcibly();
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            } else {
                p.destroy();   // SIGTERM
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the process ends after SIGTERM");
                String err = Files.readString(stderr);
                if (p.exitValue() == 0 && attempt < 3) {
                    // the signal came after the training, while the outputs were written: earlier, then
                    deleteRecursively(out);
                    wait = Math.max(20, wait / 3);
                    continue;
                }
                assertEquals(143, p.exitValue(), "interrupted mid-run (make the run longer if this fails): " + err);
                assertTrue(err.contains("SIGTERM") && err.contains("checkpoint") && err.contains("--resume"), err);
                assertFalse(err.contains("Exception"), err);
            }
            break;
        }
        assertFalse(Files.exists(out.resolve("summary.json")) || Files.isRegularFile(out),
                "no summary or model of an unfinished run");

        Cli.Run resumed = run(with(interrupted, "--resume").toArray(new String[0]));
        assertEquals(0, resumed.status(), resumed.err());
        compare.check(reference, out);
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (java.util.stream.Stream<Path> all = Files.walk(p)) {
            for (Path q : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
        Path checkpoints = p.resolveSibling(p.getFileName() + ".checkpoints");
        if (Files.exists(checkpoints)) {
            deleteRecursively(checkpoints);
        }
    }

    /** A JSON file without its timings; a CSV file without its seconds columns. */
    private static String normalized(Path file) throws IOException {
        if (file.toString().endsWith(".json")) {
            JsonNode n = new ObjectMapper().readTree(file.toFile());
            strip(n);
            return n.toPrettyString();
        }
        List<String> lines = Files.readAllLines(file);
        String[] header = lines.get(0).split(",", -1);
        StringBuilder b = new StringBuilder();
        for (String line : lines) {
            String[] c = line.split(",", -1);
            for (int i = 0; i < c.length; i++) {
                if (!timing(header[Math.min(i, header.length - 1)])) {
                    b.append(c[i]).append(',');
                }
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static boolean timing(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        // speedup_at_least_5x: a verdict on the measured times
        return n.contains("second") || n.contains("time") || n.contains("resumed") || n.contains("load_average")
                || n.contains("wall") || n.contains("per_s") || n.contains("started") || n.startsWith("speedup");
    }

    private static void strip(JsonNode n) {
        if (n instanceof ObjectNode o) {
            for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
                if (timing(it.next())) {
                    it.remove();
                }
            }
        }
        n.forEach(ResumeAfterSignalTest::strip);
    }

    @Test
    void theorem() throws Exception {
        interruptedRunResumesIntoTheUninterruptedOne(List.of("reproduce", "theorem", "--d", "16", "--r", "2", "--eps",
                "1e-2", "--seeds", "3", "--threads", "1", "--no-progress"), false, "summary.json", "trajectory.csv");
    }

    @Test
    void parsimony() throws Exception {
        interruptedRunResumesIntoTheUninterruptedOne(List.of("reproduce", "parsimony", "--d", "30", "--r", "3",
                "--steps", "8000", "--threads", "1", "--no-progress"), false, "summary.json", "trajectory.csv");
    }

    @Test
    void analyzeCompletion() throws Exception {
        interruptedRunResumesIntoTheUninterruptedOne(List.of("analyze", "completion", "--d", "30", "--r", "3",
                "--steps", "4000", "--eval-every", "40", "--threads", "1", "--no-progress"), false, "summary.json",
                "trajectory.csv", "dynamics.csv", "dynamics.json");
    }

    @Test
    void analyzeCompletionKilledWithMinusNine() throws Exception {
        interruptedRunResumesIntoTheUninterruptedOne(List.of("analyze", "completion", "--d", "30", "--r", "3",
                "--steps", "4000", "--eval-every", "40", "--threads", "1", "--no-progress"), true, "summary.json",
                "dynamics.csv");
    }

    @Test
    void analyzeMlp() throws Exception {
        Path data = KillAndConcurrencyTest.idxFolder(dir, 1500);
        interruptedRunResumesIntoTheUninterruptedOne(List.of("analyze", "mlp", "--data", data.toString(), "--hidden",
                "48", "--epochs", "12", "--batch", "50", "--step", "3e-3", "--warmup-steps", "0", "--threads", "1",
                "--no-progress"), false, "summary.json", "update_rank.csv");
    }

    @Test
    void movielens() throws Exception {
        Path data = groupLensFolder(dir.resolve("ml"));
        interruptedRunResumesIntoTheUninterruptedOne(List.of("reproduce", "movielens", "--data", data.toString(),
                "--original-steps", "300", "--original-eval-every", "5", "--steps", "200", "--rank-hat", "4,8",
                "--altmin-k", "3", "--altmin-lambda", "1", "--altmin-sweeps", "5", "--threads", "1", "--no-progress"),
                false, "summary.json", "trajectory.csv");
    }

    @Test
    void complete() throws Exception {
        Path data = groupLensFolder(dir.resolve("ml"));
        Path ratings = data.resolve("u1.base");
        interruptedRunResumesIntoTheUninterruptedOne(List.of("complete", "--ratings", ratings.toString(), "--model",
                "dln", "--steps", "2500", "--patience", "0", "--eval-every", "5", "--threads", "1", "--no-progress"),
                false, "reference.cdln", "interrupted.cdln", (reference, resumed) -> {
                    // the same model: the same scores on the held-out ratings and the same recommendations
                    for (String[] query : new String[][] {
                        {"evaluate", "--model", "M", "--ratings", data.resolve("u1.test").toString(), "--json"},
                        {"recommend", "--model", "M", "--user", "7", "-k", "5"}}) {
                        String[] a = query.clone();
                        String[] b = query.clone();
                        a[2] = reference.toString();
                        b[2] = resumed.toString();
                        Cli.Run ra = run(a);
                        Cli.Run rb = run(b);
                        assertEquals(0, ra.status(), ra.err());
                        assertEquals(ra.out().replace(reference.toString(), "M"), rb.out().replace(resumed.toString(), "M"));
                    }
                });
    }

    /** A GroupLens-format folder (u1.base, u1.test): 120 users × 150 items, a third observed, rank 3, seeded. */
    static Path groupLensFolder(Path d) throws IOException {
        Files.createDirectories(d);
        SplittableRandom rnd = new SplittableRandom(11);
        double[][] u = new double[120][3];
        double[][] v = new double[150][3];
        for (double[][] f : new double[][][] {u, v}) {
            for (double[] row : f) {
                for (int k = 0; k < 3; k++) {
                    row[k] = rnd.nextGaussian();
                }
            }
        }
        StringBuilder base = new StringBuilder();
        StringBuilder test = new StringBuilder();
        for (int i = 0; i < 120; i++) {
            for (int j = 0; j < 150; j++) {
                if (rnd.nextDouble() < 1.0 / 3) {
                    double r = 3 + 0.6 * (u[i][0] * v[j][0] + u[i][1] * v[j][1] + u[i][2] * v[j][2]) + 0.3 * rnd.nextGaussian();
                    long stars = Math.max(1, Math.min(5, Math.round(r)));
                    (rnd.nextDouble() < 0.8 ? base : test).append(i + 1).append('\t').append(j + 1).append('\t')
                            .append(stars).append('\t').append(874965758L + i * 150L + j).append('\n');
                }
            }
        }
        Files.writeString(d.resolve("u1.base"), base);
        Files.writeString(d.resolve("u1.test"), test);
        return d;
    }
}
