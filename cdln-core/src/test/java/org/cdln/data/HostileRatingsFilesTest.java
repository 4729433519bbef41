package org.cdln.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ratings files as they come: gzip read transparently; binary data, a file without line breaks,
 * Java-only number syntax (3f, 4d, 0x1p3), infinite or absurd ratings each refused with one line
 * naming the file, the line and the problem — never "Input length = 1" or an OutOfMemoryError.
 */
class HostileRatingsFilesTest {
    @TempDir
    Path dir;

    private static final String TEXT = "1\t10\t4\t0\n1\t11\t3\t0\n2\t10\t5\t0\n3\t12\t1\t0\n";

    private RatingsFormatException refused(Path f) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> new RatingsReader(null, RatingsReader.Duplicates.LAST_WINS).readFile(f));
        assertTrue(e instanceof RatingsFormatException, e.getClass() + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(f.getFileName().toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return (RatingsFormatException) e;
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void gzipIsReadTransparently() throws IOException {
        Path plain = write("r.data", TEXT);
        Path gz = dir.resolve("r.data.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write(TEXT.getBytes(StandardCharsets.UTF_8));
        }
        Ratings a = new RatingsReader(null, RatingsReader.Duplicates.LAST_WINS).readFile(plain).ratings();
        Ratings b = new RatingsReader(null, RatingsReader.Duplicates.LAST_WINS).readFile(gz).ratings();
        assertEquals(a.size(), b.size());
        for (int k = 0; k < a.size(); k++) {
            assertEquals(a.rating(k), b.rating(k), 0.0);
        }
        // a truncated gzip file is named as such
        byte[] bytes = Files.readAllBytes(gz);
        Path cut = dir.resolve("cut.data.gz");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 12));
        assertTrue(refused(cut).getMessage().contains("gzip"));
    }

    @Test
    void binaryDataIsNamedAsNotUtf8WithTheLine() throws IOException {
        Path f = dir.resolve("bin.data");
        byte[] b = (TEXT + "4\t13\t").getBytes(StandardCharsets.UTF_8);
        byte[] all = java.util.Arrays.copyOf(b, b.length + 4);
        all[b.length] = (byte) 0xff;
        all[b.length + 1] = (byte) 0xfe;
        all[b.length + 2] = (byte) 0x80;
        all[b.length + 3] = '\n';
        Files.write(f, all);
        RatingsFormatException e = refused(f);
        assertTrue(e.getMessage().contains("not UTF-8") && e.getMessage().contains(":5"), e.getMessage());
    }

    @Test
    void aFileWithoutLineBreaksIsRefusedInBoundedMemory() throws IOException {
        Path f = dir.resolve("one-line.data");
        try (OutputStream o = Files.newOutputStream(f)) {
            byte[] chunk = "1\t2\t3\t".repeat(10_000).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 30; i++) {
                o.write(chunk); // 1.8 MB in one line
            }
        }
        assertTrue(refused(f).getMessage().contains("longer than"));
    }

    @Test
    void javaOnlyNumberSyntaxIsNotARating() throws IOException {
        for (String bad : new String[] {"3f", "4d", "0x1p3", "3.5F", "1_0"}) {
            Path f = write("bad.data", "1\t10\t4\t0\n1\t11\t" + bad + "\t0\n");
            RatingsFormatException e = refused(f);
            assertTrue(e.getMessage().contains("'" + bad + "'") && e.getMessage().contains(":2"), e.getMessage());
        }
        assertEquals(3.5, Numbers.parseDecimal("3.5"));
        assertEquals(1e-4, Numbers.parseDecimal("1e-4"));
        assertEquals(0.5, Numbers.parseDecimal(".5"));
        assertThrows(NumberFormatException.class, () -> Numbers.parseDecimal("3f"));
    }

    @Test
    void infiniteAndAbsurdRatingsAreRefused() throws IOException {
        for (String bad : new String[] {"1e308", "Infinity", "NaN", "-1e10"}) {
            Path f = write("big.data", "1\t10\t4\t0\n1\t11\t" + bad + "\t0\n");
            assertTrue(refused(f).getMessage().contains(bad), bad);
        }
    }
}
