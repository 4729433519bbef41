package org.cdln.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading ratings files: the formats, id re-indexing, duplicates, and one test per malformed case. */
class RatingsReaderTest {

    static RatingsReader.Report read(String text, RatingsFormat format, RatingsReader.Duplicates dup) throws IOException {
        return new RatingsReader(format, dup).read(new BufferedReader(new StringReader(text)), "ratings.txt");
    }

    static RatingsReader.Report read(String text, RatingsFormat format) throws IOException {
        return read(text, format, RatingsReader.Duplicates.LAST_WINS);
    }

    static RatingsFormatException malformed(String text, RatingsFormat format) {
        return assertThrows(RatingsFormatException.class, () -> read(text, format));
    }

    @Test
    void movieLensLinesAreReindexedDenselyInNumericIdOrder() throws IOException {
        Ratings r = read("196\t242\t3\t881250949\n10\t302\t4\t891717742\n196\t10\t1\t878887116\n", RatingsFormat.MOVIELENS)
                .ratings();
        assertEquals(3, r.size());
        assertEquals(2, r.numUsers());
        assertEquals(3, r.numItems());
        // numeric order: user 10 → 0, user 196 → 1 (lexicographic would put "10" first too; items show it)
        assertEquals("10", r.users().id(0));
        assertEquals("196", r.users().id(1));
        assertEquals(java.util.List.of("10", "242", "302"), r.items().ids());
        // line 1: user 196, item 242, rating 3, timestamp 881250949
        assertEquals(1, r.userIndex(0));
        assertEquals(1, r.itemIndex(0));
        assertEquals(3.0, r.rating(0));
        assertEquals(881250949L, r.timestamp(0));
        assertEquals(-1, r.users().indexOf("7"));
    }

    @Test
    void movieLensCsvIsReadByHeaderNames() throws IOException {
        Ratings r = read("userId,movieId,rating,timestamp\n1,31,2.5,1260759144\n1,1029,3.0,1260759179\n",
                RatingsFormat.MOVIELENS_CSV).ratings();
        assertEquals(2, r.size());
        assertEquals(2.5, r.rating(0));
        assertEquals("1029", r.items().id(r.itemIndex(1)));
    }

    @Test
    void genericCsvTakesNamedColumnsInAnyOrderAndQuotedFields() throws IOException {
        RatingsFormat f = RatingsFormat.CSV.withColumns("who", "item", "stars", null);
        Ratings r = read("stars,who,item\n4,\"alice\",\"Heat, 1995\"\n2,bob,\"Heat, 1995\"\n", f).ratings();
        assertEquals(2, r.size());
        assertEquals("Heat, 1995", r.items().id(0));
        assertEquals(java.util.List.of("alice", "bob"), r.users().ids());
        assertFalse(r.hasTimestamps());
    }

    @Test
    void doubleColonFormatOfMovieLens1m() throws IOException {
        Ratings r = read("1::1193::5::978300760\n1::661::3::978302109\n", RatingsFormat.MOVIELENS_DAT).ratings();
        assertEquals(2, r.size());
        assertEquals(5.0, r.rating(0));
    }

    @Test
    void formatsAreDetectedFromTheFirstLine() {
        assertEquals("movielens", RatingsReader.detectFromLine("196\t242\t3\t881250949").name());
        assertEquals("movielens-csv", RatingsReader.detectFromLine("userId,movieId,rating,timestamp").name());
        assertEquals("movielens-dat", RatingsReader.detectFromLine("1::1193::5::978300760").name());
        RatingsFormat csv = RatingsReader.detectFromLine("u,i,r");
        assertEquals("csv", csv.name());
        assertTrue(csv.header());
        assertFalse(RatingsReader.detectFromLine("1,2,3.5").header());
        assertNull(RatingsReader.detectFromLine("1\t2\t3").timestampColumn());
    }

    @Test
    void blankLinesAreSkippedAndLineNumbersStillCount() {
        RatingsFormatException e = malformed("1\t2\t3\t0\n\n\n1\t3\tx\t0\n", RatingsFormat.MOVIELENS);
        assertEquals(4, e.line());
        assertTrue(e.getMessage().startsWith("ratings.txt:4: "), e.getMessage());
    }

    @Test
    void duplicatePairsKeepTheLastRatingAndAreCounted() throws IOException {
        RatingsReader.Report rep = read("1\t2\t3\t10\n1\t5\t4\t11\n1\t2\t5\t12\n", RatingsFormat.MOVIELENS);
        assertEquals(1, rep.duplicatesReplaced());
        assertEquals(2, rep.ratings().size());
        assertEquals(5.0, rep.ratings().rating(0), "the later line wins");
        assertEquals(12L, rep.ratings().timestamp(0));
    }

    @Test
    void duplicatePairsAreAnErrorUnderStrictNamingBothLines() {
        RatingsFormatException e = assertThrows(RatingsFormatException.class, () -> read(
                "1\t2\t3\t10\n1\t5\t4\t11\n1\t2\t5\t12\n", RatingsFormat.MOVIELENS, RatingsReader.Duplicates.ERROR));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith("ratings.txt:3: "), e.getMessage());
        assertTrue(e.getMessage().contains("user 1 rated item 2 again (first on line 1)"), e.getMessage());
        // the fix in the library's words; the CLI says it with its flag (RatingsCommandsTest)
        assertTrue(e.getMessage().contains("read with Duplicates.LAST_WINS to keep the last"), e.getMessage());
    }

    // ---- one test per malformed case: message and line number

    @Test
    void wrongFieldCount() {
        RatingsFormatException e = malformed("1\t2\t3\t10\n1\t5\t4\n", RatingsFormat.MOVIELENS);
        assertEquals(2, e.line());
        assertEquals("ratings.txt:2: expected 4 fields separated by tabs (as on line 1) but found 3: \"1\\t5\\t4\"",
                e.getMessage());
    }

    @Test
    void ratingThatIsNotANumber() {
        RatingsFormatException e = malformed("userId,movieId,rating,timestamp\n1,31,2.5,1\n1,32,four,2\n",
                RatingsFormat.MOVIELENS_CSV);
        assertEquals(3, e.line());
        assertEquals("ratings.txt:3: rating 'four' in column 3 is not a number: \"1,32,four,2\"", e.getMessage());
    }

    @Test
    void ratingThatIsNotFinite() {
        RatingsFormatException e = malformed("1\t2\tNaN\t0\n", RatingsFormat.MOVIELENS);
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("rating 'NaN' in column 3 is not a finite number"), e.getMessage());
    }

    @Test
    void emptyFile() {
        RatingsFormatException e = malformed("", RatingsFormat.MOVIELENS);
        assertEquals(1, e.line());
        assertTrue(e.getMessage().startsWith("ratings.txt:1: the file is empty; expected one rating per line as movielens"),
                e.getMessage());
    }

    @Test
    void fileWithOnlyBlankLinesIsEmpty() {
        RatingsFormatException e = malformed("\n\n", RatingsFormat.CSV);
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("the file is empty"), e.getMessage());
    }

    @Test
    void headerWithoutRatings() {
        RatingsFormatException e = malformed("userId,movieId,rating,timestamp\n", RatingsFormat.MOVIELENS_CSV);
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("no ratings after the header line 1"), e.getMessage());
    }

    @Test
    void unknownColumnName() {
        RatingsFormatException e = malformed("user_id,movie_id,rating\n1,2,3\n", RatingsFormat.MOVIELENS_CSV);
        assertEquals(1, e.line());
        assertEquals("ratings.txt:1: unknown column 'userId' for the user; the header has user_id, movie_id, rating",
                e.getMessage());
    }

    @Test
    void columnPositionBeyondTheFields() {
        RatingsFormatException e = malformed("1,2\n", RatingsFormat.CSV.withHeader(false));
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("the rating column 3 does not exist: line 1 has 2 fields separated by commas"),
                e.getMessage());
    }

    @Test
    void emptyUserId() {
        RatingsFormatException e = malformed("1\t2\t3\t0\n\t2\t3\t0\n", RatingsFormat.MOVIELENS);
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("empty user id in column 1"), e.getMessage());
    }

    @Test
    void timestampThatIsNotAnInteger() {
        RatingsFormatException e = malformed("1\t2\t3\t2020-01-01\n", RatingsFormat.MOVIELENS);
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("timestamp '2020-01-01' in column 4 is not an integer"), e.getMessage());
    }

    @Test
    void namedColumnsNeedAHeader() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RatingsFormat.CSV.withHeader(false).withColumns("userId", "2", "3", null));
        assertTrue(e.getMessage().contains("'userId' is a name, but the format has no header line"), e.getMessage());
    }

    @Test
    void unknownFormatNameListsTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RatingsFormat.parse("parquet"));
        assertTrue(e.getMessage().contains("auto, movielens, movielens-csv, movielens-dat, csv, tsv"), e.getMessage());
    }

    @Test
    void filesAreReadWithTheirNameInMessages(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("mine.tsv");
        Files.writeString(f, "1\t2\t3\t0\n1\t2\n", StandardCharsets.UTF_8);
        RatingsFormatException e = assertThrows(RatingsFormatException.class, () -> RatingsReader.read(f));
        assertTrue(e.getMessage().startsWith("mine.tsv:2: "), e.getMessage());
        UncheckedIOException missing = assertThrows(UncheckedIOException.class,
                () -> RatingsReader.read(dir.resolve("nope.data")));
        assertTrue(missing.getMessage().contains("no ratings file"), missing.getMessage());
    }
}
