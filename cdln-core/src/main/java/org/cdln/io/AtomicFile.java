package org.cdln.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that readers see either the old file or the complete new one, never a part:
 * the content goes to a temporary sibling ({@code .name.<pid>.<nanos>.tmp}, created new, with the
 * default permissions), is forced to the disk, and is renamed over the target only when every
 * byte was written. A failure (full disk, exception in the writer, an error) deletes the sibling
 * and leaves the target as it was. The target must be a regular file or absent: a device, a
 * folder or another special file is refused, because a rename would replace it.
 */
public final class AtomicFile {
    private AtomicFile() {
    }

    /** Writes bytes to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Refuses a target that exists and is not a regular file (a device such as /dev/null, a
     * folder, a pipe, or a link to one of them).
     *
     * @throws IllegalArgumentException naming the file and what to do
     */
    public static void requireReplaceable(Path target) {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(target)) {
            throw new IllegalArgumentException(target + " exists and is not a regular file ("
                    + (Files.isDirectory(target) ? "a folder" : "a device, pipe or other special file")
                    + "); cdln only replaces regular files: give another output path");
        }
    }

    /**
     * Writes {@code content} to {@code target} atomically (see the class comment); creates the
     * parent folders.
     *
     * @throws UncheckedIOException naming the file when it cannot be written
     * @throws IllegalArgumentException when the target is not a regular file
     */
    public static void write(Path target, Content content) {
        try (Pending p = open(target)) {
            try {
                content.writeTo(p.stream());
            } catch (IOException e) {
                throw new UncheckedIOException("could not write " + target + ": " + describe(e), e);
            }
            p.commit();
        }
    }

    /**
     * Starts an atomic write: the returned file is renamed over {@code target} by
     * {@link Pending#commit()}; closed without a commit (an exception in between) it is deleted
     * and the target stays as it was. Use with try-with-resources.
     */
    public static Pending open(Path target) {
        requireReplaceable(target);
        Path abs = target.toAbsolutePath();
        Path tmp = temporarySibling(abs);
        try {
            Path dir = abs.getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return new Pending(target, abs, tmp, ch);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + target + ": " + describe(e), e);
        }
    }

    /** A file being written to a temporary sibling of its target. */
    public static final class Pending implements AutoCloseable {
        private final Path target;
        private final Path abs;
        private final Path tmp;
        private final FileChannel channel;
        private final BufferedOutputStream buffered;
        private final OutputStream stream;
        private java.io.Writer writer;
        private boolean committed;
        private boolean closed;

        private Pending(Path target, Path abs, Path tmp, FileChannel channel) {
            this.target = target;
            this.abs = abs;
            this.tmp = tmp;
            this.channel = channel;
            this.buffered = new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 1 << 16);
            // closing what the content wraps around this stream (a Jackson generator, a writer) only flushes it
            this.stream = new java.io.FilterOutputStream(buffered) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush();
                }
            };
        }

        /** The stream to write the content to (closing it only flushes). */
        public OutputStream stream() {
            return stream;
        }

        /** A UTF-8 writer on {@link #stream()}; {@link #commit()} flushes it. */
        public java.io.Writer writer() {
            if (writer == null) {
                writer = new java.io.BufferedWriter(new java.io.OutputStreamWriter(stream,
                        java.nio.charset.StandardCharsets.UTF_8));
            }
            return writer;
        }

        /** Forces the content to the disk and renames it over the target. */
        public void commit() {
            try {
                if (writer != null) {
                    writer.flush();
                }
                buffered.flush();
                channel.force(true);
                channel.close();
                try {
                    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
                }
                committed = true;
            } catch (IOException e) {
                throw new UncheckedIOException("could not write " + target + ": " + describe(e), e);
            }
        }

        /** Deletes the temporary file unless committed. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (!committed) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // the original failure matters more
                }
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original failure matters more
                }
            }
        }
    }

    /** The temporary sibling a write of {@code target} uses. */
    static Path temporarySibling(Path target) {
        Path abs = target.toAbsolutePath();
        return abs.resolveSibling("." + abs.getFileName() + "." + ProcessHandle.current().pid() + "."
                + System.nanoTime() + ".tmp");
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied; choose a folder you can write to";
        }
        if (m != null && m.contains("No space left")) {
            return "the disk is full; free space or choose another folder";
        }
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
