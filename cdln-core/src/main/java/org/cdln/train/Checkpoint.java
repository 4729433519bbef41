package org.cdln.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.cdln.linalg.Matrix;
import org.cdln.model.DeepLinearNetwork;

/**
 * A resumable snapshot of a training run: the network, the optimiser state, the step, the
 * training time and the trajectory so far.
 *
 * <p>File format (big-endian, version 1): magic "CDLNCKPT", int version, UTF label, UTF settings,
 * long step, double seconds, int n then n × (long step, double seconds, double loss, double
 * error), UTF network origin, int depth, depth+1 widths, the layers' column-major doubles, int
 * s then s × (int length, doubles), long optimizer steps. Written to a temporary file and moved
 * into place, so a crash never leaves a half-written checkpoint.
 *
 * @param settings the trainer settings of the run as text, for the record (a resumed run uses
 *                 the settings of the trainer that resumes it)
 */
public record Checkpoint(String label, String settings, long step, double seconds, List<EvalPoint> trajectory,
                         DeepLinearNetwork network, double[][] optimizerState, long optimizerSteps) {
    private static final String MAGIC = "CDLNCKPT";
    private static final int VERSION = 1;

    /** Writes the checkpoint atomically. */
    public void save(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                out.writeBytes(MAGIC);
                out.writeInt(VERSION);
                out.writeUTF(label);
                out.writeUTF(settings);
                out.writeLong(step);
                out.writeDouble(seconds);
                out.writeInt(trajectory.size());
                for (EvalPoint p : trajectory) {
                    out.writeLong(p.step());
                    out.writeDouble(p.seconds());
                    out.writeDouble(p.trainLoss());
                    out.writeDouble(p.recoveryError());
                }
                out.writeUTF(network.origin());
                int[] w = network.widths();
                out.writeInt(network.depth());
                for (int v : w) {
                    out.writeInt(v);
                }
                for (Matrix layer : network.layers()) {
                    for (double v : layer.data()) {
                        out.writeDouble(v);
                    }
                }
                out.writeInt(optimizerState.length);
                for (double[] s : optimizerState) {
                    out.writeInt(s.length);
                    for (double v : s) {
                        out.writeDouble(v);
                    }
                }
                out.writeLong(optimizerSteps);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a checkpoint.
     *
     * @throws IllegalArgumentException when the file is not a cdln checkpoint or is truncated
     */
    public static Checkpoint load(Path file) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            byte[] magic = new byte[MAGIC.length()];
            in.readFully(magic);
            if (!MAGIC.equals(new String(magic, java.nio.charset.StandardCharsets.US_ASCII))) {
                throw new IllegalArgumentException(file + " is not a cdln checkpoint (bad magic)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException(file + " has checkpoint format version " + version
                        + ", this cdln reads version " + VERSION);
            }
            String label = in.readUTF();
            String settings = in.readUTF();
            long step = in.readLong();
            double seconds = in.readDouble();
            int n = in.readInt();
            List<EvalPoint> traj = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                traj.add(new EvalPoint(in.readLong(), in.readDouble(), in.readDouble(), in.readDouble()));
            }
            String origin = in.readUTF();
            int depth = in.readInt();
            int[] w = new int[depth + 1];
            for (int i = 0; i <= depth; i++) {
                w[i] = in.readInt();
            }
            List<Matrix> layers = new ArrayList<>();
            for (int l = 1; l <= depth; l++) {
                Matrix m = new Matrix(w[l], w[l - 1]);
                double[] d = m.data();
                for (int k = 0; k < d.length; k++) {
                    d[k] = in.readDouble();
                }
                layers.add(m);
            }
            int s = in.readInt();
            double[][] state = new double[s][];
            for (int i = 0; i < s; i++) {
                state[i] = new double[in.readInt()];
                for (int k = 0; k < state[i].length; k++) {
                    state[i][k] = in.readDouble();
                }
            }
            long optSteps = in.readLong();
            return new Checkpoint(label, settings, step, seconds, traj, DeepLinearNetwork.of(layers, origin), state,
                    optSteps);
        } catch (EOFException e) {
            throw new IllegalArgumentException("checkpoint " + file + " is truncated; delete it and start afresh", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read checkpoint " + file + ": " + e.getMessage(), e);
        }
    }
}
