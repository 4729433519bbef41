package org.cdln.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The loaders on the real MovieLens-100K files (skipped when the shared data is absent), against
 * the facts stated in shared/data/README.md.
 */
class MovieLensDataTest {

    @Test
    void uDataHasTheDocumentedShape() {
        Path dir = TestData.movieLens100kOrSkip();
        RatingsReader.Report rep = new RatingsReader(null, RatingsReader.Duplicates.ERROR).readFile(dir.resolve("u.data"));
        Ratings r = rep.ratings();
        assertEquals("movielens", rep.format().name(), "detected");
        assertEquals(100_000, r.size());
        assertEquals(943, r.numUsers());
        assertEquals(1682, r.numItems());
        assertEquals("1", r.users().id(0));
        assertEquals("943", r.users().id(942));
        assertEquals(3.52986, r.meanRating(), 1e-5);
        assertEquals(1.0, r.minRating());
        assertEquals(5.0, r.maxRating());
    }

    @Test
    void u1SplitIsEightyTwentyWithOneMapping() {
        Splits.Split s = Splits.groupLens(TestData.movieLens100kOrSkip(), "u1");
        assertEquals(80_000, s.train().size());
        assertEquals(20_000, s.test().size());
        assertEquals(943, s.train().numUsers());
        assertEquals(1682, s.test().numItems());
    }

    @Test
    void itemTitlesAreLatin1() {
        ItemTitles t = ItemTitles.read(TestData.movieLens100kOrSkip().resolve("u.item"));
        assertEquals(1682, t.size());
        assertEquals("Toy Story (1995)", t.title("1").orElseThrow());
        // the one title of u.item with "Misérables" (byte 0xE9 in ISO-8859-1)
        assertEquals(1, t.titles().stream().filter(x -> x.contains("Misérables")).count());
    }
}
