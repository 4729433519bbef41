package org.cdln.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.cdln.io.AtomicFile;

/**
 * The one output layer of the CLI. A command opens its destination ({@link #folder} or
 * {@link #file}) before any work: the destination is created and checked for writability (a
 * probe file is written and deleted), a destination that is one of the command's own inputs is
 * refused, and an exclusive lock ({@code .cdln.lock} in the folder, an OS file lock that dies
 * with the process, even after kill -9) refuses a second run writing to the same place. Every
 * file is then written through {@link #write}: to a temporary sibling renamed into place only
 * when complete ({@link AtomicFile}), never over a non-regular file (a device, a folder), never
 * over an input of the running command. A folder's summary.json is written last, and the one of an
 * earlier run is deleted before the first new file replaces what it describes.
 */
public final class Outputs implements AutoCloseable {
    /** The inputs of the commands running in this process, by real path. */
    private static final Set<Path> INPUTS = ConcurrentHashMap.newKeySet();
    /** Output folders opened in this process whose previous summary.json is not yet retired. */
    private static final Set<Path> UNWRITTEN = ConcurrentHashMap.newKeySet();
    /** The file that describes a folder's results; every command writes it last. */
    static final String SUMMARY = "summary.json";

    private final Path lockFile;
    private final boolean removeLockFile;
    private final FileChannel channel;
    private final FileLock lock;
    private final List<Path> inputs;
    private Path folder;

    private Outputs(Path lockFile, boolean removeLockFile, FileChannel channel, FileLock lock, List<Path> inputs) {
        this.lockFile = lockFile;
        this.removeLockFile = removeLockFile;
        this.channel = channel;
        this.lock = lock;
        this.inputs = inputs;
    }

    /**
     * Opens an output folder: creates it, checks that it can be written, that it is none of the
     * inputs, and locks it.
     *
     * @param flag   the option that named it, for messages (e.g. "--out")
     * @param inputs the files the command reads (null entries are ignored)
     * @throws IllegalArgumentException with one line naming the folder and the fix
     */
    public static Outputs folder(Path dir, String flag, Path... inputs) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(flag + " " + dir + " is a file, not a folder; give a folder (it is "
                    + "created when missing)");
        }
        List<Path> in = real(inputs);
        for (Path p : in) {
            if (p.equals(realOrAbsolute(dir))) {
                throw new IllegalArgumentException(flag + " " + dir + " is also an input of this command; write to "
                        + "another folder");
            }
        }
        createAndProbe(dir, flag);
        Outputs o = lock(dir.resolve(".cdln.lock"), false, dir, flag, in);
        o.folder = realOrAbsolute(dir);
        UNWRITTEN.add(o.folder);
        return o;
    }

    /**
     * Opens an output file: checks that it is not an input, not a folder or device, that its
     * folder can be written, and locks it.
     *
     * @throws IllegalArgumentException with one line naming the file and the fix
     */
    public static Outputs file(Path file, String flag, Path... inputs) {
        List<Path> in = real(inputs);
        Path target = realOrAbsolute(file);
        for (Path p : in) {
            if (p.equals(target)) {
                throw new IllegalArgumentException(flag + " " + file + " is also an input of this command (it would be "
                        + "overwritten); write to another file");
            }
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(flag + " " + file + " is a folder; give a file name");
        }
        AtomicFile.requireReplaceable(file);
        Path dir = file.toAbsolutePath().getParent();
        createAndProbe(dir, flag);
        return lock(dir.resolve("." + file.getFileName() + ".cdln.lock"), true, file, flag, in);
    }

    /**
     * Writes a file atomically, refusing one that is an input of a running command or not a
     * regular file.
     */
    public static void write(Path target, AtomicFile.Content content) {
        requireNotInput(target);
        retireSummary(target);
        AtomicFile.write(target, content);
    }

    /**
     * Before the first file a run writes into an output folder (other than its summary.json,
     * which every command writes last), deletes the folder's summary.json of an earlier run: the
     * files it describes are being replaced, and a run killed between two of its files must not
     * leave the old summary next to new files. A folder holds a summary.json only once all the
     * files it describes are complete and of the same run.
     */
    private static void retireSummary(Path target) {
        Path parent = realOrAbsolute(target).getParent();
        if (parent == null || !UNWRITTEN.remove(parent)) {
            return;
        }
        if (!String.valueOf(target.getFileName()).equals(SUMMARY)) {
            try {
                Files.deleteIfExists(parent.resolve(SUMMARY));
            } catch (IOException e) {
                throw new UncheckedIOException("could not replace the results in " + parent + " (" + why(e) + ")", e);
            }
        }
    }

    /**
     * Starts an atomic write of {@code target} (see {@link AtomicFile#open}): commit it when the
     * content is complete; closed without a commit it leaves nothing behind.
     */
    public static AtomicFile.Pending pending(Path target) {
        requireNotInput(target);
        retireSummary(target);
        return AtomicFile.open(target);
    }

    private static void requireNotInput(Path target) {
        if (INPUTS.contains(realOrAbsolute(target))) {
            throw new IllegalArgumentException("refusing to write " + target + ": it is an input of this command; "
                    + "write to another place");
        }
    }

    /** Writes UTF-8 text atomically (see {@link #write}). */
    public static void writeString(Path target, String text) {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes bytes atomically (see {@link #write}). */
    public static void writeBytes(Path target, byte[] bytes) {
        write(target, (OutputStream out) -> out.write(bytes));
    }

    private static void createAndProbe(Path dir, String flag) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create the output folder " + dir + " (" + why(e) + "); give a "
                    + flag + " you can write to");
        }
        Path probe = dir.resolve(".cdln-probe-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            Files.write(probe, new byte[] {1}, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write to " + dir + " (" + why(e) + "); give a " + flag
                    + " you can write to (checked before any work starts)");
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // a probe we could not delete is harmless
            }
        }
    }

    private static Outputs lock(Path lockFile, boolean removeLockFile, Path what, String flag, List<Path> inputs) {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                ch.close();
                throw new IllegalArgumentException("another cdln run is writing to " + what + " (it holds " + lockFile
                        + "); wait for it to finish or give another " + flag);
            }
            ch.truncate(0);
            ch.write(java.nio.ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            INPUTS.addAll(inputs);
            return new Outputs(lockFile, removeLockFile, ch, l, inputs);
        } catch (IOException e) {
            try {
                if (ch != null) {
                    ch.close();
                }
            } catch (IOException ignored) {
                // the original error matters more
            }
            throw new UncheckedIOException("could not lock " + what + " (" + why(e) + ")", e);
        }
    }

    /**
     * Releases the lock and forgets the inputs. A folder's {@code .cdln.lock} stays in the
     * folder (deleting it would let a run that opened it just before lock the deleted file while a
     * third locks a new one); the lock file next to a single output file is removed, so that
     * user folders do not collect them (a run racing that removal is a narrow, accepted case).
     */
    @Override
    public void close() {
        INPUTS.removeAll(inputs);
        if (folder != null) {
            UNWRITTEN.remove(folder);
        }
        try {
            if (removeLockFile) {
                Files.deleteIfExists(lockFile);
            }
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the OS releases the lock with the process anyway
        }
    }

    private static List<Path> real(Path... paths) {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (p != null) {
                out.add(realOrAbsolute(p));
            }
        }
        return out;
    }

    static Path realOrAbsolute(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            Path parent = p.toAbsolutePath().getParent();
            if (parent != null && Files.exists(parent, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    return parent.toRealPath().resolve(p.getFileName());
                } catch (IOException ignored) {
                    // fall through
                }
            }
            return p.toAbsolutePath().normalize();
        }
    }

    private static String why(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
