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
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
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

    /** Lines of at most {@link #MAX_LINE_CHARS} characters; counts them for messages. */
    public static final class Lines extends BufferedReader {
        private final boolean gzip;
        private int lineNumber;

        Lines(Reader in, boolean gzip) {
            super(in, 1 << 16);
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

        /**
         * The next line without its terminator, or null at the end.
         *
         * @throws LineTooLongException when a line exceeds {@link #MAX_LINE_CHARS}
         */
        @Override
        public String readLine() throws IOException {
            StringBuilder b = null;
            while (true) {
                int c = read();
                if (c < 0) {
                    if (b == null) {
                        return null;
                    }
                    lineNumber++;
                    return b.toString();
                }
                if (b == null) {
                    b = new StringBuilder(64);
                }
                if (c == '\n') {
                    lineNumber++;
                    int n = b.length();
                    if (n > 0 && b.charAt(n - 1) == '\r') {
                        b.setLength(n - 1);
                    }
                    return b.toString();
                }
                if (b.length() >= MAX_LINE_CHARS) {
                    throw new LineTooLongException(lineNumber + 1);
                }
                b.append((char) c);
            }
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
