package org.cdln.cli.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.cdln.experiment.MlpExperiments;
import org.cdln.experiment.MlpSettings;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.nn.EpochPoint;
import org.cdln.nn.MlpArchitecture;
import org.cdln.nn.MlpResult;
import org.cdln.nn.MlpTimings;

/**
 * The outputs of {@code cdln reproduce mlp}: the printed tables (accuracy per epoch, then one
 * column per model) with the comparison against the targets, summary.json (the shared
 * schema plus "test_accuracy" and timing fields per run), trajectory.csv and mlp.png/.svg.
 */
public final class MlpReport {
    /** Test accuracies whose first time is reported ("seconds to 88%"). */
    public static final double[] ACCURACY_THRESHOLDS = {0.85, 0.88, 0.9};
    /** The targets of the experiment: all ≥ 88%, +C-DLN within 0.5 points of +DLN and ≥ 2× faster. */
    public static final double TARGET_ACCURACY = 0.88;
    public static final double TARGET_POINTS = 0.5;
    public static final double TARGET_SPEEDUP = 2.0;

    private MlpReport() {
    }

    /** The first lines printed: settings, data, backend and threads. */
    public static String header(MlpSettings s, String data, Path dataFolder, LinearAlgebra la) {
        return "cdln reproduce mlp: hidden=" + widths(s.hidden()) + " block-depth=" + s.blockDepth() + " rank-hat="
                + s.rankHat() + " eps=" + ResultTable.g(s.eps()) + " alpha=" + ResultTable.g(s.alpha()) + " optimizer="
                + s.optimizer().name().toLowerCase(Locale.ROOT) + " step=" + ResultTable.g(s.step()) + " schedule="
                + s.schedule().name().toLowerCase(Locale.ROOT) + " batch=" + s.batch() + " epochs=" + s.epochs()
                + " seed=" + s.seed() + (s.trainLimit() > 0 ? " train-limit=" + s.trainLimit() : "")
                + "\ndata: " + dataFolder + " — " + data
                + "\n" + BackendLine.line(la);
    }

    /** "512,512". */
    public static String widths(int[] w) {
        return String.join(",", Arrays.stream(w).mapToObj(String::valueOf).toList());
    }

    /** Test accuracy (and training seconds) after every epoch, one column per model. */
    public static String epochTable(List<MlpExperiments.Run> runs) {
        List<String[]> rows = new ArrayList<>();
        String[] head = new String[runs.size() + 2];
        head[0] = "epoch";
        head[1] = "step";
        for (int i = 0; i < runs.size(); i++) {
            head[i + 2] = runs.get(i).model() + " test acc (s)";
        }
        rows.add(head);
        int epochs = runs.stream().mapToInt(r -> r.result().trajectory().size()).max().orElse(0);
        for (int e = 0; e < epochs; e++) {
            String[] row = new String[runs.size() + 2];
            row[0] = String.valueOf(e);
            row[1] = "";
            for (int i = 0; i < runs.size(); i++) {
                List<EpochPoint> t = runs.get(i).result().trajectory();
                if (e < t.size()) {
                    EpochPoint p = t.get(e);
                    row[1] = String.format(Locale.ROOT, "%,d", p.step());
                    row[i + 2] = String.format(Locale.ROOT, "%.4f (%s)", p.testAccuracy(), ResultTable.sec(p.seconds()));
                } else {
                    row[i + 2] = "-";
                }
            }
            rows.add(row);
        }
        return ResultTable.format(rows);
    }

    /** One column per model: size, accuracy, time, throughput, the block's share, time to 88%. */
    public static String summaryTable(List<MlpExperiments.Run> runs) {
        List<String[]> rows = new ArrayList<>();
        rows.add(row("", runs, MlpExperiments.Run::model));
        rows.add(row("parameters", runs, r -> String.format(Locale.ROOT, "%,d", r.architecture().parameters())));
        rows.add(row("block parameters", runs, r -> String.format(Locale.ROOT, "%,d", r.architecture().blockParameters())));
        rows.add(row("final test accuracy", runs, r -> String.format(Locale.ROOT, "%.4f", r.result().finalTestAccuracy())));
        rows.add(row("best test accuracy", runs, r -> String.format(Locale.ROOT, "%.4f", r.result().bestTestAccuracy())));
        rows.add(row("final test loss", runs, r -> String.format(Locale.ROOT, "%.4f", r.result().last().testLoss())));
        rows.add(row("final train loss", runs, r -> String.format(Locale.ROOT, "%.4f", r.result().last().trainLoss())));
        rows.add(row("training seconds", runs, r -> ResultTable.sec(r.result().seconds())));
        rows.add(row("seconds per epoch", runs, r -> ResultTable.sec(r.result().secondsPerEpoch())));
        rows.add(row("images/s", runs, r -> String.format(Locale.ROOT, "%,.0f", r.result().imagesPerSecond())));
        rows.add(row("block seconds (share)", runs, r -> r.architecture().blockParameters() == 0 ? "-"
                : String.format(Locale.ROOT, "%s (%.0f%%)", ResultTable.sec(r.result().timings().blockSeconds()),
                        100 * blockTimeShare(r.result()))));
        rows.add(row("block share of GEMM work", runs, r -> String.format(Locale.ROOT, "%.0f%%",
                100 * r.architecture().blockWorkShare())));
        double t = TARGET_ACCURACY;
        rows.add(row("seconds to " + pct(t) + " test acc", runs, r -> r.result().secondsTo(t) == null ? "not reached"
                : ResultTable.sec(r.result().secondsTo(t))));
        rows.add(row("steps to " + pct(t) + " test acc", runs, r -> r.result().stepsTo(t) == null ? "not reached"
                : String.format(Locale.ROOT, "%,d", r.result().stepsTo(t))));
        rows.add(row("stopped", runs, r -> stopped(r.result())));
        return ResultTable.format(rows);
    }

    /** The block's measured share of training time (forward, backward and update of its layers). */
    public static double blockTimeShare(MlpResult r) {
        return r.seconds() > 0 ? r.timings().blockSeconds() / r.seconds() : Double.NaN;
    }

    /**
     * The comparison lines: +C-DLN against +DLN (time ratio, accuracy difference), +DLN against the
     * MLP, and each target of the experiment with whether it was met.
     */
    public static String comparison(MlpExperiments.Outcome o) {
        MlpExperiments.Run mlp = o.run("mlp");
        MlpExperiments.Run dln = o.run("mlp+dln");
        MlpExperiments.Run cdln = o.run("mlp+c-dln");
        StringBuilder b = new StringBuilder();
        if (dln != null && cdln != null) {
            double ratio = dln.result().seconds() / cdln.result().seconds();
            double points = 100 * (cdln.result().finalTestAccuracy() - dln.result().finalTestAccuracy());
            b.append(String.format(Locale.ROOT, "+C-DLN vs +DLN: %.2f× less training time (%s s vs %s s); "
                            + "final test accuracy %.4f vs %.4f (%+.2f points)%n", ratio,
                    ResultTable.sec(cdln.result().seconds()), ResultTable.sec(dln.result().seconds()),
                    cdln.result().finalTestAccuracy(), dln.result().finalTestAccuracy(), points));
            b.append(String.format(Locale.ROOT, "  the DLN block is %.0f%% of +DLN's training time, so no block "
                    + "replacement can save more than %.2f×; the C-DLN block costs %.0f%% of +C-DLN's%n",
                    100 * blockTimeShare(dln.result()), 1.0 / (1.0 - blockTimeShare(dln.result())),
                    100 * blockTimeShare(cdln.result())));
            b.append(String.format(Locale.ROOT, "  target +C-DLN within %.1f points of +DLN: %s; target ≥ %.0f× less "
                            + "training time: %s%n", TARGET_POINTS, Math.abs(points) <= TARGET_POINTS || points > 0
                            ? "met" : "NOT met", TARGET_SPEEDUP, ratio >= TARGET_SPEEDUP ? "met" : "NOT met"));
        }
        if (mlp != null && dln != null) {
            b.append(String.format(Locale.ROOT, "+DLN vs MLP: %+.2f points of test accuracy, %.2f× the training time%n",
                    100 * (dln.result().finalTestAccuracy() - mlp.result().finalTestAccuracy()),
                    dln.result().seconds() / mlp.result().seconds()));
        }
        boolean all = o.runs().stream().allMatch(r -> r.result().finalTestAccuracy() >= TARGET_ACCURACY);
        b.append(String.format(Locale.ROOT, "target all models ≥ %s final test accuracy: %s", pct(TARGET_ACCURACY),
                all ? "met" : "NOT met"));
        return b.toString();
    }

    private static String pct(double a) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * a);
    }

    private static String[] row(String label, List<MlpExperiments.Run> runs, Function<MlpExperiments.Run, String> f) {
        String[] r = new String[runs.size() + 1];
        r[0] = label;
        for (int i = 0; i < runs.size(); i++) {
            r[i + 1] = f.apply(runs.get(i));
        }
        return r;
    }

    /** The settings as snake_case fields. */
    public static Map<String, Object> settings(MlpSettings s, Path dataFolder) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", dataFolder.toString());
        m.put("hidden", Arrays.stream(s.hidden()).boxed().toList());
        m.put("block_depth", s.blockDepth());
        m.put("rank_hat", s.rankHat());
        m.put("eps", s.eps());
        m.put("alpha", s.alpha());
        m.put("optimizer", s.optimizer().name().toLowerCase(Locale.ROOT));
        m.put("step", s.step());
        m.put("schedule", s.schedule().name().toLowerCase(Locale.ROOT));
        m.put("batch", s.batch());
        m.put("epochs", s.epochs());
        m.put("seed", s.seed());
        m.put("train_limit", s.trainLimit());
        m.put("warmup_steps", s.warmupSteps());
        m.put("models", s.models());
        return m;
    }

    /**
     * One run in the shared summary schema: model, steps, seconds, final_train_loss,
     * final_recovery_error (null: not a recovery problem), parameters, steps_to / seconds_to (the
     * recovery-error thresholds, null here), stop_reason; then "test_accuracy" (final) and the
     * classifier's fields.
     */
    public static Map<String, Object> run(MlpExperiments.Run run) {
        MlpResult r = run.result();
        MlpArchitecture a = run.architecture();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", run.model());
        m.put("steps", r.steps());
        m.put("seconds", r.seconds());
        m.put("final_train_loss", r.last().trainLoss());
        m.put("final_recovery_error", null);
        m.put("parameters", r.parameters());
        Map<String, Object> none = new LinkedHashMap<>();
        for (double t : SummaryJson.THRESHOLDS) {
            none.put(SummaryJson.key(t), null);
        }
        m.put("steps_to", none);
        m.put("seconds_to", none);
        m.put("stop_reason", stopped(r));
        m.put("test_accuracy", r.finalTestAccuracy());
        m.put("best_test_accuracy", r.bestTestAccuracy());
        m.put("test_loss", r.last().testLoss());
        m.put("architecture", a.describe());
        m.put("block_parameters", a.blockParameters());
        m.put("epochs", r.last().epoch());
        m.put("images", r.images());
        m.put("images_per_second", r.imagesPerSecond());
        m.put("seconds_per_epoch", r.secondsPerEpoch());
        m.put("block_seconds", r.timings().blockSeconds());
        m.put("block_time_share", blockTimeShare(r));
        m.put("block_work_share", a.blockWorkShare());
        Map<String, Object> stepsTo = new LinkedHashMap<>();
        Map<String, Object> secondsTo = new LinkedHashMap<>();
        for (double t : ACCURACY_THRESHOLDS) {
            stepsTo.put(String.valueOf(t), r.stepsTo(t));
            secondsTo.put(String.valueOf(t), r.secondsTo(t));
        }
        m.put("steps_to_test_accuracy", stepsTo);
        m.put("seconds_to_test_accuracy", secondsTo);
        m.put("timings", timings(a, r.timings()));
        List<Map<String, Object>> epochs = new ArrayList<>();
        for (EpochPoint p : r.trajectory()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("epoch", p.epoch());
            e.put("step", p.step());
            e.put("seconds", p.seconds());
            e.put("train_loss", p.trainLoss());
            e.put("train_accuracy", p.trainAccuracy());
            e.put("test_loss", p.testLoss());
            e.put("test_accuracy", p.testAccuracy());
            epochs.add(e);
        }
        m.put("per_epoch", epochs);
        return m;
    }

    private static Map<String, Object> timings(MlpArchitecture a, MlpTimings t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data_seconds", t.dataSeconds());
        m.put("loss_seconds", t.lossSeconds());
        List<Map<String, Object>> layers = new ArrayList<>();
        double[] fb = t.layerSeconds();
        double[] up = t.updateSeconds();
        for (int l = 0; l < a.depth(); l++) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("layer", a.layer(l).name());
            e.put("shape", a.layer(l).out() + "x" + a.layer(l).in());
            e.put("forward_backward_seconds", fb[l]);
            e.put("update_seconds", up[l]);
            layers.add(e);
        }
        m.put("layers", layers);
        return m;
    }

    /** Writes summary.json, trajectory.csv and mlp.png/.svg; returns the paths written. */
    public static List<Path> write(Path dir, MlpExperiments.Outcome o, Path dataFolder) {
        List<Map<String, Object>> runs = new ArrayList<>();
        for (MlpExperiments.Run r : o.runs()) {
            runs.add(run(r));
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("problem", "classification: " + o.data());
        extra.put("setup_seconds", o.setupSeconds());
        extra.put("warmup_seconds", o.warmupSeconds());
        MlpExperiments.Run dln = o.run("mlp+dln");
        MlpExperiments.Run cdln = o.run("mlp+c-dln");
        if (dln != null && cdln != null) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("time_ratio_dln_over_c_dln", dln.result().seconds() / cdln.result().seconds());
            c.put("test_accuracy_difference_points",
                    100 * (cdln.result().finalTestAccuracy() - dln.result().finalTestAccuracy()));
            c.put("dln_block_time_share", blockTimeShare(dln.result()));
            extra.put("comparison", c);
        }
        List<List<Object>> rows = new ArrayList<>();
        List<Charts.Curve> curves = new ArrayList<>();
        for (MlpExperiments.Run r : o.runs()) {
            List<EpochPoint> t = r.result().trajectory();
            double[] steps = new double[t.size()];
            double[] secs = new double[t.size()];
            double[] acc = new double[t.size()];
            for (int i = 0; i < t.size(); i++) {
                EpochPoint p = t.get(i);
                rows.add(List.of(r.model(), p.epoch(), p.step(), p.seconds(), p.trainLoss(), p.trainAccuracy(),
                        p.testLoss(), p.testAccuracy()));
                steps[i] = p.step();
                secs[i] = p.seconds();
                acc[i] = p.testAccuracy();
            }
            curves.add(new Charts.Curve(r.model(), steps, secs, acc));
        }
        Path csv = TrajectoryCsv.writeTable(dir.resolve("trajectory.csv"), List.of("model", "epoch", "step", "seconds",
                "train_loss", "train_accuracy", "test_loss", "test_accuracy"), rows);
        // epoch 0 (chance level) would squash the interesting range: plot from epoch 1
        List<Charts.Curve> trimmed = new ArrayList<>();
        for (Charts.Curve c : curves) {
            int n = c.values().length;
            trimmed.add(n > 1 ? new Charts.Curve(c.name(), Arrays.copyOfRange(c.steps(), 1, n),
                    Arrays.copyOfRange(c.seconds(), 1, n), Arrays.copyOfRange(c.values(), 1, n)) : c);
        }
        String name = dataFolder.toAbsolutePath().normalize().getFileName() == null ? dataFolder.toString()
                : dataFolder.toAbsolutePath().normalize().getFileName().toString();
        Path png = Charts.curvesVersusStepsAndSeconds(dir, "mlp", "test accuracy after each epoch — " + name + " — "
                + o.backend() + ", " + o.threads() + " threads", "test accuracy", trimmed, false);
        // summary.json last: when it is there, the files it describes are complete
        Path summary = SummaryJson.write(dir.resolve("summary.json"), "mlp", settings(o.settings(), dataFolder),
                o.backend(), o.threads(), runs, extra);
        return List.of(summary, csv, png, dir.resolve("mlp.svg"));
    }

    /** "completed" for a run that used its whole budget, else the reason it stopped. */
    static String stopped(org.cdln.nn.MlpResult r) {
        return r.stopReason() == org.cdln.train.StopReason.BUDGET ? "completed" : r.stopMessage();
    }
}
