package org.cdln.data;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Text files as the data readers see them: UTF-8, gzip-compressed ones ({@code .gz} or the gzip
 * magic bytes) decompressed on the fly, read as a stream of lines of at most
 * {@value #MAX_LINE_CHARS} characters — so a file of any size (several GB is normal data) is read
 * in constant memory, and a binary file or one without line breaks is refused instead of being
 * gathered into one giant line. Malformed UTF-8 is reported as an error, not replaced.
 */
public final class TextInput {
    /** The longest line accepted (1 MiB of characters). */
    public static final int MAX_LINE_CHARS = 1 << 20;

    private TextInput() {
    }

    /** True when the file starts with the gzip magic bytes. */
    public static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /** Opens a text file (decompressing gzip), as a reader of bounded lines. */
    public static Lines open(Path file) throws IOException {
        return open(Files.newInputStream(file));
    }

    /**
     * Reads a stream of text of any length (decompressing gzip when it starts with the magic
     * bytes) as bounded lines; closing the lines closes the stream.
     */
    public static Lines open(InputStream stream) throws IOException {
        InputStream raw = new BufferedInputStream(stream, 1 << 16);
        try {
            raw.mark(2);
            boolean gz = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            InputStream in = gz ? new GZIPInputStream(raw, 1 << 16) : raw;
            Reader r = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
            return new Lines(r, gz);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /**
     * The number of the first line that is not valid UTF-8 (the decoder reads ahead, so the line
     * being read when it fails is not the one at fault); 0 when every line is valid.
     */
    public static int firstMalformedLine(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        boolean gz = raw.read() == 0x1f && raw.read() == 0x8b;
        raw.reset();
        try (InputStream in = gz ? new GZIPInputStream(raw, 1 << 16) : raw) {
            java.nio.charset.CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            int no = 1;
            int b;
            while (true) {
                b = in.read();
                if (b < 0 || b == '\n') {
                    try {
                        dec.reset().decode(java.nio.ByteBuffer.wrap(line.toByteArray()));
                    } catch (java.nio.charset.CharacterCodingException e) {
                        return no;
                    }
                    if (b < 0) {
                        return 0;
                    }
                    line.reset();
                    no++;
                } else if (line.size() < 4 * MAX_LINE_CHARS) {
                    line.write(b);
                }
            }
        }
    }

    /**
     * Lines of at most {@link #MAX_LINE_CHARS} characters; counts them for messages. Reads the text
     * in blocks of 64 Ki characters and finds the line ends in them (a file of several GB passes at
     * the speed of the UTF-8 decoder); every read of this reader goes through that one buffer.
     */
    public static final class Lines extends BufferedReader {
        private final Reader source;
        private final boolean gzip;
        private final char[] buf = new char[1 << 16];
        private int pos;
        private int end;
        private boolean eof;
        private int lineNumber;

        Lines(Reader in, boolean gzip) {
            super(in, 1);   // BufferedReader's own buffer stays unused
            this.source = in;
            this.gzip = gzip;
        }

        /** True when the file was gzip-compressed. */
        public boolean gzip() {
            return gzip;
        }

        /** The number of the line read last (1-based; 0 before the first). */
        public int lineNumber() {
            return lineNumber;
        }

        private boolean fill() throws IOException {
            if (eof) {
                return false;
            }
            int n;
            do {
                n = source.read(buf, 0, buf.length);
            } while (n == 0);
            if (n < 0) {
                eof = true;
                return false;
            }
            pos = 0;
            end = n;
            return true;
        }

        @Override
        public int read() throws IOException {
            if (pos == end && !fill()) {
                return -1;
            }
            return buf[pos++];
        }

        @Override
        public int read(char[] c, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, c.length);
            if (len == 0) {
                return 0;
            }
            if (pos == end && !fill()) {
                return -1;
            }
            int n = Math.min(len, end - pos);
            System.arraycopy(buf, pos, c, off, n);
            pos += n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            if (n < 0) {
                throw new IllegalArgumentException("skip value is negative");
            }
            long done = 0;
            while (done < n && (pos < end || fill())) {
                int k = (int) Math.min(n - done, end - pos);
                pos += k;
                done += k;
            }
            return done;
        }

        @Override
        public boolean ready() throws IOException {
            return pos < end || source.ready();
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public void mark(int readAheadLimit) throws IOException {
            throw new IOException("mark is not supported");
        }

        @Override
        public void reset() throws IOException {
            throw new IOException("reset is not supported");
        }

        @Override
        public void close() throws IOException {
            source.close();
        }

        /**
         * The next line without its terminator ({@code \n} or {@code \r\n}), or null at the end.
         *
         * @throws LineTooLongException  when a line exceeds {@link #MAX_LINE_CHARS}
         * @throws TooManyLinesException after 2³¹ − 1 lines, the most a line number can count
         */
        @Override
        public String readLine() throws IOException {
            StringBuilder b = null;
            while (true) {
                if (pos == end && !fill()) {
                    if (b == null) {
                        return null;
                    }
                    count();
                    return b.toString();
                }
                int start = pos;
                int i = start;
                int limit = end;
                char[] c = buf;
                while (i < limit && c[i] != '\n') {
                    i++;
                }
                int len = i - start;
                if ((b == null ? 0 : b.length()) + len > MAX_LINE_CHARS) {
                    throw new LineTooLongException(lineNumber + 1);
                }
                if (i < limit) {
                    pos = i + 1;
                    count();
                    if (b == null) {
                        return new String(c, start, len > 0 && c[i - 1] == '\r' ? len - 1 : len);
                    }
                    b.append(c, start, len);
                    int n = b.length();
                    if (n > 0 && b.charAt(n - 1) == '\r') {
                        b.setLength(n - 1);
                    }
                    return b.toString();
                }
                if (b == null) {
                    b = new StringBuilder(Math.max(64, 2 * len));
                }
                b.append(c, start, len);
                pos = limit;
            }
        }

        private void count() throws TooManyLinesException {
            if (lineNumber == Integer.MAX_VALUE) {
                throw new TooManyLinesException();
            }
            lineNumber++;
        }
    }

    /** More lines than a line number counts (2³¹ − 1). */
    public static final class TooManyLinesException extends IOException {
        TooManyLinesException() {
            super("more than " + Integer.MAX_VALUE + " lines");
        }
    }

    /** A line over {@link #MAX_LINE_CHARS} characters. */
    public static final class LineTooLongException extends IOException {
        private final int line;

        LineTooLongException(int line) {
            super("line " + line + " is longer than " + MAX_LINE_CHARS + " characters");
            this.line = line;
        }

        public int line() {
            return line;
        }
    }
}
