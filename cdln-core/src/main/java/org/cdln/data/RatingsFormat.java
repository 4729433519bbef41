package org.cdln.data;

import java.util.List;
import java.util.Locale;

/**
 * How a ratings file is laid out: the field delimiter, whether the first line is a header, and
 * which columns hold the user id, the item id, the rating and (optionally) a Unix timestamp.
 *
 * <p>A column is given either by its header name (files with a header) or by its 1-based
 * position ("1", "2", …; any file). Every line must have as many fields as the first line (the
 * header, or the first rating when there is none). Fields may be quoted with double quotes when
 * the delimiter is one character ({@code "a,b"} is one field; {@code ""} inside quotes is a quote).
 *
 * <p>Presets (see {@link #parse}): {@code movielens} — GroupLens ml-100k {@code u.data}/{@code u1.base}:
 * {@code user<TAB>item<TAB>rating<TAB>timestamp}, no header; {@code movielens-csv} — the
 * {@code ratings.csv} of the newer MovieLens sets: header {@code userId,movieId,rating,timestamp};
 * {@code movielens-dat} — ml-1m/10m {@code ratings.dat}: {@code user::item::rating::timestamp};
 * {@code csv} / {@code tsv} — a header line, then user, item, rating in columns 1–3.
 *
 * @param name            a short name for messages and provenance
 * @param delimiter       the field separator, non-empty (taken literally, not as a regex)
 * @param header          whether the first line names the columns
 * @param userColumn      header name or 1-based position of the user id
 * @param itemColumn      header name or 1-based position of the item id
 * @param ratingColumn    header name or 1-based position of the rating
 * @param timestampColumn header name or 1-based position of the timestamp, or null when not read
 */
public record RatingsFormat(String name, String delimiter, boolean header, String userColumn, String itemColumn,
                            String ratingColumn, String timestampColumn) {

    /** GroupLens ml-100k: tab-separated user, item, rating, timestamp; no header. */
    public static final RatingsFormat MOVIELENS = new RatingsFormat("movielens", "\t", false, "1", "2", "3", "4");
    /** MovieLens ratings.csv: header userId,movieId,rating,timestamp. */
    public static final RatingsFormat MOVIELENS_CSV = new RatingsFormat("movielens-csv", ",", true, "userId", "movieId",
            "rating", "timestamp");
    /** MovieLens 1M/10M ratings.dat: user::item::rating::timestamp; no header. */
    public static final RatingsFormat MOVIELENS_DAT = new RatingsFormat("movielens-dat", "::", false, "1", "2", "3",
            "4");
    /** Generic CSV: a header line, then user, item, rating in columns 1, 2, 3. */
    public static final RatingsFormat CSV = new RatingsFormat("csv", ",", true, "1", "2", "3", null);
    /** Generic TSV: a header line, then user, item, rating in columns 1, 2, 3. */
    public static final RatingsFormat TSV = new RatingsFormat("tsv", "\t", true, "1", "2", "3", null);

    /** The names {@link #parse} accepts. */
    public static final List<String> NAMES = List.of("auto", "movielens", "movielens-csv", "movielens-dat", "csv", "tsv");

    /** Validates the delimiter and the column specs (named columns need a header). */
    public RatingsFormat {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a ratings format needs a name");
        }
        if (delimiter == null || delimiter.isEmpty()) {
            throw new IllegalArgumentException("the field delimiter must be non-empty, got '" + delimiter + "'");
        }
        requireColumn("user", userColumn, header);
        requireColumn("item", itemColumn, header);
        requireColumn("rating", ratingColumn, header);
        if (timestampColumn != null) {
            requireColumn("timestamp", timestampColumn, header);
        }
    }

    private static void requireColumn(String what, String spec, boolean header) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("the " + what + " column must be a header name or a 1-based position, got '"
                    + spec + "'");
        }
        Integer pos = position(spec);
        if (pos != null && pos < 1) {
            throw new IllegalArgumentException("the " + what + " column position must be ≥ 1, got " + spec);
        }
        if (pos == null && !header) {
            throw new IllegalArgumentException("the " + what + " column '" + spec
                    + "' is a name, but the format has no header line; give a 1-based position or declare a header");
        }
    }

    /** The 1-based position a column spec names, or null when it is a header name. */
    static Integer position(String spec) {
        String s = spec.trim();
        if (s.isEmpty() || s.length() > 9) {
            return null;
        }
        for (int k = 0; k < s.length(); k++) {
            if (!Character.isDigit(s.charAt(k))) {
                return null;
            }
        }
        return Integer.parseInt(s);
    }

    /**
     * A preset by name: movielens, movielens-csv, movielens-dat, csv or tsv ("auto" is resolved per
     * file by {@link RatingsReader#detect}).
     *
     * @throws IllegalArgumentException listing the names on offer
     */
    public static RatingsFormat parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "movielens", "u.data", "ml-100k" -> MOVIELENS;
            case "movielens-csv" -> MOVIELENS_CSV;
            case "movielens-dat", "ml-1m" -> MOVIELENS_DAT;
            case "csv" -> CSV;
            case "tsv" -> TSV;
            default -> throw new IllegalArgumentException("unknown ratings format '" + name + "'; use one of "
                    + String.join(", ", NAMES));
        };
    }

    /** The same format with other columns (timestamp may be null). */
    public RatingsFormat withColumns(String user, String item, String rating, String timestamp) {
        return new RatingsFormat(name, delimiter, header, user, item, rating, timestamp);
    }

    /** The same format with or without a header line. */
    public RatingsFormat withHeader(boolean hasHeader) {
        return new RatingsFormat(name, delimiter, hasHeader, userColumn, itemColumn, ratingColumn, timestampColumn);
    }

    /** The same format with another delimiter. */
    public RatingsFormat withDelimiter(String d) {
        return new RatingsFormat(name, d, header, userColumn, itemColumn, ratingColumn, timestampColumn);
    }

    /** "movielens (tab-separated, no header, user=1 item=2 rating=3 timestamp=4)". */
    public String describe() {
        String d = switch (delimiter) {
            case "\t" -> "tab";
            case "," -> "comma";
            case ";" -> "semicolon";
            default -> "'" + delimiter + "'";
        };
        return name + " (" + d + "-separated, " + (header ? "header" : "no header") + ", user=" + userColumn + " item="
                + itemColumn + " rating=" + ratingColumn + (timestampColumn != null ? " timestamp=" + timestampColumn : "")
                + ")";
    }
}
