package org.cdln.cli;

import static org.cdln.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cdln.cli.Cli.Run;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** End-to-end checks of {@code cdln reproduce}: bad input, outputs and their schema. */
class ReproduceCommandTest {


    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "completion|--d 0|--d|≥ 1",
        "completion|--d -5|--d|≥ 1",
        "completion|--p 1.5|--p|(0, 1]",
        "completion|--p 0|--p|(0, 1]",
        "completion|--r 101|--r|[1, 100]",
        "completion|--r 0|--r|[1, 100]",
        "completion|--rank-hat 0|--rank-hat|[1, 100]",
        "completion|--step NaN|--step|> 0",
        "completion|--step -1|--step|> 0",
        "completion|--eps 0|--eps|> 0",
        "completion|--alpha Infinity|--alpha|> 0",
        "completion|--depth 1|--depth|≥ 2",
        "completion|--steps -1|--steps|≥ 0",
        "completion|--tol -1|--tol|≥ 0",
        "completion|--eval-every 0|--eval-every|≥ 1",
        "completion|--threads 0|--threads|≥ 1",
        "completion|--stall-steps 0|--stall-steps|≥ 1",
        "sensing|--m 0|--m|≥ 1",
        "completion|--d abc|--d|not an int",
        "completion|--init bogus|--init|orth, norm or unif",
        "completion|--optimizer sgdx|--optimizer|gd, momentum, adam or rmsprop",
        "factorization|--nope 3|--nope|Unknown option",
    })
    void outOfRangeFlagsGiveOneLineNamingTheFlagAndRange(String experiment, String flags, String flag, String range) {
        String[] parts = flags.split(" ");
        String[] args = new String[2 + parts.length + 1];
        args[0] = "reproduce";
        args[1] = experiment;
        System.arraycopy(parts, 0, args, 2, parts.length);
        args[args.length - 1] = "--no-progress";
        Cli.assertOneLineError(run(args), flag, range);
    }

    @Test
    void divergingStepSizeStopsWithAdviceAndKeepsFinishedRuns(@TempDir Path dir) {
        Run r = run("reproduce", "completion", "--d", "20", "--r", "2", "--step", "1e7", "--steps", "300",
                "--no-progress", "--out", dir.toString());
        assertEquals(2, r.status());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), err);
        assertTrue(err.contains("diverged"), err);
        assertTrue(err.contains("η = 1.00e+07"), "names the step size: " + err);
        assertTrue(err.contains("--step"), "suggests a step size: " + err);
    }

    @Tag("slow")   // seconds, not milliseconds; mvn -B test still runs it (-DexcludedGroups=slow skips it)
    @Test
    void smallCompletionWritesSummaryTrajectoryAndFigures(@TempDir Path dir) throws Exception {
        Run r = run("reproduce", "completion", "--d", "30", "--r", "2", "--steps", "3000", "--eval-every", "20",
                "--no-progress", "--out", dir.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("original") && r.out().contains("compressed"), r.out());
        assertTrue(r.out().contains("steps to error 1e-8"), r.out());
        for (String f : List.of("summary.json", "trajectory.csv", "recovery.png", "recovery.svg")) {
            assertTrue(Files.size(dir.resolve(f)) > 100, f);
        }
        JsonNode s = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        assertEquals("completion", s.get("experiment").asText());
        assertEquals(30, s.get("settings").get("d1").asInt());
        assertNotNull(s.get("backend").asText());
        assertTrue(s.get("threads").asInt() >= 1);
        JsonNode runs = s.get("runs");
        assertEquals(2, runs.size());
        assertEquals("original", runs.get(0).get("model").asText());
        assertEquals("compressed", runs.get(1).get("model").asText());
        for (JsonNode run : runs) {
            for (String k : List.of("steps", "seconds", "final_train_loss", "final_recovery_error", "parameters")) {
                assertTrue(run.get(k).isNumber(), k);
            }
            assertTrue(run.get("steps_to").has("1e-4") && run.get("steps_to").has("1e-8"));
            assertTrue(run.get("seconds_to").has("1e-4") && run.get("seconds_to").has("1e-8"));
        }
        // 2·d·r̂ + (L−2)·r̂² with r̂ = 4
        assertEquals(2 * 30 * 4 + 16, runs.get(1).get("parameters").asLong());
        assertEquals(3 * 30 * 30, runs.get(0).get("parameters").asLong());
        List<String> csv = Files.readAllLines(dir.resolve("trajectory.csv"));
        assertEquals("model,step,seconds,train_loss,recovery_error", csv.get(0));
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("compressed,")));
        assertTrue(Files.readString(dir.resolve("recovery.svg")).contains("<svg"));
    }

    @Test
    void stallStepsStopsRunsWhoseLossNoLongerFallsButNotRunsThatConverge(@TempDir Path dir) throws Exception {
        // η = 1e-6 from ε = 1e-2: the product stays ≈ 1e-6 and the loss does not move
        Run stalled = run("reproduce", "factorization", "--d", "20", "--r", "2", "--step", "1e-6", "--steps", "100000",
                "--eval-every", "10", "--stall-steps", "100", "--no-progress", "--out", dir.resolve("a").toString());
        assertEquals(0, stalled.status(), stalled.err());
        assertTrue(stalled.out().contains("less than 0.1% over 100 steps"), stalled.out());
        JsonNode runs = new ObjectMapper().readTree(dir.resolve("a/summary.json").toFile()).get("runs");
        assertEquals(2, runs.size());
        for (JsonNode run : runs) {
            assertEquals("early_stopped", run.get("stop_reason").asText(), run.toString());
            assertTrue(run.get("steps").asLong() <= 110, run.toString());
            assertTrue(run.get("stop_message").asText().contains("training loss"), run.toString());
        }
        // runs whose loss keeps falling end exactly as without the flag
        for (String[] flag : List.of(new String[] {"--stall-steps", "1000"}, new String[] {"--tol", "1e-12"})) {
            Run learning = run("reproduce", "completion", "--d", "30", "--r", "2", "--steps", "3000", "--eval-every", "20",
                    flag[0], flag[1], "--no-progress", "--out", dir.resolve(flag[0]).toString());
            assertEquals(0, learning.status(), learning.err());
        }
        JsonNode with = new ObjectMapper().readTree(dir.resolve("--stall-steps/summary.json").toFile()).get("runs");
        JsonNode without = new ObjectMapper().readTree(dir.resolve("--tol/summary.json").toFile()).get("runs");
        for (int i = 0; i < 2; i++) {
            assertEquals(without.get(i).get("stop_reason").asText(), with.get(i).get("stop_reason").asText());
            assertEquals(without.get(i).get("steps").asLong(), with.get(i).get("steps").asLong());
            assertEquals(without.get(i).get("final_train_loss").asDouble(), with.get(i).get("final_train_loss").asDouble());
        }
    }

    @Test
    void depthExperimentTagsEachRunWithItsDepth(@TempDir Path dir) throws Exception {
        Run r = run("reproduce", "depth", "--d", "20", "--r", "2", "--steps", "200", "--step", "10",
                "--no-progress", "--out", dir.toString());
        assertEquals(0, r.status(), r.err());
        JsonNode runs = new ObjectMapper().readTree(dir.resolve("summary.json").toFile()).get("runs");
        assertEquals(4, runs.size());
        assertEquals(2, runs.get(0).get("depth").asInt());
        assertEquals(3, runs.get(3).get("depth").asInt());
        assertTrue(Files.readAllLines(dir.resolve("trajectory.csv")).get(0).endsWith(",depth"));
    }

    @Test
    void resumedRunContinuesExactlyWhereTheCheckpointLeftOff(@TempDir Path dir) throws Exception {
        Path straight = dir.resolve("straight");
        Path split = dir.resolve("split");
        String[] base = {"reproduce", "completion", "--d", "24", "--r", "2", "--step", "5", "--eval-every", "25", "--tol", "0",
            "--no-progress"};
        assertEquals(0, run(concat(base, "--steps", "600", "--out", straight.toString())).status());
        assertEquals(0, run(concat(base, "--steps", "300", "--out", split.toString())).status());
        assertTrue(Files.list(split.resolve("checkpoints")).count() == 2, "one checkpoint per run");
        Run resumed = run(concat(base, "--steps", "600", "--resume", "--out", split.toString()));
        assertEquals(0, resumed.status(), resumed.err());
        JsonNode runs = new ObjectMapper().readTree(split.resolve("summary.json").toFile()).get("runs");
        for (JsonNode r : runs) {
            assertEquals(300, r.get("resumed_from_step").asLong(), "continued from the checkpoint");
            assertEquals(600, r.get("steps").asLong());
        }
        assertEquals(lossColumns(straight), lossColumns(split));
    }

    /** model, step, train_loss and recovery_error of every row (seconds differ between runs). */
    private static List<String> lossColumns(Path dir) throws Exception {
        return Files.readAllLines(dir.resolve("trajectory.csv")).stream().map(l -> {
            String[] f = l.split(",", -1);
            return f[0] + "," + f[1] + "," + f[3] + "," + f[4];
        }).toList();
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void helpListsTheExperiments() {
        Run r = run("reproduce", "--help");
        assertEquals(0, r.status());
        for (String e : List.of("factorization", "completion", "sensing", "alpha-sweep", "depth")) {
            assertTrue(r.out().contains(e), e);
        }
    }
}
