package org.cdln.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST: a big-endian header
 * {@code 0x00 0x00 type ndims}, then {@code ndims} big-endian int dimensions, then the
 * unsigned-byte payload in row-major order (LeCun et al.). Only type {@code 0x08} (unsigned byte)
 * is supported. Files may be gzip-compressed (detected from the {@code 1f 8b} signature) or raw.
 *
 * <p>Every check names the file and what was expected: the magic number, the number of dimensions,
 * and the exact payload size; a truncated payload, a corrupt gzip stream or trailing bytes after
 * the payload are errors ({@link IdxFormatException}), never silently accepted.
 * Cost: one pass over the file, O(payload) memory.
 */
public final class IdxReader {
    /** Magic number of an image file: unsigned bytes, 3 dimensions (count, rows, cols). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of a label file: unsigned bytes, 1 dimension (count). */
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {
    }

    /**
     * The contents of one IDX file.
     *
     * @param file the file it came from
     * @param dims the dimensions, outermost first (e.g. {60000, 28, 28})
     * @param data the payload, row-major, length = product of dims (unsigned: use {@code b & 0xFF})
     */
    public record Idx(Path file, int[] dims, byte[] data) {
        public Idx {
            dims = dims.clone();
        }

        @Override
        public int[] dims() {
            return dims.clone();
        }

        /** The outermost dimension: the number of items. */
        public int count() {
            return dims[0];
        }
    }

    /** Thrown when a file is not a well-formed IDX file; the message names the file and what was expected. */
    public static final class IdxFormatException extends UncheckedIOException {
        private static final long serialVersionUID = 1L;

        IdxFormatException(String message, IOException cause) {
            super(message, cause);
        }

        IdxFormatException(String message) {
            this(message, new IOException(message));
        }
    }

    /**
     * Reads an image file (magic {@code 0x00000803}: n × rows × cols unsigned bytes).
     *
     * @throws IdxFormatException when the file is missing, truncated, corrupt, or not an image file
     */
    public static Idx readImages(Path file) {
        return read(file, IMAGES_MAGIC, "images (n × rows × cols unsigned bytes)");
    }

    /**
     * Reads a label file (magic {@code 0x00000801}: n unsigned bytes).
     *
     * @throws IdxFormatException when the file is missing, truncated, corrupt, or not a label file
     */
    public static Idx readLabels(Path file) {
        return read(file, LABELS_MAGIC, "labels (n unsigned bytes)");
    }

    /**
     * Reads an IDX file and checks its magic number.
     *
     * @param expectedMagic the magic number the file must carry
     * @param what          what the file should hold, for messages
     */
    public static Idx read(Path file, int expectedMagic, String what) {
        if (!Files.isRegularFile(file)) {
            throw new IdxFormatException("IDX file " + file + " does not exist or is not a file; expected "
                    + what + " (give the folder that holds the four IDX files)");
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            InputStream in = openMaybeGzip(raw, file);
            return parse(in, file, expectedMagic, what);
        } catch (IdxFormatException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new IdxFormatException("IDX file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new IdxFormatException("could not read IDX file " + file + ": " + e.getMessage(), e);
        }
    }

    private static InputStream openMaybeGzip(InputStream raw, Path file) throws IOException {
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
            } catch (ZipException | EOFException e) {
                throw new IdxFormatException(file + " has a corrupt gzip header (" + e.getMessage()
                        + "); re-copy the file", e);
            }
        }
        return raw;
    }

    private static Idx parse(InputStream in, Path file, int expectedMagic, String what) throws IOException {
        byte[] head = new byte[4];
        int got = readFully(in, head, 0, 4, file, "the 4-byte IDX magic number", 4);
        if (got < 4) {
            throw new IdxFormatException(file + " is truncated: the IDX header needs at least 4 bytes, got " + got);
        }
        int magic = ((head[0] & 0xFF) << 24) | ((head[1] & 0xFF) << 16) | ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
        if (magic != expectedMagic) {
            throw new IdxFormatException(String.format(Locale.ROOT,
                    "%s has magic number 0x%08X, expected 0x%08X for %s; is it the right file?",
                    file, magic, expectedMagic, what));
        }
        int ndims = expectedMagic & 0xFF;
        int headerBytes = 4 + 4 * ndims;
        byte[] dimBytes = new byte[4 * ndims];
        got = readFully(in, dimBytes, 0, dimBytes.length, file, "the IDX header", headerBytes);
        if (got < dimBytes.length) {
            throw new IdxFormatException(file + " is truncated: the IDX header needs " + headerBytes + " bytes, got "
                    + (4 + got));
        }
        int[] dims = new int[ndims];
        long size = 1;
        for (int i = 0; i < ndims; i++) {
            int o = 4 * i;
            dims[i] = ((dimBytes[o] & 0xFF) << 24) | ((dimBytes[o + 1] & 0xFF) << 16)
                    | ((dimBytes[o + 2] & 0xFF) << 8) | (dimBytes[o + 3] & 0xFF);
            if (dims[i] < 0) {
                throw new IdxFormatException(file + ": dimension " + i + " is " + dims[i] + " (negative); the file is corrupt");
            }
            size *= dims[i];
        }
        if (size > Integer.MAX_VALUE - 8L) {
            throw new IdxFormatException(file + ": the header declares " + shape(dims) + " = " + size
                    + " bytes, more than one array holds; the file is corrupt or too large");
        }
        byte[] data = new byte[(int) size];
        long expectedTotal = headerBytes + size;
        got = readFully(in, data, 0, data.length, file, "the payload", expectedTotal);
        if (got < data.length) {
            throw new IdxFormatException(String.format(Locale.ROOT,
                    "%s is truncated: expected %,d bytes of data (%s) after the %d-byte header, %,d bytes in all, "
                            + "but the data ends after %,d; re-copy the file",
                    file, size, shape(dims), headerBytes, expectedTotal, got));
        }
        long extra = 0;
        byte[] probe = new byte[4096];
        try {
            int r;
            while ((r = in.read(probe)) > 0) {
                extra += r;
            }
        } catch (ZipException | EOFException e) {
            // the payload was complete; a damaged gzip trailer after it is still an error
            throw new IdxFormatException(file + " is corrupt after its " + String.format(Locale.ROOT, "%,d", expectedTotal)
                    + " expected bytes (gzip: " + e.getMessage() + "); re-copy the file", e);
        }
        if (extra > 0) {
            throw new IdxFormatException(String.format(Locale.ROOT,
                    "%s has %,d bytes after the expected %,d (header %d + data %s); it is not a single IDX file",
                    file, extra, expectedTotal, headerBytes, shape(dims)));
        }
        return new Idx(file, dims, data);
    }

    /**
     * Reads up to len bytes, returning how many arrived before the end of the stream; a corrupt gzip
     * stream becomes an {@link IdxFormatException} naming the expected size.
     */
    private static int readFully(InputStream in, byte[] buf, int off, int len, Path file, String part,
                                 long expectedTotal) throws IOException {
        int done = 0;
        try {
            while (done < len) {
                int r = in.read(buf, off + done, len - done);
                if (r < 0) {
                    break;
                }
                done += r;
            }
        } catch (ZipException | EOFException e) {
            throw new IdxFormatException(String.format(Locale.ROOT,
                    "%s is corrupt or truncated (gzip: %s) while reading %s; expected %,d bytes of IDX data; re-copy the file",
                    file, e.getMessage(), part, expectedTotal), e);
        }
        return done;
    }

    private static String shape(int[] dims) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            b.append(i == 0 ? "" : "×").append(dims[i]);
        }
        return dims.length == 0 ? "scalar" : b.toString();
    }
}
