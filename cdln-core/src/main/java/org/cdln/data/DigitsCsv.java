package org.cdln.data;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads scikit-learn's 8×8 digits ({@code digits.csv.gz}: one image per line, 64 comma-separated
 * pixel values 0..16 row-major, then the label 0..9; no header; gzip or plain). A copy of the UCI
 * "Optical Recognition of Handwritten Digits" test set (Alpaydin &amp; Kaynak 1998); it has no
 * official split, so use {@link ImageDataset#shuffleSplit}. Errors name the file, line and field.
 */
public final class DigitsCsv {
    /** Pixels per image (8×8). */
    public static final int PIXELS = 64;
    /** The largest pixel value. */
    public static final int MAX_VALUE = 16;

    private DigitsCsv() {
    }

    /**
     * Reads the file into a dataset named "sklearn-digits" with pixels scaled to [0, 1] (÷ 16).
     *
     * @throws IllegalArgumentException naming the file, line and field of the first bad value
     * @throws UncheckedIOException when the file is missing or cannot be read
     */
    public static ImageDataset read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("digits file " + file + " does not exist; expected digits.csv.gz "
                    + "(64 pixels 0..16 and a label per line)");
        }
        java.io.ByteArrayOutputStream px = new java.io.ByteArrayOutputStream(1797 * PIXELS);
        int[] labels = new int[2048];
        int n = 0;
        try (InputStream raw = new java.io.BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            boolean gz = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            InputStream in = gz ? new GZIPInputStream(raw) : raw;
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length != PIXELS + 1) {
                    throw new IllegalArgumentException(file + " line " + lineNo + ": " + f.length
                            + " fields, expected " + (PIXELS + 1) + " (64 pixels and a label)");
                }
                for (int k = 0; k <= PIXELS; k++) {
                    int v = parse(f[k], file, lineNo, k);
                    int max = k < PIXELS ? MAX_VALUE : 9;
                    if (v < 0 || v > max) {
                        throw new IllegalArgumentException(file + " line " + lineNo + " field " + (k + 1) + ": "
                                + v + " is outside [0, " + max + "]");
                    }
                    if (k < PIXELS) {
                        px.write(v);
                    } else {
                        if (n == labels.length) {
                            labels = java.util.Arrays.copyOf(labels, 2 * n);
                        }
                        labels[n++] = v;
                    }
                }
            }
        } catch (ZipException | EOFException e) {
            throw new IllegalArgumentException(file + " is a corrupt or truncated gzip file (" + e.getMessage()
                    + "); re-copy it", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
        }
        if (n == 0) {
            throw new IllegalArgumentException(file + " holds no images");
        }
        return ImageDataset.of("sklearn-digits", 8, 8, px.toByteArray(), java.util.Arrays.copyOf(labels, n), 10,
                MAX_VALUE);
    }

    private static int parse(String s, Path file, int line, int field) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + " line " + line + " field " + (field + 1) + ": '" + s
                    + "' is not an integer", e);
        }
    }
}
