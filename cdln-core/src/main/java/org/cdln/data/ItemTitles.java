package org.cdln.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Item titles for showing recommendations: item id → title.
 *
 * <p>Reads GroupLens {@code u.item} ({@code id|title|release date|…}, pipe-separated,
 * <b>ISO-8859-1</b>, not UTF-8) and the newer MovieLens {@code movies.csv}
 * ({@code movieId,title,genres}, UTF-8, titles may be quoted). O(file size).
 */
public final class ItemTitles {
    private final Map<String, String> titles;
    private final Path source;

    private ItemTitles(Map<String, String> titles, Path source) {
        this.titles = Collections.unmodifiableMap(titles);
        this.source = source;
    }

    /** No titles. */
    public static ItemTitles none() {
        return new ItemTitles(Map.of(), null);
    }

    /**
     * The titles in {@code u.item} or {@code movies.csv} next to a ratings file, if one of them is
     * there.
     */
    public static Optional<ItemTitles> besideRatings(Path ratingsFile) {
        Path dir = ratingsFile.toAbsolutePath().getParent();
        if (dir == null) {
            return Optional.empty();
        }
        for (String name : List.of("u.item", "movies.csv")) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return Optional.of(read(p));
            }
        }
        return Optional.empty();
    }

    /** Reads {@code u.item} (ISO-8859-1, pipe-separated) or {@code movies.csv} (UTF-8, CSV) by name. */
    public static ItemTitles read(Path file) {
        boolean csv = file.getFileName().toString().endsWith(".csv");
        Map<String, String> m = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, csv ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1)) {
            String line;
            int no = 0;
            while ((line = in.readLine()) != null) {
                no++;
                if (line.isBlank() || (csv && no == 1)) {
                    continue;
                }
                List<String> f = csv ? RatingsReader.split(line, ",") : List.of(line.split("\\|", -1));
                if (f.size() < 2) {
                    throw new RatingsFormatException(file.getFileName().toString(), no, "expected 'id" + (csv ? "," : "|")
                            + "title…' but found " + RatingsReader.show(line));
                }
                m.put(f.get(0).trim(), f.get(1).trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read titles from " + file + ": " + e.getMessage(), e);
        }
        return new ItemTitles(m, file);
    }

    /** The title of an item id, if known. */
    public Optional<String> title(String itemId) {
        return Optional.ofNullable(titles.get(itemId));
    }

    /** All titles, in file order. */
    public java.util.Collection<String> titles() {
        return titles.values();
    }

    /** Number of titles. */
    public int size() {
        return titles.size();
    }

    /** The file the titles came from, if any. */
    public Optional<Path> source() {
        return Optional.ofNullable(source);
    }
}
