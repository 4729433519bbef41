package org.cdln.cli.ratings;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes an output file whole or not at all: the text goes to a temporary sibling
 * ({@code .name.PID.NANOS.tmp}, default permissions) that is renamed onto the target when
 * complete, so an interrupted or failed write never leaves half a file. A small helper of the
 * ratings commands.
 */
public final class AtomicOutput {
    private AtomicOutput() {
    }

    /** What writes the content. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Writer w) throws IOException;
    }

    /**
     * Writes {@code file} (UTF-8) through the CLI's output layer ({@link org.cdln.cli.Outputs}):
     * a temporary sibling renamed onto the target when complete, never over a device or an input.
     */
    public static void write(Path file, Content content) {
        try (org.cdln.io.AtomicFile.Pending p = org.cdln.cli.Outputs.pending(file)) {
            try {
                content.writeTo(p.writer());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage()
                        + "; check that the folder is writable", e);
            }
            p.commit();
        }
    }
}
