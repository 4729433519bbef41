package org.cdln.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A ratings input over 2 GiB is normal data: the streaming reader gets more than 2³¹ bytes —
 * generated on the fly, so no disk is involved — and returns every rating, with the right line
 * count and no overflow of a counter. The bulk of the bytes are blank lines of 1 MiB − 1 spaces
 * (the longest line allowed), so the test stays quick while the byte count passes 2³¹.
 */
class LargeRatingsStreamTest {
    /** Padding lines of MAX_LINE_CHARS − 1 spaces and a newline: 2,049 of them are 2³¹ + 2²⁰ bytes. */
    private static final int PADDING_LINES = 2049;
    private static final int RATINGS_PER_GAP = 50;

    /**
     * The stream: {@value #RATINGS_PER_GAP} rating lines "u&lt;k&gt;\ti&lt;j&gt;\t&lt;1..5&gt;" between padding
     * lines, all (user, item) pairs distinct; produced block by block in constant memory.
     */
    static final class Generated extends InputStream {
        private final byte[] padding = new byte[TextInput.MAX_LINE_CHARS];
        private byte[] block;
        private int at;
        private int line;
        long bytes;
        long ratingSum;

        Generated() {
            Arrays.fill(padding, (byte) ' ');
            padding[padding.length - 1] = '\n';
            block = new byte[0];
        }

        private boolean next() {
            if (line > 2 * PADDING_LINES) {
                return false;
            }
            if (line % 2 == 0) {
                StringBuilder b = new StringBuilder();
                for (int k = 0; k < RATINGS_PER_GAP; k++) {
                    int n = line / 2 * RATINGS_PER_GAP + k;
                    int rating = 1 + n % 5;
                    ratingSum += rating;
                    b.append('u').append(n % 1000).append('\t').append('i').append(n / 1000).append('\t').append(rating)
                            .append('\n');
                }
                block = b.toString().getBytes(StandardCharsets.US_ASCII);
            } else {
                block = padding;
            }
            line++;
            at = 0;
            return true;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            while (at == block.length) {
                if (!next()) {
                    return -1;
                }
            }
            int n = Math.min(len, block.length - at);
            System.arraycopy(block, at, b, off, n);
            at += n;
            bytes += n;
            return n;
        }
    }

    @Tag("slow")   // a few seconds: 2 GiB through the decoder and the line reader
    @Test
    void moreThanTwoGibibytesOfRatingsAreReadInFull() throws IOException {
        Generated stream = new Generated();
        RatingsReader reader = new RatingsReader(RatingsFormat.MOVIELENS.withColumns("1", "2", "3", null),
                RatingsReader.Duplicates.ERROR);
        RatingsReader.Report report;
        try (TextInput.Lines lines = TextInput.open(stream)) {
            report = reader.read(lines, "generated");
            assertEquals(report.lines(), lines.lineNumber());
        }
        assertTrue(stream.bytes > (1L << 31), "more than 2³¹ bytes went through: " + stream.bytes);
        int ratings = (PADDING_LINES + 1) * RATINGS_PER_GAP;
        assertEquals(ratings, report.ratings().size());
        assertEquals(ratings + PADDING_LINES, report.lines());
        double sum = 0;
        for (int k = 0; k < report.ratings().size(); k++) {
            sum += report.ratings().rating(k);
        }
        assertEquals(stream.ratingSum, sum, 0.0);
        assertEquals(1000, report.ratings().numUsers());
    }

    /** The arrays of a data set grow by doubling up to the largest Java array, never through an overflowed int. */
    @Test
    void theRatingsCapacityNeverOverflows() {
        assertEquals(32, Ratings.Builder.grownCapacity(16));
        assertEquals(Ratings.Builder.MAX_RATINGS, Ratings.Builder.grownCapacity(1 << 30));
        assertEquals(Ratings.Builder.MAX_RATINGS, Ratings.Builder.grownCapacity(Ratings.Builder.MAX_RATINGS - 1));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Ratings.Builder.grownCapacity(Ratings.Builder.MAX_RATINGS));
        assertTrue(e.getMessage().contains("the most one data set holds"), e.getMessage());
    }
}
