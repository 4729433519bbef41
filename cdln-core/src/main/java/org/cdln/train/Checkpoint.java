package org.cdln.train;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cdln.io.BinaryFile;
import org.cdln.linalg.Matrix;
import org.cdln.model.DeepLinearNetwork;

/**
 * A resumable snapshot of a training run: the network, the optimiser state, the step, the
 * training time, the trajectory so far, and the state of every listener that keeps one
 * ({@link StatefulListener}, e.g. early stopping), so that a resumed run continues exactly as the
 * uninterrupted one would have; a run that had already stopped for good (early stopped) stays
 * stopped.
 *
 * <p>File format: the {@link BinaryFile} container (magic "CDLNCKPT", version, body, CRC-32,
 * written atomically) with the body (version 2)
 * <pre>
 * UTF label, UTF settings (for the record), UTF identity (digest of the trainer settings but the
 * step budget; "" when unknown), int64 step, double seconds,
 * int32 n, n × (int64 step, double seconds, double loss, double error)       trajectory
 * UTF origin, int32 depth L, (L+1) × int32 widths, the layers' column-major doubles
 * int32 s, s × (int32 length, doubles), int64 optimiser steps
 * UTF stop reason ("" while running), UTF stop message
 * int32 q, q × (UTF listener key, int32 length, doubles)                    listener states
 * </pre>
 * Version 1 (read, never written) ends after the optimiser steps and has no checksum. Every
 * count and field is checked on reading: a flipped bit, an impossible step or trailing bytes
 * are refused with a one-line message naming the file.
 *
 * @param settings       the trainer settings of the run as text, for the record
 * @param identity       digest of the trainer settings but the step budget
 *                       ({@link Trainer#identity}); "" for checkpoints that predate it
 * @param stopReason     why the run stopped, or null when it was still running
 * @param listenerStates the saved state of each stateful listener, by key
 */
public record Checkpoint(String label, String settings, String identity, long step, double seconds,
                         List<EvalPoint> trajectory, DeepLinearNetwork network, double[][] optimizerState,
                         long optimizerSteps, StopReason stopReason, String stopMessage,
                         Map<String, double[]> listenerStates) {
    /** The container of checkpoint files. */
    public static final BinaryFile.Format FORMAT = new BinaryFile.Format("CDLNCKPT", "cdln checkpoint", 2, 1, 2,
            "delete it and start afresh (or resume from another checkpoint)");
    /** Largest step a checkpoint may hold (2⁵³: every step is exactly a double). */
    public static final long MAX_STEP = 1L << 53;

    public Checkpoint {
        trajectory = List.copyOf(trajectory);
        listenerStates = Collections.unmodifiableMap(new LinkedHashMap<>(listenerStates));
        identity = identity == null ? "" : identity;
        stopMessage = stopMessage == null ? "" : stopMessage;
    }

    /** A checkpoint of a running run without listener state. */
    public Checkpoint(String label, String settings, long step, double seconds, List<EvalPoint> trajectory,
                      DeepLinearNetwork network, double[][] optimizerState, long optimizerSteps) {
        this(label, settings, "", step, seconds, trajectory, network, optimizerState, optimizerSteps, null, "",
                Map.of());
    }

    /** Writes the checkpoint atomically. */
    public void save(Path file) {
        try {
            BinaryFile.write(file, FORMAT, this::writeBody);
        } catch (java.io.UncheckedIOException e) {
            throw new java.io.UncheckedIOException("could not write checkpoint " + file + ": "
                    + e.getMessage().replaceFirst("^could not write [^:]*: ", ""), e.getCause());
        }
    }

    private void writeBody(DataOutputStream out) throws IOException {
        out.writeUTF(label);
        out.writeUTF(settings);
        out.writeUTF(identity);
        out.writeLong(step);
        BinaryFile.writeDouble(out, seconds);
        out.writeInt(trajectory.size());
        for (EvalPoint p : trajectory) {
            out.writeLong(p.step());
            BinaryFile.writeDouble(out, p.seconds());
            BinaryFile.writeDouble(out, p.trainLoss());
            BinaryFile.writeDouble(out, p.recoveryError());
        }
        out.writeUTF(network.origin());
        int[] w = network.widths();
        out.writeInt(network.depth());
        for (int v : w) {
            out.writeInt(v);
        }
        for (Matrix layer : network.layers()) {
            BinaryFile.writeDoubles(out, layer.data());
        }
        out.writeInt(optimizerState.length);
        for (double[] s : optimizerState) {
            out.writeInt(s.length);
            BinaryFile.writeDoubles(out, s);
        }
        out.writeLong(optimizerSteps);
        out.writeUTF(stopReason == null ? "" : stopReason.name());
        out.writeUTF(stopMessage);
        BinaryFile.writeStates(out, listenerStates);
    }

    /**
     * Reads a checkpoint (version 1 or 2).
     *
     * @throws IllegalArgumentException when the file is not a cdln checkpoint, is truncated or
     *                                  corrupt (one line naming the file)
     */
    public static Checkpoint load(Path file) {
        return BinaryFile.read(file, FORMAT, Checkpoint::readBody);
    }

    private static Checkpoint readBody(BinaryFile.Input in) throws IOException {
        boolean v2 = in.version() >= 2;
        String label = in.readUTF();
        String settings = in.readUTF();
        String identity = v2 ? in.readUTF() : "";
        long step = in.longIn("the step", 0, MAX_STEP);
        double seconds = in.doubleAtLeast("the training time", 0.0, false);
        int n = in.count("evaluations", 32);
        List<EvalPoint> traj = new ArrayList<>(n);
        long previous = -1;
        for (int i = 0; i < n; i++) {
            long s = in.longIn("the step of evaluation " + i, previous + 1, step);
            traj.add(new EvalPoint(s, in.readDouble(), in.readDouble(), in.readDouble()));
            previous = s;
        }
        String origin = in.readUTF();
        int depth = in.count("layers", 12);
        if (depth < 2) {
            throw in.corrupt("it declares a network of depth " + depth + "; a deep linear network has L ≥ 2");
        }
        int[] w = in.ints(depth + 1L, "widths");
        List<Matrix> layers = new ArrayList<>();
        for (int l = 1; l <= depth; l++) {
            if (w[l] < 1 || w[l - 1] < 1) {
                throw in.corrupt("layer W" + l + " is " + w[l] + "×" + w[l - 1] + "; every width must be ≥ 1");
            }
            double[] d = in.doubles((long) w[l] * w[l - 1], "weights of W" + l);
            layers.add(Matrix.wrap(w[l], w[l - 1], d));
        }
        int s = in.count("optimiser state arrays", 4);
        double[][] state = new double[s][];
        for (int i = 0; i < s; i++) {
            state[i] = in.doubles(in.count("optimiser state values", 8), "optimiser state values");
        }
        long optSteps = in.readLong();
        if (optSteps != step) {
            // every training step is one optimiser update, so the two counts agree in every checkpoint cdln writes
            throw in.corrupt("its step " + step + " differs from its optimiser's update count " + optSteps);
        }
        StopReason reason = null;
        String message = "";
        Map<String, double[]> listeners = new LinkedHashMap<>();
        if (v2) {
            String r = in.readUTF();
            if (!r.isEmpty()) {
                try {
                    reason = StopReason.valueOf(r);
                } catch (IllegalArgumentException e) {
                    throw in.corrupt("its stop reason '" + r + "' is unknown");
                }
            }
            message = in.readUTF();
            listeners.putAll(in.states("listener states"));
        }
        DeepLinearNetwork net;
        try {
            net = DeepLinearNetwork.of(layers, origin);
        } catch (IllegalArgumentException e) {
            throw in.corrupt(e.getMessage());
        }
        return new Checkpoint(label, settings, identity, step, seconds, traj, net, state, optSteps, reason, message,
                listeners);
    }

    /** True when the run had stopped for a reason that a resume keeps (it had early stopped). */
    public boolean stoppedForGood() {
        return stopReason == StopReason.EARLY_STOPPED || stopReason == StopReason.REQUESTED;
    }
}
