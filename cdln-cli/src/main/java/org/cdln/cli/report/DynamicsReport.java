package org.cdln.cli.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cdln.analysis.DynamicsPoint;
import org.cdln.analysis.IncrementalLearning;
import org.cdln.analysis.MatrixDynamics;
import org.cdln.analysis.SingularBlocks;

/**
 * Writes what {@code cdln analyze} recorded: {@code dynamics.json} (every measurement of every
 * matrix at every recorded step), {@code dynamics.csv} (one row per step: update ranks, block
 * angles, the product's singular values and alignments) and the four figures.
 */
public final class DynamicsReport {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DynamicsReport() {
    }

    /**
     * Writes dynamics.json: {"block_rank", "rank_tolerance", "reference_step": {name: step},
     * "target_singular_values", "findings": {…}, "points": [{"step", "seconds", "train_loss",
     * "recovery_error", "matrices": {name: {"sigma", "update_rank", "update_tail", "angles_left":
     * {"top", "middle", "bottom"}, "angles_right", "align_left", "align_right"}}}]}. NaN is null.
     */
    public static Path writeJson(Path file, Map<String, Object> header, List<String> names, long[] referenceSteps,
                                 List<DynamicsPoint> points) {
        Map<String, Object> root = new LinkedHashMap<>(header);
        Map<String, Object> refs = new LinkedHashMap<>();
        for (int m = 0; m < names.size(); m++) {
            refs.put(names.get(m), referenceSteps[m] < 0 ? null : referenceSteps[m]);
        }
        root.put("reference_step", refs);
        List<Object> ps = new ArrayList<>();
        for (DynamicsPoint p : points) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("step", p.step());
            e.put("seconds", p.seconds());
            e.put("train_loss", num(p.trainLoss()));
            e.put("recovery_error", num(p.recoveryError()));
            Map<String, Object> ms = new LinkedHashMap<>();
            for (MatrixDynamics m : p.matrices()) {
                Map<String, Object> q = new LinkedHashMap<>();
                q.put("sigma", list(m.singularValues()));
                q.put("update_rank", m.updateRank());
                q.put("update_tail", num(m.updateTail()));
                q.put("angles_left", blocks(m.leftAngles()));
                q.put("angles_right", blocks(m.rightAngles()));
                if (m.leftAlignment().length > 0) {
                    q.put("align_left", list(m.leftAlignment()));
                }
                if (m.rightAlignment().length > 0) {
                    q.put("align_right", list(m.rightAlignment()));
                }
                ms.put(m.name(), q);
            }
            e.put("matrices", ms);
            ps.add(e);
        }
        root.put("points", ps);
        org.cdln.cli.Outputs.write(file, out -> MAPPER.writeValue(out, root));
        return file;
    }

    /**
     * Writes dynamics.csv: step, train_loss, recovery_error, then per matrix M (W1..WL, P)
     * M_update_rank, M_update_tail, M_angle_{left,right}_{top,middle,bottom}; then P_sigma_1..n,
     * P_align_left_1..r, P_align_right_1..r. Empty cells for NaN.
     */
    public static Path writeCsv(Path file, List<DynamicsPoint> points) {
        try {
            try (org.cdln.io.AtomicFile.Pending pending = org.cdln.cli.Outputs.pending(file);
                 BufferedWriter w = new BufferedWriter(pending.writer())) {
                if (points.isEmpty()) {
                    w.write("step,train_loss,recovery_error\n");
                    w.flush();
                    pending.commit();
                    return file;
                }
                DynamicsPoint first = points.get(0);
                StringBuilder h = new StringBuilder("step,train_loss,recovery_error");
                for (MatrixDynamics m : first.matrices()) {
                    String n = m.name();
                    h.append(',').append(n).append("_update_rank,").append(n).append("_update_tail");
                    for (String side : new String[] {"left", "right"}) {
                        for (String b : SingularBlocks.NAMES) {
                            h.append(',').append(n).append("_angle_").append(side).append('_').append(b);
                        }
                    }
                }
                MatrixDynamics p0 = first.product();
                for (int i = 1; i <= p0.singularValues().length; i++) {
                    h.append(",P_sigma_").append(i);
                }
                for (int i = 1; i <= p0.leftAlignment().length; i++) {
                    h.append(",P_align_left_").append(i);
                }
                for (int i = 1; i <= p0.rightAlignment().length; i++) {
                    h.append(",P_align_right_").append(i);
                }
                w.write(h.toString());
                w.newLine();
                for (DynamicsPoint p : points) {
                    StringBuilder b = new StringBuilder();
                    b.append(p.step()).append(',').append(TrajectoryCsv.num(p.trainLoss())).append(',')
                            .append(TrajectoryCsv.num(p.recoveryError()));
                    for (MatrixDynamics m : p.matrices()) {
                        b.append(',').append(m.updateRank()).append(',').append(TrajectoryCsv.num(m.updateTail()));
                        for (double a : m.leftAngles()) {
                            b.append(',').append(TrajectoryCsv.num(a));
                        }
                        for (double a : m.rightAngles()) {
                            b.append(',').append(TrajectoryCsv.num(a));
                        }
                    }
                    MatrixDynamics pm = p.product();
                    for (double v : pm.singularValues()) {
                        b.append(',').append(TrajectoryCsv.num(v));
                    }
                    for (double v : pm.leftAlignment()) {
                        b.append(',').append(TrajectoryCsv.num(v));
                    }
                    for (double v : pm.rightAlignment()) {
                        b.append(',').append(TrajectoryCsv.num(v));
                    }
                    w.write(b.toString());
                    w.newLine();
                }
                w.flush();
                pending.commit();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + org.cdln.io.AtomicFile.describe(e), e);
        }
        return file;
    }

    /**
     * Writes the four figures: singular_values (heat map of σ_i(P(t))), alignment (left and right
     * singular vectors of P against the truth), subspace_angles (top/middle/bottom blocks, per
     * matrix) and update_rank (per matrix, with 2r dashed, and the update tail below). Returns the PNG paths.
     */
    public static List<Path> writeFigures(Path dir, String title, List<DynamicsPoint> points, int blockRank,
                                          double rankTolerance, IncrementalLearning il) {
        List<Path> out = new ArrayList<>();
        int n = points.size();
        double[] x = new double[n];
        for (int k = 0; k < n; k++) {
            x[k] = points.get(k).step();
        }
        int sv = points.get(0).product().singularValues().length;
        double[][] z = new double[sv][n];
        for (int k = 0; k < n; k++) {
            double[] s = points.get(k).product().singularValues();
            for (int i = 0; i < sv; i++) {
                z[i][k] = s[i];
            }
        }
        out.add(Charts.heatMap(dir, "singular_values", title + " — singular values σ_i(P(t)) of the product",
                "steps", "index i", "σ_i", x, z, true));
        List<Charts.Panel> align = new ArrayList<>();
        int r = points.get(0).product().leftAlignment().length;
        if (r > 0) {
            for (String side : new String[] {"left", "right"}) {
                List<String> names = new ArrayList<>();
                List<double[]> xs = new ArrayList<>();
                List<double[]> ys = new ArrayList<>();
                for (int i = 0; i < r; i++) {
                    double[] y = new double[n];
                    for (int k = 0; k < n; k++) {
                        MatrixDynamics p = points.get(k).product();
                        y[k] = (side.equals("left") ? p.leftAlignment() : p.rightAlignment())[i];
                    }
                    String learned = il != null && il.stepReached()[i] >= 0 ? "" : " (not learned)";
                    names.add("i=" + (i + 1) + learned);
                    xs.add(x);
                    ys.add(y);
                }
                align.add(new Charts.Panel(side.equals("left") ? "|⟨u_i(t), u_i*⟩|" : "|⟨v_i(t), v_i*⟩|", names, xs,
                        ys, false, 1.0));
            }
            out.add(Charts.panels(dir, "alignment", title + " — alignment of P's singular vectors with the target's",
                    "steps", align));
        }
        List<Charts.Panel> angles = new ArrayList<>();
        List<String> mnames = new ArrayList<>();
        for (MatrixDynamics m : points.get(0).matrices()) {
            mnames.add(m.name());
        }
        for (int b = 0; b < 3; b++) {
            List<String> names = new ArrayList<>();
            List<double[]> xs = new ArrayList<>();
            List<double[]> ys = new ArrayList<>();
            for (int m = 0; m < mnames.size(); m++) {
                for (String side : new String[] {"left", "right"}) {
                    double[] y = new double[n];
                    for (int k = 0; k < n; k++) {
                        MatrixDynamics md = points.get(k).matrices().get(m);
                        y[k] = (side.equals("left") ? md.leftAngles() : md.rightAngles())[b];
                    }
                    names.add(mnames.get(m) + " " + side);
                    xs.add(x);
                    ys.add(y);
                }
            }
            angles.add(new Charts.Panel(SingularBlocks.NAMES[b] + " block angle (rad)", names, xs, ys, false, null));
        }
        out.add(Charts.panels(dir, "subspace_angles", title
                + " — largest principal angle of each singular block to the reference step", "steps", angles));
        List<String> names = new ArrayList<>();
        List<double[]> xs = new ArrayList<>();
        List<double[]> ys = new ArrayList<>();
        for (int m = 0; m < mnames.size(); m++) {
            double[] y = new double[n];
            for (int k = 0; k < n; k++) {
                y[k] = points.get(k).matrices().get(m).updateRank();
            }
            names.add(mnames.get(m));
            xs.add(x);
            ys.add(y);
        }
        List<double[]> tails = new ArrayList<>();
        for (int m = 0; m < mnames.size(); m++) {
            double[] y = new double[n];
            for (int k = 0; k < n; k++) {
                y[k] = points.get(k).matrices().get(m).updateTail();
            }
            tails.add(y);
        }
        out.add(Charts.panels(dir, "update_rank", title + String.format(Locale.ROOT,
                " — numerical rank of M(t) − M(0) (σ_i > %s·σ_1; dashed: 2r = %d) and its tail σ_(2r+1)/σ_1",
                ResultTable.g(rankTolerance), 2 * blockRank), "steps", List.of(
                new Charts.Panel("update rank", names, xs, ys, false, (double) (2 * blockRank)),
                new Charts.Panel("σ_(2r+1)/σ_1 of M(t) − M(0)", names, xs, tails, true, null))));
        return out;
    }

    private static Map<String, Object> blocks(double[] a) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int b = 0; b < 3; b++) {
            m.put(SingularBlocks.NAMES[b], num(a[b]));
        }
        return m;
    }

    private static List<Object> list(double[] v) {
        List<Object> l = new ArrayList<>(v.length);
        for (double x : v) {
            l.add(num(x));
        }
        return l;
    }

    private static Object num(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
