package org.cdln.cli.ratings;

import static org.cdln.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.cdln.cli.Cli;
import org.cdln.cli.Cli.Run;
import org.cdln.recommend.CompletionModel;
import org.cdln.recommend.Recommendation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cdln cross-validate}, {@code recommend --all/--users} and {@code export} end to end on a
 * synthetic ratings file (30 users × 40 items, rank 2, 60 % observed, u.data layout).
 */
class RecommenderCommandsTest {
    @TempDir
    static Path dir;
    static Path ratings;
    static Path model;

    @BeforeAll
    static void writeRatingsAndFit() throws IOException {
        Random rng = new Random(5);
        double[][] u = new double[30][2];
        double[][] v = new double[40][2];
        for (double[][] m : new double[][][] {u, v}) {
            for (double[] row : m) {
                row[0] = rng.nextGaussian();
                row[1] = rng.nextGaussian();
            }
        }
        StringBuilder data = new StringBuilder();
        for (int a = 0; a < 30; a++) {
            for (int i = 0; i < 40; i++) {
                if (rng.nextDouble() < 0.6) {
                    double r = 3 + 0.7 * (u[a][0] * v[i][0] + u[a][1] * v[i][1]) + 0.1 * rng.nextGaussian();
                    data.append(a + 1).append('\t').append(i + 1).append('\t')
                            .append(Math.max(1, Math.min(5, Math.round(r)))).append('\t').append(880000000L + i).append('\n');
                }
            }
        }
        ratings = dir.resolve("u.data");
        Files.writeString(ratings, data);
        model = dir.resolve("m.cdln");
        Run r = run("complete", "--ratings", ratings.toString(), "--out", model.toString(), "--no-progress", "--model",
                "altmin", "--k", "2", "--lambda", "1", "--sweeps", "5");
        assertEquals(0, r.status(), r.err());
    }

    @Test
    void crossValidateWritesTheTableAndCvJson() throws IOException {
        Path out = dir.resolve("cv");
        Run r = run("cross-validate", "--ratings", ratings.toString(), "--folds", "3", "--models",
                "altmin,global-mean,biases", "--grid", "k=1,2", "lambda=1", "--out", out.toString(), "--no-progress",
                "-k", "5");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("NDCG@5"), r.out());
        assertTrue(r.out().contains(" ± "), r.out());
        JsonNode j = new ObjectMapper().readTree(out.resolve("cv.json").toFile());
        assertEquals(3, j.get("protocol").get("folds").size());
        assertEquals("baseline", j.get("protocol").get("cold_start").asText());
        assertEquals(3, j.get("models").size());
        JsonNode alt = j.get("models").get(0);
        assertEquals("altmin", alt.get("model").asText());
        for (String key : List.of("rmse", "mae", "precision@5", "recall@5", "ndcg@5", "map@5", "fit_seconds")) {
            assertTrue(alt.get(key).get("mean").isNumber(), key + " in " + alt);
            assertTrue(alt.get(key).get("sd").isNumber(), key + " in " + alt);
        }
        assertEquals(3, alt.get("folds").size());
        assertTrue(alt.get("folds").get(0).get("chosen").get("grid_choice").asText().startsWith("k="), alt.toString());
        assertTrue(Files.isRegularFile(out.resolve("cv.png")) && Files.isRegularFile(out.resolve("cv.svg")));
    }

    /** A smoke test on the real u1 split (skips without MovieLens): the baselines only, so it takes a second. */
    @Test
    void crossValidateTheBaselinesOnMovieLensU1() throws IOException {
        java.util.Optional<Path> data = MovieLensCommandTest.movieLens();
        org.junit.jupiter.api.Assumptions.assumeTrue(data.isPresent(),
                "MovieLens-100K not found under shared/data (or -Dcdln.data): skipping");
        Path out = dir.resolve("cv-ml");
        Run r = run("cross-validate", "--splits", data.get() + ":u1", "--models", "global-mean,biases", "--out",
                out.toString(), "--no-progress");
        assertEquals(0, r.status(), r.err());
        JsonNode biases = new ObjectMapper().readTree(out.resolve("cv.json").toFile()).get("models").get(1);
        double rmse = biases.get("rmse").get("mean").asDouble();
        assertTrue(rmse > 0.93 && rmse < 0.97, "biases-only RMSE on u1 " + rmse);
        JsonNode fold = biases.get("folds").get(0);
        assertEquals(20_000, fold.get("test_ratings").asInt());
        assertEquals(32, fold.get("cold_item_pairs").asInt(), "u1.test has 32 ratings of items u1.base lacks");
        assertEquals(20_000, fold.get("scored").asInt(), "the baseline strategy scores them");
    }

    @Test
    void crossValidateRefusesBadInputInOneLine() {
        Cli.assertOneLineError(run("cross-validate", "--models", "biases"), "--ratings", "--splits");
        Cli.assertOneLineError(run("cross-validate", "--ratings", ratings.toString(), "--models", "svd"), "--models",
                "c-dln, dln, altmin, global-mean, biases");
        Cli.assertOneLineError(run("cross-validate", "--ratings", ratings.toString(), "--grid", "rank=3"), "--grid",
                "rank-hat");
        Cli.assertOneLineError(run("cross-validate", "--ratings", ratings.toString(), "--folds", "1"), "--folds", "[2, ");
        Cli.assertOneLineError(run("cross-validate", "--splits", dir + ":u9"), "--splits", "u1, u2");
    }

    @Test
    void recommendAllStreamsTheSameListsAsOneUserAtATime() throws IOException {
        Path out = dir.resolve("recs.csv");
        Run r = run("recommend", "--model", model.toString(), "--all", "-k", "3", "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("for 30 users"), r.out());
        List<String> lines = Files.readAllLines(out);
        assertEquals("user,rank,item,predicted_rating,score", lines.get(0));
        assertEquals(1 + 30 * 3, lines.size());
        CompletionModel m = CompletionModel.load(model);
        List<Recommendation> seven = m.recommend("7", 3, true);
        int row = 1 + m.userIndex("7") * 3;
        for (int q = 0; q < 3; q++) {
            String[] f = lines.get(row + q).split(",");
            assertEquals("7", f[0]);
            assertEquals(String.valueOf(q + 1), f[1]);
            assertEquals(seven.get(q).itemId(), f[2]);
        }
        Path jl = dir.resolve("some.jsonl");
        Path ids = dir.resolve("ids.txt");
        Files.writeString(ids, "3\n7\n");
        Run j = run("recommend", "--model", model.toString(), "--users-file", ids.toString(), "-k", "2", "--out",
                jl.toString());
        assertEquals(0, j.status(), j.err());
        List<String> jlines = Files.readAllLines(jl);
        assertEquals(2, jlines.size());
        JsonNode second = new ObjectMapper().readTree(jlines.get(1));
        assertEquals("7", second.get("user").asText());
        assertEquals(seven.get(0).itemId(), second.get("recommendations").get(0).get("item").asText());
        Cli.assertOneLineError(run("recommend", "--model", model.toString(), "--all", "--user", "7"), "--user",
                "exactly one of");
        Cli.assertOneLineError(run("recommend", "--model", model.toString(), "--users", "7,nobody"), "--users",
                "the model knows 30 users");
    }

    @Test
    void exportWritesNpyFilesAndAReadme() throws IOException {
        Path out = dir.resolve("export");
        Run r = run("export", "--model", model.toString(), "--format", "npy", "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        for (String f : List.of("user_factors.npy", "item_factors.npy", "user_bias.npy", "item_bias.npy", "user_ids.txt",
                "item_ids.txt", "model.json", "README.txt")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
            assertTrue(r.out().contains(f), r.out());
        }
        assertTrue(Files.readString(out.resolve("README.txt")).contains("r(u, i) = clip(mu + user_bias[u]"));
        Cli.assertOneLineError(run("export", "--model", model.toString(), "--format", "parquet", "--out", out.toString()),
                "--format", "npy or csv");
    }
}
