package org.cdln.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import org.cdln.data.Splits;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model file's settings are a typed, versioned record: each setting is stored with its declared
 * type and read back through its declaration; an unknown setting, a wrong type, a refused value, a
 * missing setting or a newer declarations version is refused with a message that names it.
 */
class ModelFileSettingsTest {
    private static CompletionModel model;

    @BeforeAll
    static void fit() {
        Splits.Split s = SyntheticRatings.standardSplit();
        model = DeepMatrixCompletion.builder().set(DeepMatrixCompletion.RANK_HAT, 3)
                .set(DeepMatrixCompletion.MAX_STEPS, 10L).build().fit(s.train());
    }

    @Test
    void theTypedRecordAndTheTextViewSurviveSaveAndLoad(@TempDir Path dir) {
        Path f = dir.resolve("m.cdln");
        model.save(f);
        CompletionModel back = CompletionModel.load(f);
        assertEquals(model.declaredSettings(), back.declaredSettings());
        assertEquals(new java.util.ArrayList<>(model.settings().entrySet()),
                new java.util.ArrayList<>(back.settings().entrySet()), "the same text view, in the same order");
        assertEquals(model.record().provenance(), back.record().provenance());
        assertTrue(!back.record().provenance().containsKey("rank_hat"), "declared settings are not provenance");
    }

    @Test
    void anUnknownSettingIsRefusedByName(@TempDir Path dir) throws IOException {
        byte[] b = saved(dir);
        replaceUtf(b, "patience", "patiense");
        assertRefused(dir, b, "names 'patiense', which deep matrix completion v1 does not declare");
    }

    @Test
    void aSettingOfAnotherTypeIsRefused(@TempDir Path dir) throws IOException {
        byte[] b = saved(dir);
        int at = utf(b, "maxSteps", 0) + 2 + "maxSteps".length();
        replaceUtfAt(b, at, "long", "enum");
        assertRefused(dir, b, "maxSteps is recorded as enum, but it is declared long");
    }

    @Test
    void aValueTheDeclarationRefusesIsRefusedWithItsRange(@TempDir Path dir) throws IOException {
        byte[] b = saved(dir);
        int at = utf(b, "depth", 0) + 2 + "depth".length() + 2 + "int".length() + 1;
        ByteBuffer.wrap(b, at, 4).putInt(1);
        assertRefused(dir, b, "depth must be ≥ 2, got 1");
    }

    @Test
    void aNewerDeclarationsVersionAsksForANewerCdln(@TempDir Path dir) throws IOException {
        byte[] b = saved(dir);
        String schema = DeepMatrixCompletion.SCHEMA.name();
        int at = utf(b, schema, 0) + 2 + schema.getBytes(StandardCharsets.UTF_8).length;
        ByteBuffer.wrap(b, at, 4).putInt(DeepMatrixCompletion.SCHEMA.version() + 1);
        assertRefused(dir, b, "use a newer cdln");
    }

    @Test
    void aTextRecordWithoutSomeSettingsIsRefusedNamingThem() {
        Map<String, String> text = new LinkedHashMap<>(model.settings());
        text.remove("alpha");
        text.remove("seed");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSettings.fromText(text));
        assertTrue(e.getMessage().contains("lacks alpha, seed"), e.getMessage());
        text.put("alpha", "-4");
        text.put("seed", "1");
        e = assertThrows(IllegalArgumentException.class, () -> ModelSettings.fromText(text));
        assertTrue(e.getMessage().contains("alpha α must be a finite number > 0"), e.getMessage());
    }

    private static byte[] saved(Path dir) throws IOException {
        Path f = dir.resolve("m.cdln");
        model.save(f);
        return Files.readAllBytes(f);
    }

    private static void assertRefused(Path dir, byte[] b, String why) throws IOException {
        // a deliberate edit, not damage: the trailing CRC-32 is written again so that the reader reaches the settings
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 8);
        ByteBuffer.wrap(b, b.length - 8, 8).putLong(crc.getValue());
        Path g = dir.resolve("edited.cdln");
        Files.write(g, b);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CompletionModel.load(g));
        assertTrue(e.getMessage().contains(why), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    /** The offset of the 2-byte length of a modified-UTF-8 string equal to {@code s}, from {@code from}. */
    private static int utf(byte[] b, String s, int from) {
        byte[] t = s.getBytes(StandardCharsets.UTF_8);
        for (int i = from; i + 2 + t.length <= b.length; i++) {
            if ((b[i] & 0xff) == (t.length >> 8) && (b[i + 1] & 0xff) == (t.length & 0xff)
                    && java.util.Arrays.equals(b, i + 2, i + 2 + t.length, t, 0, t.length)) {
                return i;
            }
        }
        throw new AssertionError("no '" + s + "' in the file");
    }

    private static void replaceUtf(byte[] b, String from, String to) {
        replaceUtfAt(b, utf(b, from, 0), from, to);
    }

    private static void replaceUtfAt(byte[] b, int at, String from, String to) {
        byte[] f = from.getBytes(StandardCharsets.UTF_8);
        byte[] t = to.getBytes(StandardCharsets.UTF_8);
        assertEquals(f.length, t.length);
        assertEquals(f.length, ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff), "a string of that length at " + at);
        System.arraycopy(t, 0, b, at + 2, t.length);
    }
}
