package org.cdln.cli.ratings;

import static org.cdln.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.cdln.cli.Cli;
import org.cdln.cli.Cli.Run;
import org.cdln.recommend.CompletionModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code cdln complete}, {@code recommend} and {@code evaluate} end to end on a synthetic ratings
 * file (40 users × 60 items, rank 2 plus noise, 60 % observed, written in the MovieLens u.data
 * layout), with a u.item of Latin-1 titles beside it.
 */
class RatingsCommandsTest {
    @TempDir
    static Path dir;
    static Path ratings;
    static Path model;


    @BeforeAll
    static void writeRatingsAndFit() throws IOException {
        Random rng = new Random(3);
        double[][] u = new double[40][2];
        double[][] v = new double[60][2];
        for (double[] row : u) {
            row[0] = rng.nextGaussian();
            row[1] = rng.nextGaussian();
        }
        for (double[] row : v) {
            row[0] = rng.nextGaussian();
            row[1] = rng.nextGaussian();
        }
        StringBuilder data = new StringBuilder();
        StringBuilder titles = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            titles.append(i + 1).append("|Film ").append(i + 1).append(i == 0 ? " Misérables" : "").append("|01-Jan-1995||\n");
        }
        for (int a = 0; a < 40; a++) {
            for (int i = 0; i < 60; i++) {
                if (rng.nextDouble() < 0.6) {
                    double r = 3 + 0.6 * (u[a][0] * v[i][0] + u[a][1] * v[i][1]) + 0.1 * rng.nextGaussian();
                    long stars = Math.max(1, Math.min(5, Math.round(r)));
                    data.append(a + 1).append('\t').append(i + 1).append('\t').append(stars).append('\t')
                            .append(880000000L + a * 100 + i).append('\n');
                }
            }
        }
        ratings = dir.resolve("u.data");
        Files.writeString(ratings, data, StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("u.item"), titles, StandardCharsets.ISO_8859_1);
        model = dir.resolve("model.cdln");
        Run r = run("complete", "--ratings", ratings.toString(), "--out", model.toString(), "--no-progress",
                "--rank-hat", "4");
        assertEquals(0, r.status(), r.err());
    }

    @Test
    void completeReportsWhatItReadAndFittedAndWritesTheModel() {
        Run r = run("complete", "--ratings", ratings.toString(), "--out", dir.resolve("auto.cdln").toString(),
                "--no-progress");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("users × 60 items from " + ratings), r.out());
        assertTrue(r.out().contains("movielens (tab-separated, no header"), "format detected: " + r.out());
        assertTrue(r.out().contains("r̂: validation sweep from sign-flip parallel analysis"), r.out());
        assertTrue(r.out().contains("wrote " + dir.resolve("auto.cdln")), r.out());
        CompletionModel m = CompletionModel.load(dir.resolve("auto.cdln"));
        assertEquals("c-dln", m.kind().label());
        assertEquals(ratings.toAbsolutePath().normalize().toString(), m.settings().get("ratings_file"));
    }

    @Test
    void recommendListsUnseenItemsWithLatin1Titles() throws IOException {
        Run r = run("recommend", "--model", model.toString(), "--user", "7", "-k", "5");
        assertEquals(0, r.status(), r.err());
        Set<String> seen = new HashSet<>();
        for (String line : Files.readAllLines(ratings)) {
            String[] f = line.split("\t");
            if (f[0].equals("7")) {
                seen.add(f[1]);
            }
        }
        String[] lines = r.out().strip().split("\n");
        assertTrue(lines[0].startsWith("top 5 for user 7 (" + seen.size() + " ratings in training"), lines[0]);
        assertEquals(7, lines.length, r.out());
        for (int k = 2; k < 7; k++) {
            String[] f = lines[k].trim().split("\\s+");
            assertFalse(seen.contains(f[1]), "item " + f[1] + " was rated by user 7");
            assertTrue(lines[k].contains("Film " + f[1]), "title shown: " + lines[k]);
        }
    }

    @Test
    void recommendAsJsonWithTitlesDecodedFromIso88591() throws IOException {
        Run r = run("recommend", "--model", model.toString(), "--user", "7", "-k", "60", "--include-seen", "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(60, j.get("recommendations").size());
        boolean found = false;
        for (JsonNode n : j.get("recommendations")) {
            found |= n.get("title").asText().equals("Film 1 Misérables");
        }
        assertTrue(found, "the Latin-1 title decoded: " + r.out());
    }

    @Test
    void evaluateCountsUnknownUsersAndItems() throws IOException {
        Path test = dir.resolve("new.tsv");
        Files.writeString(test, "7\t1\t4\t0\n8\t2\t3\t0\n999\t1\t5\t0\n7\t999\t2\t0\n");
        Run r = run("evaluate", "--model", model.toString(), "--ratings", test.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("4 ratings"), r.out());
        assertTrue(r.out().contains("scored   4"), "the baseline scores the cold pairs: " + r.out());
        assertTrue(r.out().contains("cold     2 (user unknown or unrated: 1, item: 1, both: 0) — predicted by the baseline"),
                r.out());
        Run d = run("evaluate", "--model", model.toString(), "--ratings", test.toString(), "--cold-start", "drop");
        assertTrue(d.out().contains("scored   2"), d.out());
        assertTrue(d.out().contains("— dropped, not scored"), d.out());
        Run j = run("evaluate", "--model", model.toString(), "--ratings", test.toString(), "--json", "--cold-start", "nan");
        assertEquals(0, j.status(), j.err());
        JsonNode n = new ObjectMapper().readTree(j.out());
        assertEquals(4, n.get("count").asInt());
        assertEquals("nan", n.get("cold_start").asText());
        assertEquals(1, n.get("cold_user").asInt());
        assertEquals(1, n.get("cold_item").asInt());
        assertEquals(4, n.get("total").asInt());
        assertTrue(n.get("rmse").isNull(), "NaN is written as null: " + j.out());
        Cli.assertOneLineError(run("evaluate", "--model", model.toString(), "--ratings", test.toString(), "--cold-start",
                "zero"), "--cold-start", "baseline, nan or drop");
    }

    @Test
    void csvWithNamedColumnsAndTheBaselines() throws IOException {
        Path csv = dir.resolve("ratings.csv");
        StringBuilder b = new StringBuilder("rating;item;user\n");
        for (String line : Files.readAllLines(ratings)) {
            String[] f = line.split("\t");
            b.append(f[2]).append(';').append(f[1]).append(';').append(f[0]).append('\n');
        }
        Files.writeString(csv, b);
        for (String kind : new String[] {"altmin", "dln", "c-dln"}) {
            Path out = dir.resolve(kind + ".cdln");
            Run r = run("complete", "--ratings", csv.toString(), "--format", "csv", "--delimiter", "semicolon", "--columns",
                    "user,item,rating", "--model", kind, "--out", out.toString(), "--no-progress", "--steps", "300",
                    "--rank-hat", "4", "--sweeps", "5");
            assertEquals(0, r.status(), kind + ": " + r.err());
            assertEquals(kind, CompletionModel.load(out).kind().label());
            Run e = run("evaluate", "--model", out.toString(), "--ratings", ratings.toString());
            assertEquals(0, e.status(), e.err());
            assertTrue(e.out().contains("cold     0"), e.out());
        }
    }

    @Test
    void malformedRatingsGiveFileAndLineInOneLine() throws IOException {
        Path bad = dir.resolve("bad.data");
        Files.writeString(bad, "1\t2\t3\t0\n1\t3\tfive\t0\n");
        Run r = run("complete", "--ratings", bad.toString(), "--out", dir.resolve("x.cdln").toString(), "--no-progress");
        assertEquals(2, r.status());
        assertEquals("cdln: bad.data:2: rating 'five' in column 3 is not a number: \"1\\t3\\tfive\\t0\"", r.err().strip());
        Path dup = dir.resolve("dup.data");
        Files.writeString(dup, "1\t2\t3\t0\n1\t2\t4\t0\n");
        Run strict = run("complete", "--ratings", dup.toString(), "--strict", "--out", dir.resolve("y.cdln").toString(),
                "--no-progress");
        assertEquals(2, strict.status());
        assertTrue(strict.err().startsWith("cdln: dup.data:2: user 1 rated item 2 again (first on line 1)"), strict.err());
        assertTrue(strict.err().contains("read without --strict to keep the last"), strict.err());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "complete --step 0|--step|> 0",
        "complete --step fast|--step|> 0 or auto",
        "complete --validation 0.7|--validation|[0, 0.5]",
        "complete --rank-hat 0|--rank-hat|[1, 40]",
        "complete --rank-hat 41|--rank-hat|[1, 40]",
        "complete --depth 1|--depth|≥ 2",
        "complete --model svd|--model|c-dln, dln or altmin",
        "complete --format parquet|--format|auto, movielens",
        "complete --columns user,item|--columns|3 or 4",
        "complete --centering median|--centering|none, mean or biases",
        "complete --k 0 --model altmin|--k|≥ 1",
        "complete --lambda -1 --model altmin|--lambda|≥ 0",
    })
    void badCompleteFlagsGiveOneLineNamingTheFlagAndRange(String flags, String flag, String range) {
        String[] extra = flags.split(" ");
        String[] args = new String[extra.length + 5];
        System.arraycopy(extra, 0, args, 0, extra.length);
        args[extra.length] = "--ratings";
        args[extra.length + 1] = ratings.toString();
        args[extra.length + 2] = "--out";
        args[extra.length + 3] = dir.resolve("never.cdln").toString();
        args[extra.length + 4] = "--no-progress";
        Cli.assertOneLineError(run(args), flag, range);
        assertFalse(Files.exists(dir.resolve("never.cdln")));
    }

    @Test
    void missingFilesAndUnknownUsersGiveOneLine() {
        Run r = run("complete", "--ratings", dir.resolve("nope.data").toString(), "--out", dir.resolve("x.cdln").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().strip().startsWith("cdln: --ratings: no ratings file"), r.err());
        r = run("recommend", "--model", model.toString(), "--user", "4000");
        assertEquals(2, r.status());
        assertTrue(r.err().strip().startsWith("cdln: unknown user '4000': the model knows 40 users"), r.err());
        r = run("recommend", "--model", ratings.toString(), "--user", "1");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("is not a cdln model file"), r.err());
        r = run("recommend", "--model", model.toString(), "--user", "1", "-k", "0");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("-k must be ≥ 1, got 0"), r.err());
    }
}
