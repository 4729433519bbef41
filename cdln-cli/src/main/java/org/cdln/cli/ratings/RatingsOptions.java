package org.cdln.cli.ratings;

import java.nio.file.Path;
import java.util.List;
import org.cdln.data.RatingsFormat;
import org.cdln.data.RatingsReader;
import picocli.CommandLine.Option;

/**
 * The flags that say where the ratings are and how they are laid out, shared by
 * {@code cdln complete} and {@code cdln evaluate}.
 */
public final class RatingsOptions {
    @Option(names = "--ratings", required = true, paramLabel = "FILE",
            description = "Ratings file: one rating per line (user, item, rating[, timestamp]).")
    Path ratings;

    @Option(names = "--format", paramLabel = "NAME", defaultValue = "auto",
            description = "auto (default), movielens (u.data: user<TAB>item<TAB>rating<TAB>timestamp), movielens-csv "
                    + "(userId,movieId,rating,timestamp), movielens-dat (user::item::rating::timestamp), csv or tsv "
                    + "(a header, then user, item, rating in columns 1-3).")
    String format;

    @Option(names = "--delimiter", paramLabel = "D",
            description = "Field delimiter: tab, comma, semicolon, or the literal text (e.g. '::'); overrides --format's.")
    String delimiter;

    @Option(names = "--header", negatable = true, description = "Whether the first line names the columns "
            + "(--no-header: it is a rating); overrides --format's.")
    Boolean header;

    @Option(names = "--columns", paramLabel = "USER,ITEM,RATING[,TIME]",
            description = "The columns of the user id, item id, rating and optional timestamp: header names or "
                    + "1-based positions, e.g. 'userId,movieId,rating' or '2,1,3'.")
    String columns;

    @Option(names = "--strict", description = "A (user, item) pair rated twice is an error (default: the last line wins).")
    boolean strict;

    /** The ratings file. */
    public Path file() {
        return ratings;
    }

    /** The format to read with: the named preset (or the detected one for auto) with the overrides applied. */
    public RatingsFormat format() {
        RatingsFormat f = format.trim().equalsIgnoreCase("auto") ? detectOrFail() : parseFormat();
        if (delimiter != null) {
            f = f.withDelimiter(delimiter(delimiter));
        }
        if (header != null) {
            f = f.withHeader(header);
        }
        if (columns != null) {
            List<String> c = List.of(columns.split(",", -1));
            if (c.size() < 3 || c.size() > 4 || c.stream().anyMatch(String::isBlank)) {
                throw new IllegalArgumentException("--columns needs 3 or 4 comma-separated columns (user, item, rating"
                        + "[, timestamp]), got '" + columns + "'");
            }
            f = f.withColumns(c.get(0).trim(), c.get(1).trim(), c.get(2).trim(), c.size() == 4 ? c.get(3).trim() : null);
        }
        return f;
    }

    private RatingsFormat parseFormat() {
        try {
            return RatingsFormat.parse(format);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--format: " + e.getMessage(), e);
        }
    }

    private RatingsFormat detectOrFail() {
        if (!java.nio.file.Files.isRegularFile(ratings)) {
            throw new IllegalArgumentException("--ratings: no ratings file " + ratings + "; check the path");
        }
        return RatingsReader.detect(ratings);
    }

    static String delimiter(String d) {
        return switch (d.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "tab", "\\t", "\t" -> "\t";
            case "comma", "," -> ",";
            case "semicolon", ";" -> ";";
            case "pipe", "|" -> "|";
            case "space", " " -> " ";
            default -> {
                if (d.isEmpty()) {
                    throw new IllegalArgumentException("--delimiter must not be empty; use tab, comma, semicolon or the "
                            + "literal text");
                }
                yield d;
            }
        };
    }

    /** Reads the ratings (one-line errors with file:line on malformed input). */
    public RatingsReader.Report read() {
        if (!java.nio.file.Files.exists(ratings)) {
            throw new IllegalArgumentException("--ratings: no ratings file " + ratings + "; check the path");
        }
        return new RatingsReader(format(), strict ? RatingsReader.Duplicates.ERROR : RatingsReader.Duplicates.LAST_WINS)
                .readFile(ratings);
    }
}
