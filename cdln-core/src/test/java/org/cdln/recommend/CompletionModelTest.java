package org.cdln.recommend;

import static org.cdln.recommend.DeepMatrixCompletion.MAX_STEPS;
import static org.cdln.recommend.DeepMatrixCompletion.RANK_HAT;
import static org.cdln.recommend.DeepMatrixCompletion.VALIDATION_FRACTION;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.cdln.data.Ratings;
import org.cdln.data.Splits;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fitted model: exact save/load, recommendations, evaluation with unknown ids, bad files. */
class CompletionModelTest {
    private static Splits.Split split;
    private static CompletionModel model;

    @BeforeAll
    static void fit() {
        split = SyntheticRatings.standardSplit();
        model = DeepMatrixCompletion.builder().set(RANK_HAT, 6).set(VALIDATION_FRACTION, 0.1).set(MAX_STEPS, 400L).build().fit(split.train());
    }

    private static double[] allPredictions(CompletionModel m) {
        double[] out = new double[m.users().size() * m.items().size()];
        int k = 0;
        for (int u = 0; u < m.users().size(); u++) {
            for (int i = 0; i < m.items().size(); i++) {
                out[k++] = m.score(u, i);
            }
        }
        return out;
    }

    @Test
    void saveLoadRoundTripGivesBitIdenticalPredictions(@TempDir Path dir) {
        Path f = dir.resolve("m.cdln");
        model.save(f);
        CompletionModel back = CompletionModel.load(f);
        double[] a = allPredictions(model);
        double[] b = allPredictions(back);
        for (int k = 0; k < a.length; k++) {
            assertEquals(Double.doubleToRawLongBits(a[k]), Double.doubleToRawLongBits(b[k]), "prediction " + k);
        }
        assertArrayEquals(model.predict(split.test()), back.predict(split.test()));
        assertEquals(model.settings(), back.settings());
        assertEquals(model.trajectory(), back.trajectory());
        assertEquals(model.baseline(), back.baseline());
        assertEquals(model.users(), back.users());
        assertEquals(model.items(), back.items());
        assertEquals(model.kind(), back.kind());
        assertEquals(model.clipMin(), back.clipMin());
        String user = model.users().id(3);
        assertEquals(model.recommend(user, 5, true), back.recommend(user, 5, true));
        assertEquals(model.evaluate(split.test()), back.evaluate(split.test()));
    }

    @Test
    void altMinModelsRoundTripToo(@TempDir Path dir) {
        CompletionModel a = new AltMin(new AltMin.Settings(3, 1.0, 3, 0.0, Centering.MEAN, 5, false, 0)).fit(split.train());
        a.save(dir.resolve("a.cdln"));
        CompletionModel b = CompletionModel.load(dir.resolve("a.cdln"));
        assertArrayEquals(allPredictions(a), allPredictions(b));
        assertTrue(Double.isNaN(b.clipMin()), "no clipping survives the round trip");
        assertEquals("altmin", b.kind().label());
    }

    @Test
    void recommendationsExcludeSeenItemsAndAreOrderedByScore() {
        for (int u = 0; u < model.users().size(); u += 7) {
            String user = model.users().id(u);
            Set<Integer> seen = new HashSet<>();
            for (int k = 0; k < split.train().size(); k++) {
                if (split.train().userIndex(k) == u) {
                    seen.add(split.train().itemIndex(k));
                }
            }
            int unseen = model.items().size() - seen.size();
            List<Recommendation> recs = model.recommend(user, 1000, true);
            assertEquals(unseen, recs.size(), "every unseen item and only those");
            for (int k = 0; k < recs.size(); k++) {
                assertFalse(seen.contains(recs.get(k).itemIndex()), "user " + user + " rated " + recs.get(k).itemId());
                assertEquals(model.items().indexOf(recs.get(k).itemId()), recs.get(k).itemIndex());
                if (k > 0) {
                    assertTrue(recs.get(k - 1).score() >= recs.get(k).score());
                }
            }
            List<Recommendation> top = model.recommend(user, 5, true);
            assertEquals(recs.subList(0, 5), top);
            List<Recommendation> all = model.recommend(user, 1000, false);
            assertEquals(model.items().size(), all.size(), "with seen items included");
        }
    }

    @Test
    void predictionsMatchTheFactorsAndClip() {
        int u = 2;
        int i = 5;
        double dot = 0;
        for (int c = 0; c < model.rank(); c++) {
            dot += model.userFactors().get(u, c) * model.itemFactors().get(c, i);
        }
        assertEquals(model.baseline().predict(u, i) + dot, model.score(u, i), 1e-12);
        double clipped = Math.max(model.clipMin(), Math.min(model.clipMax(), model.score(u, i)));
        assertEquals(clipped, model.predict(model.users().id(u), model.items().id(i)));
    }

    @Test
    void evaluationCountsUnknownUsersAndItemsInsteadOfDroppingThem() {
        Ratings.Builder b = Ratings.builder("new.csv");
        b.add(model.users().id(0), model.items().id(0), 4);
        b.add(model.users().id(1), model.items().id(2), 2);
        b.add("stranger", model.items().id(0), 3);
        b.add(model.users().id(0), "new-item", 3);
        b.add("stranger", "new-item", 1);
        RatingMetrics m = model.evaluate(b.build());
        assertEquals(2, m.count());
        assertEquals(1, m.unknownUserOnly());
        assertEquals(1, m.unknownItemOnly());
        assertEquals(1, m.unknownBoth());
        assertEquals(5, m.total());
        double e0 = model.predict(0, 0) - 4;
        double e1 = model.predict(1, 2) - 2;
        assertEquals(Math.sqrt((e0 * e0 + e1 * e1) / 2), m.rmse(), 1e-12);
        assertEquals((Math.abs(e0) + Math.abs(e1)) / 2, m.mae(), 1e-12);
        double[] p = model.predict(new String[] {"stranger", model.users().id(0)}, new String[] {model.items().id(0),
            model.items().id(0)});
        assertTrue(Double.isNaN(p[0]));
        assertEquals(model.predict(0, 0), p[1]);
    }

    @Test
    void unknownIdsAndBadCountsGiveOneLineErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.predict("nobody", "1"));
        assertTrue(e.getMessage().startsWith("unknown user 'nobody': the model knows 60 users"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> model.recommend(model.users().id(0), 0, true));
        assertTrue(e.getMessage().contains("must be ≥ 1, got 0"), e.getMessage());
    }

    @Test
    void fileThatIsNotAModelIsRejected(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("ratings.txt");
        Files.writeString(f, "1\t2\t3\t4\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CompletionModel.load(f));
        assertTrue(e.getMessage().contains("is not a cdln model file (it does not start with \"CDLNMODL\")"), e.getMessage());
    }

    @Test
    void newerFormatVersionIsRejectedWithAdvice(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("m.cdln");
        model.save(f);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(8);
            raf.writeInt(ModelFile.VERSION + 1);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CompletionModel.load(f));
        assertTrue(e.getMessage().contains("has cdln model format version " + (ModelFile.VERSION + 1) + "; this cdln "
                + "reads versions 1 to " + ModelFile.VERSION + ": use a newer cdln"), e.getMessage());
    }

    @Test
    void corruptedOrTruncatedFilesAreRejected(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("m.cdln");
        model.save(f);
        byte[] bytes = Files.readAllBytes(f);
        byte[] flipped = bytes.clone();
        flipped[bytes.length / 2] ^= 0x10;
        Path g = dir.resolve("flipped.cdln");
        Files.write(g, flipped);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CompletionModel.load(g));
        assertTrue(e.getMessage().contains("is not a valid cdln model") || e.getMessage().contains("truncated"),
                e.getMessage());
        Path h = dir.resolve("short.cdln");
        Files.write(h, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        e = assertThrows(IllegalArgumentException.class, () -> CompletionModel.load(h));
        assertTrue(e.getMessage().contains("is truncated"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CompletionModel.load(dir.resolve("missing.cdln")));
        assertTrue(e.getMessage().startsWith("no model file "), e.getMessage());
    }

    @Test
    void fileStartsWithMagicAndVersion(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("m.cdln");
        model.save(f);
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(f), 12);
        assertEquals("CDLNMODL", new String(head, 0, 8, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(ModelFile.VERSION, java.nio.ByteBuffer.wrap(head, 8, 4).getInt());
        assertEquals(2, ModelFile.VERSION, "version 2: the settings are a typed record");
    }
}
