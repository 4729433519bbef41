package org.cdln.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The bounded line reader: line ends across its 64 Ki buffer, CR LF, the longest line, mixed reads. */
class TextInputTest {
    private static TextInput.Lines lines(String text) throws IOException {
        return TextInput.open(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void linesAcrossTheBufferAndCrLfAreSplitAsBufferedReaderDoes() throws IOException {
        StringBuilder b = new StringBuilder();
        String a = "x".repeat((1 << 16) - 1);
        b.append(a).append("\r\n");           // the CR ends one buffer, the LF starts the next
        b.append("é,ü\n\n");                   // non-ASCII, an empty line
        b.append("y".repeat(200_000)).append("\r\n");
        b.append("last");                     // no line break at the end
        try (TextInput.Lines in = lines(b.toString())) {
            assertEquals(a, in.readLine());
            assertEquals("é,ü", in.readLine());
            assertEquals("", in.readLine());
            assertEquals("y".repeat(200_000), in.readLine());
            assertEquals("last", in.readLine());
            assertNull(in.readLine());
            assertEquals(5, in.lineNumber());
        }
    }

    @Test
    void theLongestLineIsReadAndOneMoreCharacterIsRefused() throws IOException {
        String max = "z".repeat(TextInput.MAX_LINE_CHARS);
        try (TextInput.Lines in = lines(max + "\nok\n" + max + "z\n")) {
            assertEquals(max, in.readLine());
            assertEquals("ok", in.readLine());
            TextInput.LineTooLongException e = assertThrows(TextInput.LineTooLongException.class, in::readLine);
            assertEquals(3, e.line());
        }
    }

    @Test
    void characterReadsAndSkipsShareTheLineBuffer() throws IOException {
        try (TextInput.Lines in = lines("abc\ndefgh\nij\n")) {
            assertEquals('a', in.read());
            assertEquals("bc", in.readLine());
            assertEquals(2, in.skip(2));
            char[] c = new char[3];
            assertEquals(3, in.read(c, 0, 3));
            assertEquals("fgh", new String(c));
            assertEquals("", in.readLine());
            assertEquals("ij", in.readLine());
            assertNull(in.readLine());
            assertEquals(-1, in.read());
        }
    }
}
