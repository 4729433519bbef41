package org.cdln.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scikit-learn digits reader: synthetic lines, bad fields, and the shared file when present. */
class DigitsCsvTest {
    @TempDir
    Path dir;

    private static String line(int fill, int label) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < 64; k++) {
            b.append(k == 0 ? "" : ",").append(k == 5 ? 16 : fill);
        }
        return b.append(',').append(label).toString();
    }

    @Test
    void readsGzipLinesScaledBySixteen() {
        String text = line(0, 3) + "\n" + line(8, 9) + "\n";
        Path p = IdxFiles.write(dir, "d.csv.gz", IdxFiles.gzip(text.getBytes(StandardCharsets.US_ASCII)));
        ImageDataset d = DigitsCsv.read(p);
        assertEquals(2, d.size());
        assertEquals(64, d.features());
        assertArrayEquals(new int[] {3, 9}, d.labels());
        assertEquals(1.0, d.value(0, 5), 0);
        assertEquals(0.5, d.value(1, 0), 0);
    }

    @Test
    void badFieldsNameFileLineAndField() throws Exception {
        Path p = dir.resolve("bad.csv");
        Files.writeString(p, line(0, 1) + "\n" + line(0, 1).replaceFirst("^0", "x") + "\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DigitsCsv.read(p));
        assertTrue(e.getMessage().contains("line 2 field 1") && e.getMessage().contains("'x'"), e.getMessage());
        Files.writeString(p, line(17, 1) + "\n");
        e = assertThrows(IllegalArgumentException.class, () -> DigitsCsv.read(p));
        assertTrue(e.getMessage().contains("17 is outside [0, 16]"), e.getMessage());
        Files.writeString(p, "1,2,3\n");
        e = assertThrows(IllegalArgumentException.class, () -> DigitsCsv.read(p));
        assertTrue(e.getMessage().contains("3 fields, expected 65"), e.getMessage());
    }

    @Test
    void theSharedDigitsHaveTheDocumentedCounts() {
        Optional<Path> folder = TestData.dataset("sklearn-digits");
        Assumptions.assumeTrue(folder.isPresent(), "shared/data/sklearn-digits not found: set -Dcdln.data or "
                + "check out ../shared beside the project");
        ImageDataset d = DigitsCsv.read(folder.get().resolve("digits.csv.gz"));
        assertEquals(1797, d.size());
        assertArrayEquals(new int[] {178, 182, 177, 183, 181, 182, 181, 179, 174, 180}, d.classCounts());
    }
}
