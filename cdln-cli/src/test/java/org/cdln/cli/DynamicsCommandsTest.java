package org.cdln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** End-to-end checks of {@code cdln analyze}, {@code cdln reproduce theorem} and {@code cdln reproduce parsimony}. */
class DynamicsCommandsTest {
    static Cli.Run run(String... args) {
        return Cli.run(args);
    }

    @Test
    void analyzeFactorizationPrintsFindingsAndWritesDynamics(@TempDir Path dir) throws Exception {
        Cli.Run r = run("analyze", "factorization", "--d", "20", "--r", "2", "--step", "8",
                "--steps", "2000", "--eval-every", "20", "--no-progress", "--out", dir.toString());
        assertEquals(0, r.status(), r.err());
        String out = r.out();
        assertTrue(out.contains("largest over the run (2r = 4, d = 20)"), out);
        assertTrue(out.contains("W1 4 W2 4 W3 4"), "update rank 2r in every layer: " + out);
        assertTrue(out.contains("learned in order, largest first: yes"), out);
        for (String f : List.of("summary.json", "trajectory.csv", "dynamics.json", "dynamics.csv", "singular_values.png",
                "alignment.png", "subspace_angles.png", "update_rank.png", "update_rank.svg")) {
            assertTrue(Files.size(dir.resolve(f)) > 100, f);
        }
        JsonNode dyn = new ObjectMapper().readTree(dir.resolve("dynamics.json").toFile());
        assertEquals(101, dyn.get("points").size());
        JsonNode w1 = dyn.get("points").get(50).get("matrices").get("W1");
        assertEquals(20, w1.get("sigma").size());
        int rank = w1.get("update_rank").asInt();
        assertTrue(rank >= 2 && rank <= 4, "update rank of W1 at step 1000: " + rank);
        assertTrue(w1.get("angles_right").get("middle").asDouble() < 1e-8);
        assertEquals(2, dyn.get("points").get(50).get("matrices").get("P").get("align_left").size());
        assertTrue(dyn.get("findings").get("learned_in_order").asBoolean());
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        assertEquals("analyze-factorization", summary.get("experiment").asText());
        assertEquals(4, summary.get("findings").get("max_update_rank").get("W2").asInt());
        String header = Files.readAllLines(dir.resolve("dynamics.csv")).get(0);
        assertTrue(header.startsWith("step,train_loss,recovery_error,W1_update_rank,W1_update_tail,"), header);
        assertTrue(header.contains("P_sigma_20") && header.endsWith("P_align_right_2"), header);
    }

    @Tag("slow")   // seconds, not milliseconds; mvn -B test still runs it (-DexcludedGroups=slow skips it)
    @Test
    void theoremRunsASmallGridAndWritesTheMaxRatio(@TempDir Path dir) throws Exception {
        Cli.Run r = run("reproduce", "theorem", "--d", "16", "--r", "2", "--eps", "1e-2,3e-3",
                "--seeds", "2", "--no-progress", "--out", dir.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("the compressed error never exceeded the original's"), r.out());
        JsonNode s = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        assertEquals("theorem", s.get("experiment").asText());
        assertTrue(s.get("max_ratio").asDouble() <= 1 + 1e-9, s.get("max_ratio").toString());
        assertEquals(2, s.get("settings_results").size());
        for (JsonNode ps : s.get("settings_results")) {
            assertTrue(ps.get("max_ratio").asDouble() <= 1 + 1e-9);
            assertEquals(2, ps.get("seeds").size());
        }
        assertEquals(8, s.get("runs").size(), "2 settings × 2 seeds × (original, compressed)");
        assertTrue(Files.size(dir.resolve("ratio.png")) > 1000);
    }

    @Test
    void theoremHelpShowsTheDeclaredSettingsWithTheCheckDefaults() {
        Cli.Run r = run("reproduce", "theorem", "--help");
        assertEquals(0, r.status(), r.err());
        String help = r.out().replaceAll("\\s+", " ");
        for (String s : List.of("--d=VALUE", "default 30,60.", "--r=VALUE", "default 2,4.", "--eps=VALUE",
                "default 0.01,0.001.", "--seeds=VALUE", "default 5.", "--depth=VALUE", "default 3.", "--rel-tol=VALUE",
                "E-10.", "--steps=VALUE", "default 400000.", "--eval-every=VALUE", "default 10.")) {
            assertTrue(help.contains(s), s + " in " + help);
        }
    }

    @Test
    void parsimonyFollowsTheWideNetworkOnASmallFactorization(@TempDir Path dir) throws Exception {
        Cli.Run r = run("reproduce", "parsimony", "--d", "24", "--r", "2", "--step", "10",
                "--steps", "2000", "--eval-every", "20", "--no-progress", "--out", dir.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("parsimony") && r.out().contains("largest ‖P_wide(t) − P_parsimony(t)‖_F"), r.out());
        JsonNode s = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        double diff = s.get("max_relative_difference").asDouble();
        assertTrue(diff > 0 && diff < 0.1, "relative difference " + diff);
        assertEquals(2, s.get("runs").size());
        assertEquals("parsimony", s.get("runs").get(1).get("model").asText());
        // (d1 + d2)·2r + L·(2r)² = 48·4 + 3·16
        assertEquals(48 * 4 + 48, s.get("runs").get(1).get("parameters").asLong());
        for (String f : List.of("recovery.png", "product_difference.png", "trajectory.csv")) {
            assertTrue(Files.size(dir.resolve(f)) > 100, f);
        }
    }

    @Test
    void parsimonyHelpShowsTheDeclaredSettingsAndWhichDefaultsDependOnTheProblem() {
        Cli.Run r = run("reproduce", "parsimony", "--help");
        assertEquals(0, r.status(), r.err());
        String help = r.out().replaceAll("\\s+", " ");
        for (String s : List.of("--problem=VALUE", "default factorization.", "--d=VALUE", "--r=VALUE", "--p=VALUE",
                "--m=VALUE", "--step=VALUE|auto", "--steps=VALUE", "--tol=VALUE", "--eval-every=VALUE",
                "default depends on --problem.", "--gamma=VALUE", "default 0.01.", "--depth=VALUE", "default 3.",
                "--seed=VALUE", "default 0.", "--eps=VALUE")) {
            assertTrue(help.contains(s), s + " in " + help);
        }
    }

    @Test
    void theoremListsAreCommaSeparatedOrRepeated() {
        var t = new TheoremCommand();
        new picocli.CommandLine(t).parseArgs("--d", "16", "--d", "20,24", "--eps", "1e-2,3e-3", "--r", "2");
        var s = t.settings();
        assertEquals(List.of(16, 20, 24), s.d());
        assertEquals(List.of(2), s.r());
        assertEquals(List.of(1e-2, 3e-3), s.eps());
        assertEquals(6, s.grid().size());
        var u = new TheoremCommand();
        new picocli.CommandLine(u).parseArgs();
        assertEquals(List.of(30, 60), u.settings().d());
        assertEquals(400_000, u.settings().maxSteps());
        assertEquals(10, u.settings().evalEvery());
    }

    @Test
    void parsimonyDefaultsFollowTheProblem() {
        // factorization: 20,000 steps every 20, η from the stability limit; completion: its reference values
        var mf = new ParsimonyCommand();
        new picocli.CommandLine(mf).parseArgs();
        var s = mf.settings();
        assertEquals(100, s.recovery().d1());
        assertEquals(10, s.recovery().r());
        assertEquals(20_000, s.recovery().steps());
        assertEquals(20, s.recovery().evalEvery());
        assertTrue(s.recovery().step() != 1.0 && s.recovery().step() > 0, "η " + s.recovery().step());
        assertEquals(0.01, s.gamma());
        var mc = new ParsimonyCommand();
        new picocli.CommandLine(mc).parseArgs("--problem", "Completion", "--gamma", "0.5");
        s = mc.settings();
        assertEquals(org.cdln.experiment.Experiment.COMPLETION.defaults().steps(), s.recovery().steps());
        assertEquals(org.cdln.experiment.Experiment.COMPLETION.defaults().step(), s.recovery().step());
        assertEquals(5, s.recovery().r());
        assertEquals(10, s.recovery().rankHat(), "2r");
        assertEquals(0.5, s.gamma());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "analyze completion --rank-tol 2|--rank-tol|[0, 1)",
        "analyze sensing --d 0|--d|≥ 1",
        "analyze factorization --measure-overhead 0|--measure-overhead|≥ 1",
        "reproduce parsimony --gamma 0|--gamma|(0, 1]",
        "reproduce parsimony --problem bogus|--problem|factorization, completion or sensing",
        "reproduce parsimony --d 10 --r 6|--r|[1, 5]",
        "reproduce theorem --seeds 0|--seeds|≥ 1",
        "reproduce theorem --d 10 --r 6|--r|[1, 5]",
        "reproduce theorem --rel-tol 2|--rel-tol|(0, 1)",
        "reproduce theorem --eps 1e-2,0|--eps|> 0",
        "reproduce theorem --d 30,1|--d|≥ 2",
        "reproduce theorem --steps 0|--steps|≥ 1",
        "reproduce theorem --depth 1|--depth|≥ 2",
        "reproduce theorem --eval-every 0|--eval-every|≥ 1",
        "reproduce parsimony --step 0|--step|> 0",
        "reproduce parsimony --d 0|--d|≥ 1",
        "reproduce parsimony --problem completion --p 0|--p|(0, 1]",
        "reproduce parsimony --problem sensing --m 0|--m|≥ 1",
    })
    void badFlagsGiveOneLineNamingTheFlagAndRange(String args, String flag, String range) {
        String[] parts = (args + " --no-progress").split(" ");
        Cli.assertOneLineError(run(parts), flag, range);
    }
}
