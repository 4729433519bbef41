package org.cdln.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cdln.cli.progress.ProgressListener;
import org.cdln.cli.report.Charts;
import org.cdln.cli.report.MlpReport;
import org.cdln.cli.report.ResultTable;
import org.cdln.cli.report.SummaryJson;
import org.cdln.cli.report.TrajectoryCsv;
import org.cdln.data.ImageDataset;
import org.cdln.experiment.MlpExperiments;
import org.cdln.experiment.MlpSettings;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.train.TrainingListener;
import org.cdln.nn.UpdateRankRecorder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cdln analyze mlp}: does the paper's first observation — each layer's weights move only
 * inside a low-dimensional subspace (docs/method.md §4) — hold for a nonlinear network? Trains one variant
 * and records the singular values of every layer's update W_l(t) − W_l(0) (and of the block's
 * end-to-end update) a few times per epoch; prints the final numerical ranks, writes
 * update_rank.csv, update_rank.png/.svg (rank over training), update_spectrum.png/.svg (the final
 * normalised singular values) and summary.json.
 */
@Command(name = "mlp", mixinStandardHelpOptions = true, modelTransformer = MlpAnalyzeCommand.DerivedOptions.class,
        description = "Numerical rank of each layer's update W(t) − W(0) while an MLP (default +DLN) trains on "
                + "Fashion-MNIST: is the update low-dimensional in a nonlinear network too?")
public final class MlpAnalyzeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Every declared MLP setting is an option, but the variants: this command trains one (--model). */
    public static final class DerivedOptions extends MlpOptions.DerivedOptions {
        public DerivedOptions() {
            super(java.util.Set.of("models"));
        }
    }

    @Mixin
    MlpOptions options = new MlpOptions();

    @Option(names = "--model", paramLabel = "M", description = "mlp, mlp+dln or mlp+c-dln (default mlp+dln).")
    String model = "mlp+dln";
    @Option(names = {"--rank-tol", "--rank-threshold"}, paramLabel = "TAU", description = "Relative threshold τ in "
            + "[0, 1) of the numerical rank #{i : σ_i > τ·σ_1}, as in 'analyze' (default 0.01).")
    double tau = 0.01;
    @Option(names = "--snapshots-per-epoch", paramLabel = "K", description = "SVDs of the updates per epoch (default 4).")
    int snapshotsPerEpoch = 4;
    @CommandLine.Mixin
    OutOption out = OutOption.folder("out/analyze-mlp");
    @Mixin
    ResumeOption resume;

    /**
     * Opens the output (checked for writability, refused when it is an input, locked against a
     * second run) before any work, then runs the command.
     */
    @Override
    public Integer call() {
        try (Outputs outputs = out.open(options.data)) {
            return callWithOutputs();
        }
    }

    private Integer callWithOutputs() {
        if (!(tau >= 0 && tau < 1)) {
            throw new IllegalArgumentException("--rank-tol must be in [0, 1), got " + tau);
        }
        if (snapshotsPerEpoch < 1 || snapshotsPerEpoch > 1000) {
            throw new IllegalArgumentException("--snapshots-per-epoch must be in [1, 1000], got " + snapshotsPerEpoch);
        }
        MlpSettings s = options.settings(List.of(model.trim()));
        PrintWriter o = spec.commandLine().getOut();
        LinearAlgebra la = LinearAlgebra.instance();
        Path dir = out.path();
        ImageDataset.Split data = options.loadData(s.seed());
        ImageDataset.Split used = MlpExperiments.limit(data, s);
        o.println(MlpReport.header(s, used.train() + " / " + used.test(), options.dataFolder(), la)
                .replaceFirst("reproduce mlp", "analyze mlp (" + model.trim() + ")"));
        o.flush();
        long stepsPerEpoch = (used.train().size() + s.batch() - 1) / s.batch();
        long every = Math.max(1, stepsPerEpoch / snapshotsPerEpoch);
        UpdateRankRecorder recorder = new UpdateRankRecorder(every, la);
        MlpExperiments.Outcome outcome = MlpExperiments.run(s, data, la, (m, total) -> {
            List<TrainingListener> l = new ArrayList<>();
            l.add(recorder);
            if (options.progress.shown()) {
                l.add(ProgressListener.perEvaluation(m));
            }
            return l;
        }, dir.resolve("checkpoints"), resume.resume());
        MlpExperiments.Run run = outcome.runs().get(0);
        List<String> names = recorder.names();
        List<UpdateRankRecorder.Snapshot> snaps = recorder.snapshots();
        UpdateRankRecorder.Snapshot last = snaps.get(snaps.size() - 1);
        List<int[]> shapes = shapes(run, names);

        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"update of", "shape", "numerical rank (τ=" + ResultTable.g(tau) + ")", "of min dim",
            "99% energy rank", "90% energy rank", "stable rank", "‖ΔW‖₂"});
        List<Map<String, Object>> layers = new ArrayList<>();
        Map<String, double[]> groups = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            double[] sv = last.singularValues().get(i);
            int minDim = Math.min(shapes.get(i)[0], shapes.get(i)[1]);
            int rank = org.cdln.linalg.Svd.numericalRank(sv, tau);
            int e99 = UpdateRankRecorder.energyRank(sv, 0.99);
            int e90 = UpdateRankRecorder.energyRank(sv, 0.90);
            double stable = UpdateRankRecorder.stableRank(sv);
            rows.add(new String[] {names.get(i), shapes.get(i)[0] + "×" + shapes.get(i)[1], String.valueOf(rank),
                String.format(Locale.ROOT, "%d (%.1f%%)", minDim, 100.0 * rank / minDim), String.valueOf(e99),
                String.valueOf(e90), String.format(Locale.ROOT, "%.2f", stable),
                String.format(Locale.ROOT, "%.3g", sv.length == 0 ? 0 : sv[0])});
            String group = group(run, names.get(i));
            double[] g = groups.computeIfAbsent(group, k -> new double[] {Double.MAX_VALUE, 0, Double.MAX_VALUE, 0});
            g[0] = Math.min(g[0], 100.0 * rank / minDim);
            g[1] = Math.max(g[1], 100.0 * rank / minDim);
            g[2] = Math.min(g[2], e90);
            g[3] = Math.max(g[3], e90);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("update_of", names.get(i));
            e.put("rows", shapes.get(i)[0]);
            e.put("cols", shapes.get(i)[1]);
            e.put("numerical_rank", rank);
            e.put("energy_rank_99", e99);
            e.put("energy_rank_90", e90);
            e.put("stable_rank", stable);
            e.put("singular_values", sv);
            layers.add(e);
        }
        o.println();
        o.println(String.format(Locale.ROOT, "final test accuracy %.4f after %d epochs (%d steps, %s s of training); "
                + "updates W(t) − W(0) after the last step:", run.result().finalTestAccuracy(),
                run.result().last().epoch(), run.result().steps(), String.format(Locale.ROOT, "%.1f", run.result().seconds())));
        o.println(ResultTable.format(rows));
        for (Map.Entry<String, double[]> g : groups.entrySet()) {
            double[] v = g.getValue();
            o.println(String.format(Locale.ROOT, "%s: numerical rank %s of the smaller dimension, 90%% of ‖ΔW‖_F² in %s "
                    + "directions", g.getKey(), range(v[0], v[1], "%.1f%%"), range(v[2], v[3], "%.0f")));
        }

        List<List<Object>> csv = new ArrayList<>();
        List<String> seriesNames = new ArrayList<>();
        List<double[]> xs = new ArrayList<>();
        List<double[]> ys = new ArrayList<>();
        List<double[]> specX = new ArrayList<>();
        List<double[]> specY = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            double[] x = new double[snaps.size()];
            double[] y = new double[snaps.size()];
            for (int k = 0; k < snaps.size(); k++) {
                UpdateRankRecorder.Snapshot sn = snaps.get(k);
                double[] sv = sn.singularValues().get(i);
                x[k] = sn.epochs();
                y[k] = org.cdln.linalg.Svd.numericalRank(sv, tau);
                csv.add(List.of(model.trim(), sn.step(), sn.epochs(), names.get(i), shapes.get(i)[0], shapes.get(i)[1],
                        (int) y[k], UpdateRankRecorder.energyRank(sv, 0.9), UpdateRankRecorder.energyRank(sv, 0.99),
                        UpdateRankRecorder.stableRank(sv), sv.length == 0 ? 0.0 : sv[0]));
            }
            seriesNames.add(names.get(i) + " (" + shapes.get(i)[0] + "×" + shapes.get(i)[1] + ")");
            xs.add(x);
            ys.add(y);
            double[] sv = last.singularValues().get(i);
            double[] idx = new double[sv.length];
            double[] rel = new double[sv.length];
            for (int k = 0; k < sv.length; k++) {
                idx[k] = k + 1;
                rel[k] = sv[0] > 0 ? sv[k] / sv[0] : 0;
            }
            specX.add(idx);
            specY.add(rel);
        }
        Path csvPath = TrajectoryCsv.writeTable(dir.resolve("update_rank.csv"), List.of("model", "step", "epoch",
                "update_of", "rows", "cols", "numerical_rank", "energy_rank_90", "energy_rank_99", "stable_rank",
                "sigma_1"), csv);
        String title = model.trim() + " on " + used.train().name() + ": numerical rank (σ_i > " + ResultTable.g(tau)
                + "·σ_1) of W(t) − W(0)";
        Path rankPng = Charts.xy(dir, "update_rank", title, "epochs", "numerical rank", seriesNames, xs, ys, false);
        Path specPng = Charts.xy(dir, "update_spectrum", model.trim() + ": singular values of W(T) − W(0) after "
                + run.result().last().epoch() + " epochs, relative to the largest", "index i", "σ_i / σ_1",
                seriesNames, specX, specY, true);

        Map<String, Object> r = MlpReport.run(run);
        r.put("rank_threshold", tau);
        r.put("updates", layers);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("problem", "classification: " + outcome.data());
        extra.put("snapshot_every_steps", every);
        Path summary = SummaryJson.write(dir.resolve("summary.json"), "analyze-mlp",
                MlpReport.settings(s, options.dataFolder()), outcome.backend(), outcome.threads(), List.of(r), extra);
        o.println("wrote " + String.join(", ", List.of(summary.toString(), csvPath.toString(), rankPng.toString(),
                dir.resolve("update_rank.svg").toString(), specPng.toString(), dir.resolve("update_spectrum.svg").toString())));
        o.flush();
        return 0;
    }

    /** "ReLU layers", "linear block layers", "block product (end to end)" or "output layer". */
    private static String group(MlpExperiments.Run run, String name) {
        if (name.equals(UpdateRankRecorder.BLOCK_PRODUCT)) {
            return "block product (end to end)";
        }
        var a = run.architecture();
        for (int l = 0; l < a.depth(); l++) {
            if (a.layer(l).name().equals(name)) {
                if (a.layer(l).inBlock()) {
                    return "linear block layers";
                }
                return l == a.depth() - 1 ? "output layer (its smaller dimension is the number of classes)"
                        : "ReLU layers";
            }
        }
        return name;
    }

    private static String range(double lo, double hi, String fmt) {
        String a = String.format(Locale.ROOT, fmt, lo);
        String b = String.format(Locale.ROOT, fmt, hi);
        return a.equals(b) ? a : a + "–" + b;
    }

    private static List<int[]> shapes(MlpExperiments.Run run, List<String> names) {
        List<int[]> s = new ArrayList<>();
        var a = run.architecture();
        for (int l = 0; l < a.depth(); l++) {
            s.add(new int[] {a.layer(l).out(), a.layer(l).in()});
        }
        if (names.size() > a.depth()) {
            int w = a.layers().stream().filter(x -> x.inBlock()).findFirst().map(x -> x.in()).orElse(0);
            s.add(new int[] {w, w});
        }
        return s;
    }
}
