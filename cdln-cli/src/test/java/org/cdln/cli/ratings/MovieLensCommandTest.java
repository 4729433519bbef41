package org.cdln.cli.ratings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.cdln.cli.Main;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cdln reproduce movielens} on the real data with tiny budgets (the outputs and their
 * schema, not the paper's numbers), and its one-line errors. Skips when the shared MovieLens
 * folder is absent.
 */
class MovieLensCommandTest {

    static Optional<Path> movieLens() {
        String prop = System.getProperty("cdln.data");
        if (prop != null && !prop.isBlank()) {
            return Optional.of(Path.of(prop).resolve("movielens-100k")).filter(p -> Files.isRegularFile(p.resolve("u1.base")));
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("shared").resolve("data").resolve("movielens-100k");
            if (Files.isRegularFile(p.resolve("u1.base"))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {String.valueOf(status), out.toString(), err.toString()};
    }

    @Tag("slow")   // seconds, not milliseconds; mvn -B test still runs it (-DexcludedGroups=slow skips it)
    @Test
    void tinyReproductionWritesTheSummaryTrajectoryAndFigure(@TempDir Path out) throws Exception {
        Optional<Path> data = movieLens();
        Assumptions.assumeTrue(data.isPresent(), "MovieLens-100K not found under shared/data (or -Dcdln.data): skipping");
        String[] r = run("reproduce", "movielens", "--data", data.get().toString(), "--original-width", "8",
                "--original-steps", "4", "--steps", "6", "--rank-hat", "2", "--altmin-k", "2", "--altmin-lambda", "10",
                "--altmin-sweeps", "2", "--no-progress", "--out", out.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("C-DLN (best: r̂=2)"), r[1]);
        assertTrue(r[1].contains("targets:"), r[1]);
        for (String f : List.of("summary.json", "trajectory.csv", "movielens.png", "movielens.svg")) {
            assertTrue(Files.size(out.resolve(f)) > 100, f);
        }
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals("movielens", s.get("experiment").asText());
        assertEquals(943, s.get("settings").get("d1").asInt());
        JsonNode runs = s.get("runs");
        assertEquals(3, runs.size());
        assertEquals("original", runs.get(0).get("model").asText());
        assertEquals("compressed r̂=2", runs.get(1).get("model").asText());
        assertEquals("altmin k=2 λ=10", runs.get(2).get("model").asText());
        for (JsonNode run : runs) {
            for (String k : List.of("steps", "seconds", "final_train_loss", "final_recovery_error", "parameters",
                    "test_rmse", "test_mae")) {
                assertTrue(run.get(k).isNumber(), k + " in " + run);
            }
            assertTrue(run.get("steps_to").has("1e-4") && run.get("seconds_to").has("1e-8"));
            double rmse = run.get("test_rmse").asDouble();
            assertTrue(rmse > 0.85 && rmse < 1.2, "plausible test RMSE " + rmse);
            assertEquals(0.5 * run.get("final_test_rmse").asDouble() * run.get("final_test_rmse").asDouble(),
                    run.get("final_recovery_error").asDouble(), 1e-12);
        }
        assertEquals(1682, s.get("settings").get("d2").asInt());
        assertTrue(s.get("comparison").has("targets"));
        List<String> csv = Files.readAllLines(out.resolve("trajectory.csv"));
        assertTrue(csv.get(0).startsWith("model,step,seconds,train_loss,recovery_error"), csv.get(0));
    }

    @Test
    void missingDataFolderIsOneLine(@TempDir Path out) {
        String[] r = run("reproduce", "movielens", "--data", out.resolve("nowhere").toString(), "--no-progress");
        assertEquals("2", r[0]);
        assertTrue(r[2].strip().startsWith("cdln: --data: no folder"), r[2]);
        String[] e = run("reproduce", "movielens", "--data", out.toString(), "--no-progress");
        assertEquals("2", e[0]);
        assertTrue(e[2].strip().startsWith("cdln: --split: no u1.base in"), e[2]);
    }
}
