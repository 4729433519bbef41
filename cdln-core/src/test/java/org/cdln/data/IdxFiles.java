package org.cdln.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests (the format: big-endian magic, dims, unsigned bytes). */
public final class IdxFiles {
    private IdxFiles() {
    }

    /** The bytes of an IDX file with the given magic, dims and payload. */
    public static byte[] idx(int magic, int[] dims, byte[] payload) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(b);
            d.writeInt(magic);
            for (int x : dims) {
                d.writeInt(x);
            }
            d.write(payload);
            d.flush();
            return b.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** gzip of the bytes. */
    public static byte[] gzip(byte[] raw) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (OutputStream g = new GZIPOutputStream(b)) {
                g.write(raw);
            }
            return b.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes bytes to dir/name and returns the path. */
    public static Path write(Path dir, String name, byte[] bytes) {
        try {
            Path p = dir.resolve(name);
            Files.write(p, bytes);
            return p;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A learnable synthetic MNIST-like folder: n train and m test 28×28 images of 10 classes, each
     * class a bright 7×7 square at its own place on noise; gzip'd like the real files.
     */
    public static Path syntheticFolder(Path dir, int n, int m, long seed) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        writeSet(dir, "train", n, rnd);
        writeSet(dir, "t10k", m, rnd);
        return dir;
    }

    private static void writeSet(Path dir, String prefix, int n, SplittableRandom rnd) {
        byte[] px = new byte[n * 784];
        byte[] lab = new byte[n];
        for (int i = 0; i < n; i++) {
            int y = rnd.nextInt(10);
            lab[i] = (byte) y;
            int r0 = 3 + 7 * (y / 4);
            int c0 = 1 + 7 * (y % 4);
            for (int k = 0; k < 784; k++) {
                int r = k / 28;
                int c = k % 28;
                boolean on = r >= r0 && r < r0 + 7 && c >= c0 && c < c0 + 7;
                px[i * 784 + k] = (byte) (on ? 150 + rnd.nextInt(100) : rnd.nextInt(90));
            }
        }
        write(dir, prefix + "-images-idx3-ubyte.gz", gzip(idx(IdxReader.IMAGES_MAGIC, new int[] {n, 28, 28}, px)));
        write(dir, prefix + "-labels-idx1-ubyte.gz", gzip(idx(IdxReader.LABELS_MAGIC, new int[] {n}, lab)));
    }
}
