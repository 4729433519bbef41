package org.cdln.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported files read back by a parser written here from the NumPy format description (not
 * by the writer's code), and the stated formula reproduces the model's predictions.
 */
class ModelExportTest {
    private static final CompletionModel MODEL = new AltMin(AltMin.DEFAULTS.with(3, 1.0))
            .fit(SyntheticRatings.standardSplit().train());

    /** A parsed .npy: shape and data. */
    record Npy(int[] shape, double[] data) {
    }

    /** Parses a .npy file: magic, version 1.0, uint16 LE header length, the dict, float64 LE data. */
    static Npy readNpy(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        assertEquals((byte) 0x93, b[0]);
        assertEquals("NUMPY", new String(b, 1, 5, StandardCharsets.US_ASCII));
        assertEquals(1, b[6], "major version");
        assertEquals(0, b[7], "minor version");
        int hl = (b[8] & 0xff) | (b[9] & 0xff) << 8;
        assertEquals(0, (10 + hl) % 64, "data starts 64-byte aligned");
        String header = new String(b, 10, hl, StandardCharsets.US_ASCII);
        assertTrue(header.endsWith("\n"), header);
        assertTrue(header.contains("'descr': '<f8'"), header);
        assertTrue(header.contains("'fortran_order': False"), header);
        Matcher m = Pattern.compile("'shape': \\(([0-9]+),\\s*([0-9]*)\\)").matcher(header);
        assertTrue(m.find(), header);
        int[] shape = m.group(2).isEmpty() ? new int[] {Integer.parseInt(m.group(1))}
                : new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
        long n = shape.length == 1 ? shape[0] : (long) shape[0] * shape[1];
        assertEquals(10 + hl + 8 * n, b.length, "header plus n doubles");
        ByteBuffer buf = ByteBuffer.wrap(b, 10 + hl, (int) (8 * n)).order(ByteOrder.LITTLE_ENDIAN);
        double[] d = new double[(int) n];
        for (int q = 0; q < n; q++) {
            d[q] = buf.getDouble();
        }
        return new Npy(shape, d);
    }

    private static double jsonNumber(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": ([-0-9.eE+]+)").matcher(json);
        assertTrue(m.find(), key + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void npyFilesReadBackAndReproduceThePredictions(@TempDir Path dir) throws IOException {
        ModelExport.write(MODEL, ModelExport.Format.NPY, dir);
        Npy u = readNpy(dir.resolve("user_factors.npy"));
        Npy v = readNpy(dir.resolve("item_factors.npy"));
        Npy bu = readNpy(dir.resolve("user_bias.npy"));
        Npy bi = readNpy(dir.resolve("item_bias.npy"));
        int d1 = MODEL.users().size();
        int d2 = MODEL.items().size();
        int k = MODEL.rank();
        assertArrayEquals(new int[] {d1, k}, u.shape());
        assertArrayEquals(new int[] {d2, k}, v.shape());
        assertArrayEquals(new int[] {d1}, bu.shape());
        assertArrayEquals(new int[] {d2}, bi.shape());
        List<String> userIds = Files.readAllLines(dir.resolve("user_ids.txt"));
        List<String> itemIds = Files.readAllLines(dir.resolve("item_ids.txt"));
        assertEquals(MODEL.users().ids(), userIds);
        assertEquals(MODEL.items().ids(), itemIds);
        String json = Files.readString(dir.resolve("model.json"));
        double mu = jsonNumber(json, "global_mean");
        double lo = jsonNumber(json, "clip_min");
        double hi = jsonNumber(json, "clip_max");
        for (int r = 0; r < d1; r++) {
            for (int i = 0; i < d2; i++) {
                double dot = 0;
                for (int c = 0; c < k; c++) {
                    dot += u.data()[r * k + c] * v.data()[i * k + c];
                }
                double p = Math.max(lo, Math.min(hi, mu + bu.data()[r] + bi.data()[i] + dot));
                assertEquals(MODEL.predict(userIds.get(r), itemIds.get(i)), p, 1e-12);
            }
        }
        assertTrue(Files.readString(dir.resolve("README.txt")).contains("clip(mu + user_bias[u] + item_bias[i]"));
    }

    @Test
    void csvFilesHoldExactDoubles(@TempDir Path dir) throws IOException {
        ModelExport.write(MODEL, ModelExport.Format.CSV, dir);
        List<String> rows = Files.readAllLines(dir.resolve("item_factors.csv"));
        assertEquals("id,f1,f2,f3", rows.get(0));
        assertEquals(MODEL.items().size() + 1, rows.size());
        String[] f = rows.get(5).split(",");
        assertEquals(MODEL.items().id(4), f[0]);
        for (int c = 0; c < 3; c++) {
            assertEquals(MODEL.itemFactors().get(c, 4), Double.parseDouble(f[c + 1]), 0.0, "exact round trip");
        }
        List<String> bias = Files.readAllLines(dir.resolve("user_bias.csv"));
        assertEquals("id,bias", bias.get(0));
        assertEquals(MODEL.baseline().userBiasAt(2), Double.parseDouble(bias.get(3).split(",")[1]), 0.0);
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }
}
