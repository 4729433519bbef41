package org.cdln.spark;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cdln.io.BinaryFile;
import org.cdln.recommend.FitPoint;

/**
 * A resumable snapshot of one Spark fit of width r̂, taken on the driver between two gradient
 * steps: the iterate (U = W_L with d1 rows, W1, the inner layers), the next step, the loop's
 * seconds, the best iterate so far and the early-stopping counters, the divergence guard's
 * initial loss and the evaluations so far — all a resumed loop needs to continue exactly as the
 * uninterrupted one, so that both end with the same factors. A fit that has ended keeps its last
 * snapshot with {@code done} set; resuming it returns its result without stepping.
 *
 * <p>File format: the {@link BinaryFile} container (magic "CDLNSPCK", version 1, body, CRC-32,
 * written atomically) with the body
 * <pre>
 * UTF identity, int32 k, int32 d1, int32 d2, int32 inner count m, int64 step, double seconds,
 * U (d1·k doubles, row-major), W1 (k·d2, column-major), m × inner (k·k),
 * double best, int64 best step, int32 stale, double initial loss, int64 last evaluated,
 * boolean has best, [best U, best W1, m × best inner],
 * int32 n, n × (int64 step, double seconds, double loss, double RMSE, double MAE),
 * boolean done, UTF stop reason, UTF stop message, int64 final step
 * </pre>
 */
record SparkCheckpoint(String identity, int k, int d1, int d2, long step, double seconds, double[] u, double[] w1,
                       double[][] inner, double best, long bestStep, int stale, double initialLoss,
                       long lastEvaluated, double[] bestU, double[] bestW1, double[][] bestInner,
                       List<FitPoint> points, boolean done, String reason, String message, long finalStep) {
    static final BinaryFile.Format FORMAT = new BinaryFile.Format("CDLNSPCK", "cdln Spark checkpoint", 1, 1, 1,
            "delete it and fit afresh");

    /** The file of the fit of width {@code k} with the given identity in {@code dir}. */
    static Path file(Path dir, String identity, int k) {
        return dir.resolve("spark-fit-r" + k + "-" + identity.substring(0, Math.min(16, identity.length())) + ".ckpt");
    }

    void save(Path file) {
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create the checkpoint folder " + file.getParent() + ": "
                    + e.getMessage(), e);
        }
        BinaryFile.write(file, FORMAT, this::write);
    }

    private void write(DataOutputStream out) throws IOException {
        out.writeUTF(identity);
        out.writeInt(k);
        out.writeInt(d1);
        out.writeInt(d2);
        out.writeInt(inner.length);
        out.writeLong(step);
        out.writeDouble(seconds);
        BinaryFile.writeDoubles(out, u);
        BinaryFile.writeDoubles(out, w1);
        for (double[] l : inner) {
            BinaryFile.writeDoubles(out, l);
        }
        out.writeDouble(best);
        out.writeLong(bestStep);
        out.writeInt(stale);
        out.writeDouble(initialLoss);
        out.writeLong(lastEvaluated);
        out.writeBoolean(bestU != null);
        if (bestU != null) {
            BinaryFile.writeDoubles(out, bestU);
            BinaryFile.writeDoubles(out, bestW1);
            for (double[] l : bestInner) {
                BinaryFile.writeDoubles(out, l);
            }
        }
        out.writeInt(points.size());
        for (FitPoint p : points) {
            out.writeLong(p.step());
            out.writeDouble(p.seconds());
            out.writeDouble(p.trainLoss());
            out.writeDouble(p.validationRmse());
            out.writeDouble(p.validationMae());
        }
        out.writeBoolean(done);
        out.writeUTF(reason == null ? "" : reason);
        out.writeUTF(message == null ? "" : message);
        out.writeLong(finalStep);
    }

    /** Reads a checkpoint; a damaged or foreign file is refused with one line naming it. */
    static SparkCheckpoint load(Path file) {
        return BinaryFile.read(file, FORMAT, in -> {
            String identity = in.readUTF();
            int k = in.intIn("r̂", 1, 1 << 20);
            int d1 = in.intIn("users", 1, Integer.MAX_VALUE);
            int d2 = in.intIn("items", 1, Integer.MAX_VALUE);
            int m = in.intIn("inner layers", 0, 1 << 10);
            long step = in.longIn("step", 0, Long.MAX_VALUE);
            double seconds = in.readDouble();
            double[] u = in.doubles((long) d1 * k, "U");
            double[] w1 = in.doubles((long) k * d2, "W1");
            double[][] inner = new double[m][];
            for (int l = 0; l < m; l++) {
                inner[l] = in.doubles((long) k * k, "inner layer");
            }
            double best = in.readDouble();
            long bestStep = in.readLong();
            int stale = in.readInt();
            double initialLoss = in.readDouble();
            long lastEvaluated = in.readLong();
            double[] bestU = null;
            double[] bestW1 = null;
            double[][] bestInner = null;
            if (in.readBoolean()) {
                bestU = in.doubles((long) d1 * k, "best U");
                bestW1 = in.doubles((long) k * d2, "best W1");
                bestInner = new double[m][];
                for (int l = 0; l < m; l++) {
                    bestInner[l] = in.doubles((long) k * k, "best inner layer");
                }
            }
            int n = in.count("evaluations", 40);
            List<FitPoint> points = new ArrayList<>(n);
            for (int q = 0; q < n; q++) {
                points.add(new FitPoint(in.readLong(), in.readDouble(), in.readDouble(), in.readDouble(),
                        in.readDouble()));
            }
            boolean done = in.readBoolean();
            String reason = in.readUTF();
            String message = in.readUTF();
            long finalStep = in.readLong();
            return new SparkCheckpoint(identity, k, d1, d2, step, seconds, u, w1, inner, best, bestStep, stale,
                    initialLoss, lastEvaluated, bestU, bestW1, bestInner, points, done, reason, message, finalStep);
        });
    }
}
