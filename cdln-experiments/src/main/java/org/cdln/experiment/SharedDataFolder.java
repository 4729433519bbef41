package org.cdln.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the project's shared data folder ({@code shared/data}, described by its README): the system
 * property {@code cdln.data} when set, else the first {@code shared/data} met walking up from the
 * working directory (a checkout has {@code ../shared} beside it). Data is never bundled with cdln.
 */
public final class SharedDataFolder {
    /** The system property that overrides the search. */
    public static final String PROPERTY = "cdln.data";

    private SharedDataFolder() {
    }

    /** The shared data folder, or empty when none is found. */
    public static Optional<Path> locate() {
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isBlank()) {
            Path dir = Path.of(p);
            return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("shared").resolve("data");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
            dir = dir.getParent();
        }
        return Optional.empty();
    }

    /** {@code <shared data>/<name>} when it exists, else empty. */
    public static Optional<Path> dataset(String name) {
        return locate().map(d -> d.resolve(name)).filter(Files::isDirectory);
    }

    /**
     * A data set's folder for use as a default: the located one, or {@code <name>} under the sibling folder {@code shared/data}
     * relative to the working directory when nothing was found (so that the error names a path).
     */
    public static Path datasetOrDefault(String name) {
        return dataset(name).orElse(Path.of("..", "shared", "data", name));
    }
}
