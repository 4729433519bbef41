package org.cdln.cli;

import static org.cdln.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.cdln.cli.Cli.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** End-to-end checks of {@code cdln reproduce mlp} and {@code cdln analyze mlp} on a small synthetic IDX folder. */
class MlpCommandTest {
    @TempDir
    static Path data;


    /** 600 train and 200 test 28×28 images, 10 classes: each class a bright square at its own place on noise. */
    @BeforeAll
    static void writeData() throws IOException {
        SplittableRandom rnd = new SplittableRandom(3);
        writeSet("train", 600, rnd);
        writeSet("t10k", 200, rnd);
    }

    private static void writeSet(String prefix, int n, SplittableRandom rnd) throws IOException {
        byte[] px = new byte[n * 784];
        byte[] lab = new byte[n];
        for (int i = 0; i < n; i++) {
            int y = rnd.nextInt(10);
            lab[i] = (byte) y;
            int r0 = 3 + 7 * (y / 4);
            int c0 = 1 + 7 * (y % 4);
            for (int k = 0; k < 784; k++) {
                boolean on = k / 28 >= r0 && k / 28 < r0 + 7 && k % 28 >= c0 && k % 28 < c0 + 7;
                px[i * 784 + k] = (byte) (on ? 150 + rnd.nextInt(100) : rnd.nextInt(90));
            }
        }
        Files.write(data.resolve(prefix + "-images-idx3-ubyte.gz"), gzip(idx(0x803, new int[] {n, 28, 28}, px)));
        Files.write(data.resolve(prefix + "-labels-idx1-ubyte.gz"), gzip(idx(0x801, new int[] {n}, lab)));
    }

    static byte[] idx(int magic, int[] dims, byte[] payload) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(magic);
        for (int x : dims) {
            d.writeInt(x);
        }
        d.write(payload);
        return b.toByteArray();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(raw);
        }
        return b.toByteArray();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--hidden abc|--hidden|512,512",
        "--hidden 0|--hidden|[1, 16384]",
        "--rank-hat 0|--rank-hat|[1, 512]",
        "--rank-hat 513|--rank-hat|[1, 512]",
        "--eps 0|--eps|> 0",
        "--alpha -1|--alpha|> 0",
        "--step NaN|--step|> 0",
        "--batch 0|--batch|[1, 60000]",
        "--epochs 0|--epochs|[1, 1000]",
        "--block-depth 1|--block-depth|[2, 16]",
        "--schedule step|--schedule|constant or cosine",
        "--optimizer lbfgs|--optimizer|gd, momentum, adam or rmsprop",
        "--models mlp,resnet|--models|mlp, mlp+dln, mlp+c-dln",
        "--train-limit -1|--train-limit|≥ 1",
        "--train-limit 0|--train-limit|≥ 1",
        "--threads 0|--threads|≥ 1",
        "--data /nonexistent/fashion|--data|does not exist",
    })
    void badFlagsGiveOneLineNamingTheFlagAndRange(String flags, String flag, String range) {
        String[] parts = flags.split(" ");
        String[] args = new String[2 + parts.length + 1];
        args[0] = "reproduce";
        args[1] = "mlp";
        System.arraycopy(parts, 0, args, 2, parts.length);
        args[args.length - 1] = "--no-progress";
        Cli.assertOneLineError(run(args), flag, range);
    }

    @Test
    void reproduceWritesTheThreeRunsInTheSharedSchema(@TempDir Path out) throws Exception {
        Run r = run("reproduce", "mlp", "--data", data.toString(), "--hidden", "32", "--rank-hat", "20", "--epochs", "3",
                "--batch", "50", "--step", "3e-3", "--warmup-steps", "2", "--no-progress", "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("+C-DLN vs +DLN"), r.out());
        assertTrue(r.out().contains("images/s"), r.out());
        for (String f : List.of("summary.json", "trajectory.csv", "mlp.png", "mlp.svg")) {
            assertTrue(Files.size(out.resolve(f)) > 100, f);
        }
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals("mlp", s.get("experiment").asText());
        assertEquals(20, s.get("settings").get("rank_hat").asInt());
        assertTrue(s.get("threads").asInt() >= 1);
        JsonNode runs = s.get("runs");
        assertEquals(3, runs.size());
        List<String> models = List.of("mlp", "mlp+dln", "mlp+c-dln");
        for (int i = 0; i < 3; i++) {
            JsonNode run = runs.get(i);
            assertEquals(models.get(i), run.get("model").asText());
            for (String k : List.of("steps", "seconds", "final_train_loss", "parameters", "test_accuracy",
                    "images_per_second")) {
                assertTrue(run.get(k).isNumber(), k + " of " + run);
            }
            assertTrue(run.has("final_recovery_error") && run.has("steps_to") && run.has("seconds_to"));
            assertEquals(36, run.get("steps").asLong());
            assertEquals(4, run.get("per_epoch").size());
            assertTrue(run.get("test_accuracy").asDouble() > 0.5, "synthetic task not learnt (chance is 0.1): " + run);
        }
        long base = 784L * 32 + 32 + 32L * 10 + 10;
        assertEquals(base, runs.get(0).get("parameters").asLong());
        assertEquals(base + 3L * 32 * 32, runs.get(1).get("parameters").asLong());
        assertEquals(base + 2L * 32 * 20 + 400, runs.get(2).get("parameters").asLong());
        List<String> csv = Files.readAllLines(out.resolve("trajectory.csv"));
        assertEquals("model,epoch,step,seconds,train_loss,train_accuracy,test_loss,test_accuracy", csv.get(0));
        assertEquals(1 + 3 * 4, csv.size());
        assertTrue(Files.readString(out.resolve("mlp.svg")).contains("<svg"));
    }

    @Test
    void analyzeRecordsTheRankOfEveryLayersUpdate(@TempDir Path out) throws Exception {
        Run r = run("analyze", "mlp", "--data", data.toString(), "--hidden", "32", "--epochs", "2", "--batch", "50",
                "--warmup-steps", "0", "--snapshots-per-epoch", "3", "--no-progress", "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("numerical rank"), r.out());
        for (String f : List.of("summary.json", "update_rank.csv", "update_rank.png", "update_rank.svg",
                "update_spectrum.png", "update_spectrum.svg")) {
            assertTrue(Files.size(out.resolve(f)) > 100, f);
        }
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        JsonNode updates = s.get("runs").get(0).get("updates");
        // hidden1, block1..3, output, and the block product
        assertEquals(6, updates.size());
        assertEquals("block product", updates.get(5).get("update_of").asText());
        for (JsonNode u : updates) {
            int rank = u.get("numerical_rank").asInt();
            assertTrue(rank >= 1 && rank <= Math.min(u.get("rows").asInt(), u.get("cols").asInt()), u.toString());
        }
        // 12 steps per epoch, a snapshot every 4 steps: 6 snapshots per tracked update
        assertEquals(1 + 6 * 6, Files.readAllLines(out.resolve("update_rank.csv")).size());
    }

    @Test
    void aTruncatedDataFileIsNamedInOneLine(@TempDir Path bad) throws Exception {
        for (String f : List.of("train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            Files.copy(data.resolve(f), bad.resolve(f));
        }
        byte[] images = Files.readAllBytes(data.resolve("train-images-idx3-ubyte.gz"));
        Files.write(bad.resolve("train-images-idx3-ubyte.gz"), Arrays.copyOf(images, images.length / 3));
        Run r = run("reproduce", "mlp", "--data", bad.toString(), "--no-progress", "--out", bad.resolve("o").toString());
        assertEquals(2, r.status());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), err);
        assertTrue(err.contains("train-images-idx3-ubyte.gz") && err.contains("470,416 bytes"), err);
    }

    @Test
    void helpListsMlp() {
        assertTrue(run("reproduce", "--help").out().contains("mlp"));
        assertTrue(run("analyze", "--help").out().contains("mlp"));
    }
}
