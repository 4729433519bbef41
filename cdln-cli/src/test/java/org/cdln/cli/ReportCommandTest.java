package org.cdln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cdln report}: one self-contained page from several output folders; opened in real
 * headless Chromium (Debian's {@code chromium}), it loads without console errors and shows every
 * figure. The browser test is skipped when chromium is not installed ({@code .ci/run} installs it).
 */
class ReportCommandTest {
    @TempDir
    static Path work;
    static Path html;
    static int pngs;

    @BeforeAll
    static void makeOutputsAndReport() throws Exception {
        Path completion = work.resolve("completion");
        Path analyze = work.resolve("analyze");
        // η = 5: at d = 20 the reference η = 10 with α = 5 sits on the edge of stability, where the
        // compressed run's fate depends on rounding (sparse and dense evaluators agree to 1e-10 for
        // 140 steps, then part); this test is about the report, not that edge
        assertEquals(0, Cli.run("reproduce", "completion", "--d", "20", "--r", "2", "--steps", "600",
                "--step", "5", "--no-progress", "--out", completion.toString()).status());
        assertEquals(0, Cli.run("analyze", "factorization", "--d", "16", "--r", "2", "--step", "8",
                "--steps", "800", "--eval-every", "20", "--no-progress", "--out", analyze.toString()).status());
        for (Path d : new Path[] {completion, analyze}) {
            try (Stream<Path> s = Files.list(d)) {
                pngs += (int) s.filter(p -> p.toString().endsWith(".png")).count();
            }
        }
        html = work.resolve("report.html");
        Cli.Run r = Cli.run("report", completion.toString(), analyze.toString(),
                "--out", html.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("2 folders, " + pngs + " figures"), r.out());
    }

    @Test
    void pageIsSelfContainedWithEveryFigureEmbedded() throws Exception {
        String page = Files.readString(html);
        Matcher m = Pattern.compile("<img src=\"data:image/png;base64,[A-Za-z0-9+/=]+\"").matcher(page);
        int n = 0;
        while (m.find()) {
            n++;
        }
        assertEquals(pngs, n);
        assertFalse(page.contains("src=\"http") || page.contains("href=\"http") || page.contains("<script")
                || page.contains("url(http"), "no external resource, no script");
        assertTrue(page.contains("native") || page.contains("Java"), "names the backend");
        assertTrue(page.contains("max_update_rank"), "the analysis findings are shown");
        assertTrue(page.contains("<th>p</th>"), "the completion settings are shown");
    }

    @Test
    void opensInHeadlessChromiumWithoutErrorsAndEveryFigureRendered() throws Exception {
        Path chromium = HeadlessChromium.find();
        Assumptions.assumeTrue(chromium != null,
                "chromium is not installed (apt-get install -y chromium; .ci/run installs it): browser check skipped");
        try (HeadlessChromium browser = new HeadlessChromium(chromium)) {
            HeadlessChromium.PageReport page = browser.open(html);
            assertEquals("cdln report", page.title());
            assertTrue(page.errors().isEmpty(), "console errors: " + page.errors());
            assertEquals(pngs, page.images().size());
            for (int[] img : page.images()) {
                assertEquals(1, img[0], "image loaded");
                assertEquals(1200, img[1], "natural width of the PNG");
                assertTrue(img[2] >= 520, "natural height " + img[2]);
                assertTrue(img[3] > 100, "laid out with width " + img[3]);
            }
        }
    }

    /**
     * Checks a report made elsewhere, e.g. of the full reproduce and analyze outputs:
     * {@code mvn -pl cdln-cli test -Dtest=ReportCommandTest -Dcdln.report=$PWD/out/report.html}.
     */
    @Test
    void givenReportOpensInHeadlessChromium() throws Exception {
        String given = System.getProperty("cdln.report");
        Assumptions.assumeTrue(given != null, "no -Dcdln.report=FILE given: nothing more to check");
        Path chromium = HeadlessChromium.find();
        Assumptions.assumeTrue(chromium != null, "chromium is not installed: browser check skipped");
        Path file = Path.of(given);
        int embedded = 0;
        Matcher m = Pattern.compile("<img src=\"data:image/png;base64,").matcher(Files.readString(file));
        while (m.find()) {
            embedded++;
        }
        try (HeadlessChromium browser = new HeadlessChromium(chromium)) {
            HeadlessChromium.PageReport page = browser.open(file);
            assertTrue(page.errors().isEmpty(), "console errors: " + page.errors());
            assertEquals(embedded, page.images().size());
            for (int[] img : page.images()) {
                assertTrue(img[0] == 1 && img[1] > 0 && img[2] > 0 && img[3] > 100, java.util.Arrays.toString(img));
            }
        }
    }

    @Test
    void folderWithoutSummaryIsAOneLineError() throws Exception {
        Path empty = Files.createDirectories(work.resolve("empty"));
        Cli.Run r = Cli.run("report", empty.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().strip().startsWith("cdln: report: " + empty + " has no summary.json"), r.err());
        assertFalse(r.err().strip().contains("\n"));
    }
}
