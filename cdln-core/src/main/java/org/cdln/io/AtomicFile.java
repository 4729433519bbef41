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
 *
 * <p>A process killed inside the write (kill -9, a power cut) leaves its temporary sibling behind
 * and the target untouched; the next write of the same target deletes the siblings of processes
 * that no longer run. Readers never look at temporary siblings.
 */
public final class AtomicFile {
    /**
     * Test hook: a system property naming a file (e.g. {@code summary.json}, or {@code *.cdln} for
     * every name with that ending); a write of a file of that name stops after its temporary sibling is complete and forced to the disk, before the
     * rename, prints one line ("cdln: holding …") to stderr and waits there for good, so that a test
     * can kill the process inside the write window deterministically. Unset in normal use.
     */
    public static final String HOLD_BEFORE_RENAME = "org.cdln.io.AtomicFile.holdBeforeRename";

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
                deleteStaleSiblings(abs);
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
                holdIfAsked(tmp, abs);
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

    /**
     * Deletes the temporary siblings of {@code target} ({@code .name.<pid>.<nanos>.tmp}) left by
     * processes that no longer run (killed inside a write); a sibling of a live process, or one
     * that cannot be deleted, is left alone.
     */
    static void deleteStaleSiblings(Path target) {
        String prefix = "." + target.getFileName() + ".";
        try (java.nio.file.DirectoryStream<Path> siblings = Files.newDirectoryStream(target.getParent(),
                p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(".tmp"))) {
            for (Path p : siblings) {
                String[] parts = p.getFileName().toString().substring(prefix.length()).split("\\.");
                if (parts.length != 3 || !parts[0].matches("[0-9]{1,18}") || !parts[1].matches("-?[0-9]{1,19}")) {
                    continue;   // not one of ours
                }
                long pid = Long.parseLong(parts[0]);
                // this process's own writes (another thread) and those of live processes are in progress
                if (pid == ProcessHandle.current().pid()
                        || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // left for later: it is never read
                }
            }
        } catch (IOException | java.nio.file.DirectoryIteratorException ignored) {
            // an unlistable folder: the write itself will say what is wrong
        }
    }

    /** The test hook {@link #HOLD_BEFORE_RENAME}: waits before the rename until killed (or interrupted). */
    private static void holdIfAsked(Path tmp, Path abs) {
        String name = System.getProperty(HOLD_BEFORE_RENAME);
        String file = String.valueOf(abs.getFileName());
        if (name == null || !(name.startsWith("*") ? file.endsWith(name.substring(1)) : name.equals(file))) {
            return;
        }
        System.err.println("cdln: holding " + tmp + " before renaming it over " + abs + " (" + HOLD_BEFORE_RENAME
                + ")");
        System.err.flush();
        try {
            while (true) {
                Thread.sleep(60_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The temporary sibling a write of {@code target} uses. */
    static Path temporarySibling(Path target) {
        Path abs = target.toAbsolutePath();
        return abs.resolveSibling("." + abs.getFileName() + "." + ProcessHandle.current().pid() + "."
                + System.nanoTime() + ".tmp");
    }

    /**
     * What went wrong in a write, in words a user can act on: a full disk and a denied permission
     * say what to do, anything else gives the exception's class and message.
     */
    public static String describe(IOException e) {
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
