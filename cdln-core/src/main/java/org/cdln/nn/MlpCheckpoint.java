package org.cdln.nn;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cdln.io.BinaryFile;
import org.cdln.train.StopReason;

/**
 * A resumable snapshot of a mini-batch MLP run ({@link MlpTrainer#checkpoint}): every parameter,
 * every layer's optimiser state, the step, the epoch's running training loss and accuracy, the
 * per-epoch trajectory, the listeners' states and the stop reason. The batch order is not stored:
 * it is replayed from the seed (one shuffle per epoch started), so a resumed run sees the very
 * batches the uninterrupted one saw.
 *
 * <p>File: the {@link BinaryFile} container (magic "CDLNMLPC", version 1, CRC-32, atomic) with
 * UTF label, UTF identity, int64 step, double seconds, int32 n × (int32 epoch, int64 step,
 * 5 doubles), int32 p × (int32 length, doubles) parameters, int32 L × (int32 s × (int32 length,
 * doubles), int64 optimiser steps), double loss sum, int64 correct, int32 seen, int64 images,
 * UTF stop reason, UTF stop message, int32 q × (UTF key, int32 length, doubles).
 *
 * @param identity digest of the trainer settings (but the epochs), architecture, initial seed and data
 */
public record MlpCheckpoint(String label, String identity, long step, double seconds, List<EpochPoint> trajectory,
                            List<double[]> parameters, List<double[][]> optimizerStates, long[] optimizerSteps,
                            double lossSum, long correct, int seen, long images, StopReason stopReason,
                            String stopMessage, Map<String, double[]> listenerStates) {
    /** The container of MLP checkpoints. */
    public static final BinaryFile.Format FORMAT = new BinaryFile.Format("CDLNMLPC", "cdln MLP checkpoint", 1, 1, 1,
            "delete it and start afresh");

    /** Writes the checkpoint atomically. */
    public void save(Path file) {
        BinaryFile.write(file, FORMAT, this::writeBody);
    }

    private void writeBody(DataOutputStream out) throws IOException {
        out.writeUTF(label);
        out.writeUTF(identity);
        out.writeLong(step);
        BinaryFile.writeDouble(out, seconds);
        out.writeInt(trajectory.size());
        for (EpochPoint p : trajectory) {
            out.writeInt(p.epoch());
            out.writeLong(p.step());
            for (double v : new double[] {p.seconds(), p.trainLoss(), p.trainAccuracy(), p.testLoss(), p.testAccuracy()}) {
                BinaryFile.writeDouble(out, v);
            }
        }
        out.writeInt(parameters.size());
        for (double[] p : parameters) {
            out.writeInt(p.length);
            BinaryFile.writeDoubles(out, p);
        }
        out.writeInt(optimizerStates.size());
        for (int l = 0; l < optimizerStates.size(); l++) {
            double[][] st = optimizerStates.get(l);
            out.writeInt(st.length);
            for (double[] a : st) {
                out.writeInt(a.length);
                BinaryFile.writeDoubles(out, a);
            }
            out.writeLong(optimizerSteps[l]);
        }
        BinaryFile.writeDouble(out, lossSum);
        out.writeLong(correct);
        out.writeInt(seen);
        out.writeLong(images);
        out.writeUTF(stopReason == null ? "" : stopReason.name());
        out.writeUTF(stopMessage == null ? "" : stopMessage);
        BinaryFile.writeStates(out, listenerStates);
    }

    /**
     * Reads an MLP checkpoint, every count and field bounded.
     *
     * @throws IllegalArgumentException with one line naming the file when it is corrupt
     */
    public static MlpCheckpoint load(Path file) {
        return BinaryFile.read(file, FORMAT, in -> {
            String label = in.readUTF();
            String identity = in.readUTF();
            long step = in.longIn("the step", 0, 1L << 53);
            double seconds = in.doubleAtLeast("the training time", 0.0, false);
            int n = in.count("epoch points", 52);
            List<EpochPoint> traj = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int epoch = in.intIn("the epoch of point " + i, 0, Integer.MAX_VALUE);
                long s = in.longIn("the step of point " + i, 0, step);
                traj.add(new EpochPoint(epoch, s, in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(),
                        in.readDouble()));
            }
            int p = in.count("parameter arrays", 4);
            List<double[]> params = new ArrayList<>(p);
            for (int i = 0; i < p; i++) {
                params.add(in.doubles(in.count("parameters", 8), "parameters"));
            }
            int layers = in.count("layers", 12);
            List<double[][]> states = new ArrayList<>(layers);
            long[] optSteps = new long[layers];
            for (int l = 0; l < layers; l++) {
                double[][] st = new double[in.count("optimiser state arrays", 4)][];
                for (int k = 0; k < st.length; k++) {
                    st[k] = in.doubles(in.count("optimiser state values", 8), "optimiser state values");
                }
                states.add(st);
                optSteps[l] = in.longIn("the optimiser steps of layer " + (l + 1), 0, step);
            }
            double lossSum = in.readDouble();
            long correct = in.longIn("the correct count", 0, Long.MAX_VALUE);
            int seen = in.intIn("the seen count", 0, Integer.MAX_VALUE);
            long images = in.longIn("the image count", 0, Long.MAX_VALUE);
            String r = in.readUTF();
            StopReason reason;
            try {
                reason = r.isEmpty() ? null : StopReason.valueOf(r);
            } catch (IllegalArgumentException e) {
                throw in.corrupt("its stop reason '" + r + "' is unknown");
            }
            String message = in.readUTF();
            Map<String, double[]> ls = in.states("listener states");
            return new MlpCheckpoint(label, identity, step, seconds, traj, params, states, optSteps, lossSum, correct,
                    seen, images, reason, message, ls);
        });
    }

    /** True when the run had stopped for a reason that a resume keeps. */
    public boolean stoppedForGood() {
        return stopReason == StopReason.EARLY_STOPPED || stopReason == StopReason.REQUESTED;
    }
}
