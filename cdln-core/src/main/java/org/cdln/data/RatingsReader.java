package org.cdln.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads ratings files into {@link Ratings}: one rating per line, fields as declared by a
 * {@link RatingsFormat}. Raw ids are kept as strings and re-indexed densely
 * ({@link IdMapping#sorted}). Blank lines are skipped. Time and memory O(file size).
 *
 * <p>Malformed input stops the read with a {@link RatingsFormatException} whose message starts
 * with {@code file:line:}: an empty file, a header without the named column, a line with another
 * number of fields than the first, a rating that is not a finite number, an empty id, a
 * timestamp that is not an integer. A (user, item) pair rated twice keeps the last rating
 * ({@link Duplicates#LAST_WINS}, counted in {@link Report#duplicatesReplaced()}) or is an error
 * naming both lines ({@link Duplicates#ERROR}, the CLI's {@code --strict}).
 */
public final class RatingsReader {
    /** What to do with a (user, item) pair that occurs more than once. */
    public enum Duplicates {
        /** The later line replaces the earlier rating. */
        LAST_WINS,
        /** A repeated pair is an error naming both lines. */
        ERROR
    }

    /**
     * A read and what it found.
     *
     * @param ratings            the ratings
     * @param format             the format used (the detected one when reading with "auto")
     * @param duplicatesReplaced ratings replaced by a later line for the same (user, item) pair
     * @param lines              lines read, header and blank lines included
     */
    public record Report(Ratings ratings, RatingsFormat format, int duplicatesReplaced, int lines) {
    }

    private final RatingsFormat format;
    private final Duplicates duplicates;

    /**
     * @param format     the layout, or null to detect it per file ({@link #detect})
     * @param duplicates what to do with repeated (user, item) pairs
     */
    public RatingsReader(RatingsFormat format, Duplicates duplicates) {
        if (duplicates == null) {
            throw new IllegalArgumentException("a duplicate policy is required (LAST_WINS or ERROR)");
        }
        this.format = format;
        this.duplicates = duplicates;
    }

    /** Reads a file, detecting its format, the last of repeated pairs winning. */
    public static Ratings read(Path file) {
        return new RatingsReader(null, Duplicates.LAST_WINS).readFile(file).ratings();
    }

    /** Reads a file in the given format, the last of repeated pairs winning. */
    public static Ratings read(Path file, RatingsFormat format) {
        return new RatingsReader(format, Duplicates.LAST_WINS).readFile(file).ratings();
    }

    /**
     * Reads a file (UTF-8; undecodable bytes become U+FFFD inside ids).
     *
     * @throws RatingsFormatException on malformed content (file:line: message)
     * @throws UncheckedIOException   when the file cannot be read, with a message naming it
     */
    public Report readFile(Path file) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + " is a folder; give a ratings file (e.g. " + file.resolve("u.data")
                    + ")");
        }
        TextInput.Lines in = null;
        try {
            in = TextInput.open(file);
            return read(in, name);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("no ratings file " + file + "; check the path", e);
        } catch (java.nio.charset.CharacterCodingException e) {
            int bad;
            try {
                bad = TextInput.firstMalformedLine(file);
            } catch (IOException again) {
                bad = 0;
            }
            throw new RatingsFormatException(name, bad > 0 ? bad : in.lineNumber() + 1, "the text is not UTF-8 (is it a binary file, "
                    + "or compressed other than with gzip?); give a UTF-8 ratings file, or a .gz of one");
        } catch (TextInput.LineTooLongException e) {
            throw new RatingsFormatException(name, e.line(), "the line is longer than " + TextInput.MAX_LINE_CHARS
                    + " characters: this is not a ratings file of one rating per line (binary, or no line breaks)");
        } catch (TextInput.TooManyLinesException e) {
            throw new RatingsFormatException(name, Integer.MAX_VALUE, "the file has more than " + Integer.MAX_VALUE
                    + " lines, more than one data set can hold; split it");
        } catch (java.util.zip.ZipException e) {
            throw new RatingsFormatException(name, in == null ? 1 : in.lineNumber() + 1, "the gzip data is corrupt ("
                    + e.getMessage() + "); compress the file again");
        } catch (java.io.EOFException e) {
            throw new RatingsFormatException(name, in == null ? 1 : in.lineNumber() + 1, "the gzip file is truncated; "
                    + "compress the file again");
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
        } finally {
            if (in != null) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // reading is over
                }
            }
        }
    }

    /** Reads ratings from a reader; {@code source} names it in messages (e.g. the file name). */
    public Report read(BufferedReader in, String source) throws IOException {
        int lineNo = 0;
        String first = null;
        int firstLineNo = 0;
        while (first == null) {
            String line = in.readLine();
            if (line == null) {
                break;
            }
            lineNo++;
            if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            if (!line.isBlank()) {
                first = line;
                firstLineNo = lineNo;
            }
        }
        RatingsFormat fmt = format;
        if (first == null) {
            throw new RatingsFormatException(source, Math.max(1, lineNo), "the file is empty; expected one rating per line"
                    + (fmt != null ? " as " + fmt.describe() : " (user, item, rating)"));
        }
        if (fmt == null) {
            fmt = detectFromLine(first);
        }
        List<String> firstFields = split(first, fmt.delimiter());
        int fieldCount = firstFields.size();
        int uc = column(fmt, "user", fmt.userColumn(), firstFields, source, firstLineNo);
        int ic = column(fmt, "item", fmt.itemColumn(), firstFields, source, firstLineNo);
        int rc = column(fmt, "rating", fmt.ratingColumn(), firstFields, source, firstLineNo);
        int tc = fmt.timestampColumn() == null ? -1
                : column(fmt, "timestamp", fmt.timestampColumn(), firstFields, source, firstLineNo);
        Ratings.Builder b = Ratings.builder(source);
        Map<Integer, Integer> lineOfPosition = duplicates == Duplicates.ERROR ? new HashMap<>() : null;
        int replaced = 0;
        String line = first;
        int no = firstLineNo;
        if (fmt.header()) {
            line = null;
        }
        while (true) {
            if (line != null && !line.isBlank()) {
                List<String> f = split(line, fmt.delimiter());
                if (f.size() != fieldCount) {
                    throw new RatingsFormatException(source, no, "expected " + fieldCount + " fields separated by "
                            + delimiterName(fmt.delimiter()) + " (as on line " + firstLineNo + ") but found " + f.size()
                            + ": " + show(line));
                }
                String user = f.get(uc).trim();
                String item = f.get(ic).trim();
                if (user.isEmpty()) {
                    throw new RatingsFormatException(source, no, "empty user id in column " + (uc + 1) + ": " + show(line));
                }
                if (item.isEmpty()) {
                    throw new RatingsFormatException(source, no, "empty item id in column " + (ic + 1) + ": " + show(line));
                }
                double rating = number(f.get(rc).trim(), rc, source, no, line);
                long ts = tc >= 0 ? timestamp(f.get(tc).trim(), tc, source, no, line) : 0L;
                int before = b.size();
                int prev = b.positionOf(user, item);
                if (prev >= 0 && lineOfPosition != null) {
                    throw duplicate(source, no, user, item, lineOfPosition.get(prev));
                }
                prev = tc >= 0 ? b.add(user, item, rating, ts) : b.add(user, item, rating);
                if (prev >= 0) {
                    replaced++;
                } else if (lineOfPosition != null) {
                    lineOfPosition.put(before, no);
                }
            }
            line = in.readLine();
            if (line == null) {
                break;
            }
            no++;
        }
        if (b.size() == 0) {
            throw new RatingsFormatException(source, no + 1, "no ratings after the header line " + firstLineNo
                    + "; the file holds only a header");
        }
        return new Report(b.build(), fmt, replaced, no);
    }

    private static RatingsFormatException duplicate(String source, int line, String user, String item, Integer firstLine) {
        return new RatingsFormatException(source, line, "user " + user + " rated item " + item + " again (first on line "
                + firstLine + "); remove one of the two lines, or read with Duplicates.LAST_WINS to keep the last");
    }

    /** The largest rating magnitude read: beyond it squared errors overflow or lose all precision. */
    public static final double MAX_ABS_RATING = 1e9;

    private static double number(String s, int col, String source, int line, String text) {
        double v;
        try {
            v = Numbers.parseDecimal(s);
        } catch (NumberFormatException e) {
            throw new RatingsFormatException(source, line, "rating '" + s + "' in column " + (col + 1)
                    + " is not a number: " + show(text));
        }
        if (!Double.isFinite(v)) {
            throw new RatingsFormatException(source, line, "rating '" + s + "' in column " + (col + 1)
                    + " is not a finite number: " + show(text));
        }
        if (Math.abs(v) > MAX_ABS_RATING) {
            throw new RatingsFormatException(source, line, "rating '" + s + "' in column " + (col + 1)
                    + " lies outside [-1e9, 1e9], where squared errors stay exact enough: " + show(text));
        }
        return v;
    }

    private static long timestamp(String s, int col, String source, int line, String text) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new RatingsFormatException(source, line, "timestamp '" + s + "' in column " + (col + 1)
                    + " is not an integer (Unix seconds); declare no timestamp column if it holds dates: " + show(text));
        }
    }

    /** The 0-based index of a column spec, checked against the first line. */
    private static int column(RatingsFormat fmt, String what, String spec, List<String> firstFields, String source,
                              int line) {
        Integer pos = RatingsFormat.position(spec);
        if (pos != null) {
            if (pos > firstFields.size()) {
                throw new RatingsFormatException(source, line, "the " + what + " column " + pos + " does not exist: line "
                        + line + " has " + firstFields.size() + " fields separated by " + delimiterName(fmt.delimiter())
                        + "; check the delimiter or the column");
            }
            return pos - 1;
        }
        for (int k = 0; k < firstFields.size(); k++) {
            if (firstFields.get(k).trim().equals(spec.trim())) {
                return k;
            }
        }
        for (int k = 0; k < firstFields.size(); k++) {
            if (firstFields.get(k).trim().equalsIgnoreCase(spec.trim())) {
                return k;
            }
        }
        List<String> names = firstFields.stream().map(String::trim).toList();
        throw new RatingsFormatException(source, line, "unknown column '" + spec + "' for the " + what + "; the header has "
                + String.join(", ", names));
    }

    /**
     * Guesses the format of a file from its first non-blank line: "::" → movielens-dat; a tab →
     * movielens when the third field is a number (no header), else tsv with a header; a comma →
     * movielens-csv when the header names userId and movieId, else csv (with a header when the
     * third field is not a number).
     */
    public static RatingsFormat detect(Path file) {
        try (BufferedReader in = TextInput.open(file)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    return detectFromLine(line.charAt(0) == '\uFEFF' ? line.substring(1) : line);
                }
            }
            return RatingsFormat.MOVIELENS;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
        }
    }

    static RatingsFormat detectFromLine(String line) {
        if (line.contains("::")) {
            return RatingsFormat.MOVIELENS_DAT;
        }
        String d = line.contains("\t") ? "\t" : line.contains(",") ? "," : line.contains(";") ? ";" : "\t";
        List<String> f = split(line, d);
        boolean header = f.size() < 3 || !isNumber(f.get(2).trim());
        if (header && f.stream().anyMatch(s -> s.trim().equals("userId")) && f.stream().anyMatch(s -> s.trim().equals("movieId"))) {
            return d.equals(",") ? RatingsFormat.MOVIELENS_CSV : RatingsFormat.MOVIELENS_CSV.withDelimiter(d);
        }
        if (d.equals("\t") && !header) {
            return f.size() >= 4 ? RatingsFormat.MOVIELENS
                    : RatingsFormat.MOVIELENS.withColumns("1", "2", "3", null);
        }
        RatingsFormat base = d.equals("\t") ? RatingsFormat.TSV : RatingsFormat.CSV.withDelimiter(d);
        return base.withHeader(header);
    }

    private static boolean isNumber(String s) {
        try {
            Numbers.parseDecimal(s.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Splits a line on a literal delimiter, keeping empty fields. With a one-character delimiter,
     * double-quoted fields may contain it ("" inside quotes is one quote).
     */
    static List<String> split(String line, String delimiter) {
        List<String> out = new ArrayList<>();
        if (delimiter.length() == 1 && line.indexOf('"') >= 0) {
            char d = delimiter.charAt(0);
            StringBuilder cur = new StringBuilder();
            boolean quoted = false;
            for (int k = 0; k < line.length(); k++) {
                char c = line.charAt(k);
                if (quoted) {
                    if (c == '"') {
                        if (k + 1 < line.length() && line.charAt(k + 1) == '"') {
                            cur.append('"');
                            k++;
                        } else {
                            quoted = false;
                        }
                    } else {
                        cur.append(c);
                    }
                } else if (c == '"' && cur.toString().isBlank()) {
                    cur.setLength(0);
                    quoted = true;
                } else if (c == d) {
                    out.add(cur.toString());
                    cur.setLength(0);
                } else {
                    cur.append(c);
                }
            }
            out.add(cur.toString());
            return out;
        }
        int from = 0;
        while (true) {
            int at = line.indexOf(delimiter, from);
            if (at < 0) {
                out.add(line.substring(from));
                return out;
            }
            out.add(line.substring(from, at));
            from = at + delimiter.length();
        }
    }

    static String delimiterName(String d) {
        return switch (d) {
            case "\t" -> "tabs";
            case "," -> "commas";
            case ";" -> "semicolons";
            default -> "'" + d + "'";
        };
    }

    /** The line quoted for a message, tabs made visible, cut at 80 characters. */
    static String show(String line) {
        String s = line.replace("\t", "\\t");
        if (s.length() > 80) {
            s = s.substring(0, 77) + "...";
        }
        return "\"" + s + "\"";
    }
}
