package org.cdln.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.zip.CRC32;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Rng;
import org.cdln.model.DeepLinearNetwork;
import org.cdln.model.Initialization;
import org.cdln.optim.OptimizerConfig;
import org.cdln.problem.CompletionProblem;
import org.cdln.problem.SyntheticTarget;
import org.cdln.train.Checkpoint;
import org.cdln.train.CheckpointListener;
import org.cdln.train.Trainer;
import org.cdln.train.TrainerConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile checkpoint files: a flipped bit anywhere, a step of 10¹⁵ or −100, a huge count,
 * trailing bytes — each refused with one line that names the file, never resumed and never an
 * allocation of the declared size. And the atomic writer: never over a device or folder, nothing
 * left behind when the content fails.
 */
class CorruptFilesTest {
    private static final LinearAlgebra LA = LinearAlgebra.java();

    @TempDir
    Path dir;
    private Path file;
    private byte[] bytes;

    @BeforeEach
    void write() throws IOException {
        CompletionProblem p = CompletionProblem.sample(SyntheticTarget.generate(8, 8, 2, new Rng(1), LA).y(), 0.5,
                new Rng(2), "");
        file = dir.resolve("run.ckpt");
        new Trainer(TrainerConfig.gd(1, 20, 0, 5).withOptimizer(OptimizerConfig.adam(0.01)), LA)
                .addListener(new CheckpointListener(file, 1e9))
                .fit("wide", DeepLinearNetwork.wide(8, 8, 8, 3, Initialization.ORTH, 0.1, new Rng(3), LA), p);
        bytes = Files.readAllBytes(file);
    }

    private IllegalArgumentException refused(byte[] content) throws IOException {
        Path f = dir.resolve("bad.ckpt");
        Files.write(f, content);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e;
    }

    /** The byte offset of the step field: magic, version, two UTF strings and a third. */
    private int stepOffset() {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int at = 12;
        for (int k = 0; k < 3; k++) {
            at += 2 + (b.getShort(at) & 0xffff);
        }
        return at;
    }

    private static byte[] withChecksum(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body, 0, body.length - 8);
        ByteBuffer.wrap(body).putLong(body.length - 8, crc.getValue());
        return body;
    }

    @Test
    void everySingleFlippedBitIsRefused() throws IOException {
        for (int at = 0; at < bytes.length; at += Math.max(1, bytes.length / 97)) {
            byte[] b = bytes.clone();
            b[at] ^= (byte) (1 << (at % 8));
            refused(b);
        }
    }

    @Test
    void aFlippedWeightBitIsCaughtByTheChecksum() throws IOException {
        byte[] b = bytes.clone();
        b[bytes.length / 2] ^= 0x10;
        assertTrue(refused(b).getMessage().contains("checksum"));
    }

    @Test
    void impossibleStepsAreRefusedEvenWithAValidChecksum() throws IOException {
        int at = stepOffset();
        assertEquals(20L, ByteBuffer.wrap(bytes).getLong(at), "the fixture's step");
        for (long step : new long[] {-100, 1_000_000_000_000_000L, Long.MAX_VALUE}) {
            byte[] b = bytes.clone();
            ByteBuffer.wrap(b).putLong(at, step);
            String m = refused(withChecksum(b)).getMessage();
            assertTrue(m.contains("step"), m);
        }
        byte[] b = bytes.clone();
        ByteBuffer.wrap(b).putLong(at, 1_000_000_000_000_000L);
        refused(b); // without fixing the checksum: the field check or the checksum refuses it
    }

    @Test
    void aHugeCountIsRefusedBeforeAllocating() throws IOException {
        int at = stepOffset() + 16; // step, seconds, then the trajectory count
        for (int n : new int[] {-1, Integer.MAX_VALUE, 1 << 28}) {
            byte[] b = bytes.clone();
            ByteBuffer.wrap(b).putInt(at, n);
            String m = refused(withChecksum(b)).getMessage();
            assertTrue(m.contains("declares " + n + " evaluations"), m);
        }
    }

    @Test
    void trailingBytesAndTruncationAreRefused() throws IOException {
        byte[] junk = Arrays.copyOf(bytes, bytes.length + 5);
        assertTrue(refused(junk).getMessage().contains("after its end"));
        assertTrue(refused(Arrays.copyOf(bytes, bytes.length - 3)).getMessage().contains("truncated"));
    }

    /** A named pipe in the test folder stands for a device (replacing /dev/null itself is not a risk to take). */
    static Path fifo(Path dir) throws IOException, InterruptedException {
        Path f = dir.resolve("pipe");
        Process p = new ProcessBuilder("mkfifo", f.toString()).redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(p.waitFor() == 0 && Files.exists(f), "mkfifo is not available");
        return f;
    }

    @Test
    void theAtomicWriterNeverReplacesADeviceOrFolder() throws Exception {
        Path pipe = fifo(dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AtomicFile.write(pipe, out -> out.write(1)));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        assertTrue(Files.exists(pipe) && !Files.isRegularFile(pipe), "the pipe is still a pipe");
        Path folder = Files.createDirectory(dir.resolve("folder"));
        assertThrows(IllegalArgumentException.class, () -> AtomicFile.write(folder, out -> out.write(1)));
        assertTrue(Files.isDirectory(folder));
        Files.delete(pipe);
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("out.txt");
        Files.writeString(target, "old");
        assertThrows(UncheckedIOException.class, () -> AtomicFile.write(target, out -> {
            out.write("half".getBytes());
            throw new IOException("No space left on device");
        }));
        assertEquals("old", Files.readString(target));
        try (var s = Files.list(dir)) {
            assertEquals(Set.of("run.ckpt", "out.txt"), s.map(q -> q.getFileName().toString())
                    .collect(java.util.stream.Collectors.toSet()));
        }
    }

    @Test
    void settingsDigestsFollowValuesNotPrinting() {
        record S(double eta, int depth, OptimizerConfig.Kind kind, double[] rates) {
        }
        String a = SettingsDigest.of(new S(0.1, 3, OptimizerConfig.Kind.GD, new double[] {1, 2}));
        assertEquals(a, SettingsDigest.of(new S(0.1, 3, OptimizerConfig.Kind.GD, new double[] {1, 2})));
        assertFalse(a.equals(SettingsDigest.of(new S(0.1 + 1e-17 + 1e-16, 3, OptimizerConfig.Kind.GD,
                new double[] {1, 2}))));
        assertFalse(a.equals(SettingsDigest.of(new S(0.1, 3, OptimizerConfig.Kind.GD, new double[] {1, 3}))));
        assertEquals(a, SettingsDigest.of(new S(0.1, 4, OptimizerConfig.Kind.GD, new double[] {1, 2}),
                Set.of("depth")).equals(a) ? a : SettingsDigest.of(new S(0.1, 3, OptimizerConfig.Kind.GD,
                new double[] {1, 2})));
        assertEquals(SettingsDigest.of(new S(0.1, 4, OptimizerConfig.Kind.GD, new double[] {1, 2}), Set.of("depth")),
                SettingsDigest.of(new S(0.1, 5, OptimizerConfig.Kind.GD, new double[] {1, 2}), Set.of("depth")));
        assertEquals(16, a.length());
        assertArrayEquals(new double[] {1, 2}, new S(0.1, 3, OptimizerConfig.Kind.GD, new double[] {1, 2}).rates());
    }
}
