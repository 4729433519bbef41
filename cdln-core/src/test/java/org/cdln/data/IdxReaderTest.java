package org.cdln.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX parsing, and the errors on missing, truncated and corrupt files (files made in the test). */
class IdxReaderTest {
    @TempDir
    Path dir;

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    @Test
    void readsGzipAndRawImagesWithTheirDims() {
        byte[] px = randomBytes(5 * 3 * 4, 1);
        byte[] file = IdxFiles.idx(IdxReader.IMAGES_MAGIC, new int[] {5, 3, 4}, px);
        for (Path p : new Path[] {IdxFiles.write(dir, "a.gz", IdxFiles.gzip(file)), IdxFiles.write(dir, "a", file)}) {
            IdxReader.Idx idx = IdxReader.readImages(p);
            assertArrayEquals(new int[] {5, 3, 4}, idx.dims());
            assertArrayEquals(px, idx.data());
            assertEquals(5, idx.count());
        }
    }

    @Test
    void readsLabels() {
        byte[] y = {0, 9, 3, (byte) 200};
        IdxReader.Idx idx = IdxReader.readLabels(IdxFiles.write(dir, "l.gz",
                IdxFiles.gzip(IdxFiles.idx(IdxReader.LABELS_MAGIC, new int[] {4}, y))));
        assertArrayEquals(new int[] {4}, idx.dims());
        assertEquals(200, idx.data()[3] & 0xFF);
    }

    @Test
    void truncatedPayloadNamesFileAndExpectedSize() {
        byte[] full = IdxFiles.idx(IdxReader.IMAGES_MAGIC, new int[] {10, 28, 28}, randomBytes(7840, 2));
        byte[] cut = Arrays.copyOf(full, 16 + 5000);
        for (Path p : new Path[] {IdxFiles.write(dir, "cut", cut), IdxFiles.write(dir, "cut.gz", IdxFiles.gzip(cut))}) {
            IdxReader.IdxFormatException e = assertThrows(IdxReader.IdxFormatException.class,
                    () -> IdxReader.readImages(p));
            assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
            assertTrue(e.getMessage().contains("7,840 bytes"), e.getMessage());
            assertTrue(e.getMessage().contains("10×28×28"), e.getMessage());
            assertTrue(e.getMessage().contains("5,000"), e.getMessage());
        }
    }

    @Test
    void truncatedGzipStreamNamesFileAndExpectedSize() {
        byte[] gz = IdxFiles.gzip(IdxFiles.idx(IdxReader.IMAGES_MAGIC, new int[] {200, 28, 28},
                randomBytes(200 * 784, 3)));
        Path p = IdxFiles.write(dir, "half.gz", Arrays.copyOf(gz, gz.length / 2));
        IdxReader.IdxFormatException e = assertThrows(IdxReader.IdxFormatException.class, () -> IdxReader.readImages(p));
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("156,816 bytes"), e.getMessage());
    }

    @Test
    void corruptGzipStreamIsAnErrorNamingTheFile() {
        byte[] gz = IdxFiles.gzip(IdxFiles.idx(IdxReader.IMAGES_MAGIC, new int[] {50, 28, 28},
                new byte[50 * 784]));
        for (int i = 20; i < gz.length - 20; i++) {
            gz[i] = (byte) 0xFF;
        }
        Path p = IdxFiles.write(dir, "bad.gz", gz);
        IdxReader.IdxFormatException e = assertThrows(IdxReader.IdxFormatException.class, () -> IdxReader.readImages(p));
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("corrupt") || e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void truncatedHeaderAndEmptyFile() {
        Path p = IdxFiles.write(dir, "head", Arrays.copyOf(IdxFiles.idx(IdxReader.IMAGES_MAGIC,
                new int[] {1, 2, 2}, new byte[4]), 9));
        IdxReader.IdxFormatException e = assertThrows(IdxReader.IdxFormatException.class, () -> IdxReader.readImages(p));
        assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("16 bytes"), e.getMessage());
        Path empty = IdxFiles.write(dir, "empty", new byte[0]);
        e = assertThrows(IdxReader.IdxFormatException.class, () -> IdxReader.readLabels(empty));
        assertTrue(e.getMessage().contains(empty.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void wrongMagicSaysWhichWasExpected() {
        Path p = IdxFiles.write(dir, "labels-as-images", IdxFiles.idx(IdxReader.LABELS_MAGIC, new int[] {3},
                new byte[3]));
        IdxReader.IdxFormatException e = assertThrows(IdxReader.IdxFormatException.class, () -> IdxReader.readImages(p));
        assertTrue(e.getMessage().contains("0x00000801") && e.getMessage().contains("0x00000803"), e.getMessage());
    }

    @Test
    void trailingBytesAreAnError() {
        byte[] f = IdxFiles.idx(IdxReader.LABELS_MAGIC, new int[] {3}, new byte[5]);
        Path p = IdxFiles.write(dir, "long.gz", IdxFiles.gzip(f));
        IdxReader.IdxFormatException e = assertThrows(IdxReader.IdxFormatException.class, () -> IdxReader.readLabels(p));
        assertTrue(e.getMessage().contains("2 bytes after the expected 11"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        Path p = dir.resolve("nope.gz");
        IdxReader.IdxFormatException e = assertThrows(IdxReader.IdxFormatException.class, () -> IdxReader.readImages(p));
        assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void folderLoaderChecksCountsAndLabels(@TempDir Path folder) {
        IdxFiles.syntheticFolder(folder, 30, 20, 5);
        ImageDataset.Split s = ImageDataset.fromIdxFolder(folder);
        assertEquals(30, s.train().size());
        assertEquals(20, s.test().size());
        assertEquals(784, s.train().features());
        // a label file with one label fewer than images
        IdxFiles.write(folder, "t10k-labels-idx1-ubyte.gz", IdxFiles.gzip(IdxFiles.idx(IdxReader.LABELS_MAGIC,
                new int[] {19}, new byte[19])));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageDataset.fromIdxFolder(folder));
        assertTrue(e.getMessage().contains("20 images") && e.getMessage().contains("19 labels"), e.getMessage());
        // a label outside 0..9
        byte[] bad = new byte[20];
        bad[7] = 10;
        IdxFiles.write(folder, "t10k-labels-idx1-ubyte.gz", IdxFiles.gzip(IdxFiles.idx(IdxReader.LABELS_MAGIC,
                new int[] {20}, bad)));
        e = assertThrows(IllegalArgumentException.class, () -> ImageDataset.fromIdxFolder(folder));
        assertTrue(e.getMessage().contains("label 10 of item 7"), e.getMessage());
    }

    @Test
    void missingFolderOrFileIsNamed(@TempDir Path folder) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageDataset.fromIdxFolder(folder.resolve("absent")));
        assertTrue(e.getMessage().contains("absent") && e.getMessage().contains("does not exist"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ImageDataset.fromIdxFolder(folder));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
    }
}
