package org.cdln.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the shared real data for tests that need it: the system property {@code cdln.data}
 * if set, else the first {@code shared/data} folder found walking up from the working directory
 * (a checkout has {@code ../shared} beside it; a worktree finds {@code /work/shared}). The data is
 * never copied into the repository.
 */
public final class TestData {
    private TestData() {
    }

    /** The shared data folder, if there is one. */
    public static Optional<Path> root() {
        String prop = System.getProperty("cdln.data");
        if (prop != null && !prop.isBlank()) {
            Path p = Path.of(prop);
            return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("shared").resolve("data");
            if (Files.isDirectory(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** {@code <shared data>/<name>} when it exists, else empty. */
    public static Optional<Path> dataset(String name) {
        return root().map(r -> r.resolve(name)).filter(Files::isDirectory);
    }

    /** The MovieLens-100K folder; skips the calling test (JUnit assumption) when it is absent. */
    public static Path movieLens100kOrSkip() {
        Optional<Path> dir = root().map(r -> r.resolve("movielens-100k")).filter(p -> Files.isRegularFile(p.resolve("u.data")));
        Assumptions.assumeTrue(dir.isPresent(), "MovieLens-100K not found (looked for shared/data/movielens-100k/u.data "
                + "above the working directory, or -Dcdln.data=DIR): skipping; it is never part of the repository");
        return dir.get();
    }
}
