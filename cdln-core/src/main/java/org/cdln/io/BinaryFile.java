package org.cdln.io;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.UTFDataFormatException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The one binary container of cdln's files (model files and checkpoints): big-endian, as
 * {@link DataOutputStream} writes,
 *
 * <pre>
 * magic     8 ASCII bytes, naming the kind of file
 * version   int32
 * body      the kind's fields
 * checksum  int64: CRC-32 of every byte before it
 * </pre>
 *
 * written through {@link AtomicFile} (a temporary sibling renamed into place when complete). The
 * reader checks the magic, the version range, the checksum and that nothing follows it, and
 * hands the body to the kind's parser through an {@link Input} that bounds every count by the
 * bytes the file can hold, so a corrupt length is a one-line error naming the file, never a
 * gigabyte allocation or a {@code NegativeArraySizeException}. Versions older than
 * {@link Format#firstChecksummedVersion()} were written without the checksum and are read
 * without it. Cost: one pass over the bytes each way.
 */
public final class BinaryFile {
    private BinaryFile() {
    }

    /**
     * What a kind of file looks like.
     *
     * @param magic                   the first 8 bytes
     * @param what                    the name in messages, e.g. "cdln model"
     * @param version                 the version written, and the newest read
     * @param oldestVersion           the oldest version read
     * @param firstChecksummedVersion the first version that ends with the checksum
     * @param fix                     what to do about a corrupt file, e.g. "save the model again"
     */
    public record Format(String magic, String what, int version, int oldestVersion, int firstChecksummedVersion,
                         String fix) {
        public Format {
            if (magic.getBytes(StandardCharsets.US_ASCII).length != 8) {
                throw new IllegalArgumentException("a magic has 8 ASCII characters, got '" + magic + "'");
            }
        }

        byte[] magicBytes() {
            return magic.getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** Writes a body. */
    @FunctionalInterface
    public interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    /** Reads a body. */
    @FunctionalInterface
    public interface Parser<T> {
        T read(Input in) throws IOException;
    }

    /** Writes magic, version, body and checksum to {@code file}, atomically. */
    public static void write(Path file, Format format, Body body) {
        AtomicFile.write(file, raw -> {
            CRC32 crc = new CRC32();
            DataOutputStream out = new DataOutputStream(new CheckedOutputStream(raw, crc));
            out.write(format.magicBytes());
            out.writeInt(format.version());
            body.write(out);
            out.flush();
            new DataOutputStream(raw).writeLong(crc.getValue());
            raw.flush();
        });
    }

    /**
     * Reads a file of this format.
     *
     * @throws IllegalArgumentException with one line naming the file when it is missing, a folder,
     *                                  of another kind or version, corrupt or truncated
     */
    public static <T> T read(Path file, Format format, Parser<T> parser) {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + " is a folder, not a " + format.what() + " file");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no " + format.what() + " file " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
        }
        try (InputStream raw = Files.newInputStream(file)) {
            CRC32 crc = new CRC32();
            // the checksum sees exactly the bytes the data stream consumed (the buffer sits below it)
            DataInputStream in = new DataInputStream(new CheckedInputStream(new BufferedInputStream(raw, 1 << 16), crc));
            Input input = new Input(in, file, size, format);
            byte[] magic = new byte[8];
            int got = in.readNBytes(magic, 0, 8);
            if (got < 8 && Arrays.equals(Arrays.copyOf(magic, got), Arrays.copyOf(format.magicBytes(), got))) {
                throw new EOFException();
            }
            if (got < 8 || !Arrays.equals(magic, format.magicBytes())) {
                throw new IllegalArgumentException(file + " is not a " + format.what() + " file (it does not start with \""
                        + format.magic() + "\")");
            }
            int version = in.readInt();
            if (version < format.oldestVersion() || version > format.version()) {
                throw new IllegalArgumentException(file + " has " + format.what() + " format version " + version
                        + "; this cdln reads versions " + format.oldestVersion() + " to " + format.version()
                        + (version > format.version() ? ": use a newer cdln" : ""));
            }
            input.version = version;
            T value = parser.read(input);
            if (version >= format.firstChecksummedVersion()) {
                long expected = crc.getValue();
                long stored = in.readLong();
                if (stored != expected) {
                    throw input.corrupt("its checksum does not match (stored " + Long.toHexString(stored)
                            + ", computed " + Long.toHexString(expected) + ")");
                }
            }
            if (in.read() != -1) {
                throw input.corrupt("it has bytes after its end");
            }
            return value;
        } catch (EOFException e) {
            throw new IllegalArgumentException(file + " is truncated: it ends before the " + format.what()
                    + " does; " + format.fix());
        } catch (UTFDataFormatException e) {
            throw new IllegalArgumentException(file + " is not a valid " + format.what() + ": a text field is not "
                    + "valid UTF-8; " + format.fix());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The body's fields, each read with a bound. */
    public static final class Input {
        private final DataInputStream in;
        private final Path file;
        private final long fileSize;
        private final Format format;
        private int version;

        Input(DataInputStream in, Path file, long fileSize, Format format) {
            this.in = in;
            this.file = file;
            this.fileSize = fileSize;
            this.format = format;
        }

        /** The version of the file being read. */
        public int version() {
            return version;
        }

        public Path file() {
            return file;
        }

        /** A one-line error naming the file and why it is corrupt. */
        public IllegalArgumentException corrupt(String why) {
            return new IllegalArgumentException(file + " is not a valid " + format.what() + ": " + why + "; "
                    + format.fix());
        }

        public int readInt() throws IOException {
            return in.readInt();
        }

        public long readLong() throws IOException {
            return in.readLong();
        }

        public double readDouble() throws IOException {
            return Double.longBitsToDouble(in.readLong());
        }

        public boolean readBoolean() throws IOException {
            int b = in.readUnsignedByte();
            if (b > 1) {
                throw corrupt("a flag holds " + b + ", not 0 or 1");
            }
            return b == 1;
        }

        public String readUTF() throws IOException {
            return in.readUTF();
        }

        /** A count of items of at least {@code bytesEach} bytes: 0 ≤ n and n items fit in the file. */
        public int count(String what, long bytesEach) throws IOException {
            int n = in.readInt();
            if (n < 0 || (long) n * Math.max(1, bytesEach) > fileSize) {
                throw corrupt("it declares " + n + " " + what + ", more than a file of " + fileSize + " bytes holds");
            }
            return n;
        }

        /** A long in [lo, hi]. */
        public long longIn(String what, long lo, long hi) throws IOException {
            long v = in.readLong();
            if (v < lo || v > hi) {
                throw corrupt(what + " is " + v + ", outside [" + lo + ", " + hi + "]");
            }
            return v;
        }

        /** An int in [lo, hi]. */
        public int intIn(String what, int lo, int hi) throws IOException {
            int v = in.readInt();
            if (v < lo || v > hi) {
                throw corrupt(what + " is " + v + ", outside [" + lo + ", " + hi + "]");
            }
            return v;
        }

        /** A double that is finite (or NaN when {@code nanAllowed}) and ≥ {@code lo}. */
        public double doubleAtLeast(String what, double lo, boolean nanAllowed) throws IOException {
            double v = readDouble();
            if (Double.isNaN(v) ? !nanAllowed : !(v >= lo && Double.isFinite(v))) {
                throw corrupt(what + " is " + v + ", not a finite number ≥ " + lo);
            }
            return v;
        }

        /**
         * Named arrays written by {@link BinaryFile#writeStates}: a bounded count, then each key
         * and its doubles, in the order written.
         */
        public java.util.Map<String, double[]> states(String what) throws IOException {
            int q = count(what, 6);
            java.util.Map<String, double[]> states = new java.util.LinkedHashMap<>();
            for (int i = 0; i < q; i++) {
                String key = readUTF();
                states.put(key, doubles(count("values of " + what.replaceFirst("s$", "") + " " + key, 8), key));
            }
            return states;
        }

        /** n doubles, bounded by the file's size. */
        public double[] doubles(long n, String what) throws IOException {
            if (n < 0 || n > (fileSize / 8) || n > Integer.MAX_VALUE - 8) {
                throw corrupt("it declares " + n + " " + what + ", more than the file holds");
            }
            double[] a = new double[(int) n];
            byte[] chunk = new byte[8 * 4096];
            ByteBuffer buf = ByteBuffer.wrap(chunk);
            for (int from = 0; from < a.length; from += 4096) {
                int to = Math.min(a.length, from + 4096);
                in.readFully(chunk, 0, 8 * (to - from));
                buf.clear();
                for (int q = from; q < to; q++) {
                    a[q] = Double.longBitsToDouble(buf.getLong());
                }
            }
            return a;
        }

        /** n ints, bounded by the file's size. */
        public int[] ints(long n, String what) throws IOException {
            if (n < 0 || n > fileSize / 4) {
                throw corrupt("it declares " + n + " " + what + ", more than the file holds");
            }
            int[] a = new int[(int) n];
            for (int q = 0; q < a.length; q++) {
                a[q] = in.readInt();
            }
            return a;
        }
    }

    /** Writes doubles by their bit patterns, in blocks. */
    public static void writeDoubles(DataOutputStream out, double[] v) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(8 * 4096);
        for (int from = 0; from < v.length; from += 4096) {
            int to = Math.min(v.length, from + 4096);
            buf.clear();
            for (int q = from; q < to; q++) {
                buf.putLong(Double.doubleToRawLongBits(v[q]));
            }
            out.write(buf.array(), 0, buf.position());
        }
    }

    /** Writes named arrays (int32 count, then per entry: UTF key, int32 length, doubles), as {@link Input#states} reads them. */
    public static void writeStates(DataOutputStream out, java.util.Map<String, double[]> states) throws IOException {
        out.writeInt(states.size());
        for (java.util.Map.Entry<String, double[]> e : states.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(e.getValue().length);
            writeDoubles(out, e.getValue());
        }
    }

    /** Writes one double by its bit pattern. */
    public static void writeDouble(DataOutputStream out, double v) throws IOException {
        out.writeLong(Double.doubleToRawLongBits(v));
    }
}
