package org.cdln.cli.ratings;

import org.cdln.cli.ResumeOption;
import org.cdln.cli.ThreadsOption;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cdln.cli.report.BackendLine;
import org.cdln.cli.report.Charts;
import org.cdln.cli.report.ResultTable;
import org.cdln.cli.report.Series;
import org.cdln.cli.report.SummaryJson;
import org.cdln.cli.report.TrajectoryCsv;
import org.cdln.data.Splits;
import org.cdln.experiment.MovieLensExperiment;
import org.cdln.experiment.MovieLensExperiment.Run;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.recommend.FitPoint;
import org.cdln.train.EvalPoint;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.cdln.cli.SettingOptions;
import org.cdln.settings.Settings;

/**
 * {@code cdln reproduce movielens --data DIR}: the paper's MovieLens-100K experiment. On a
 * GroupLens split (u1 by default) it trains the original wide DLN, the C-DLN and AltMin over a
 * small (k, λ) grid, all on the same centred ratings, measuring the test error at every
 * evaluation; prints the table, checks the targets and writes summary.json,
 * trajectory.csv and movielens.png/.svg.
 *
 * <p>"Best" is the lowest test RMSE along a run (the minimum of the curve the paper plots), for
 * every method alike; nothing is early-stopped, so the curves show the overfitting too. Seconds
 * count training only (no data loading, no evaluation); the C-DLN's spectral initialisation and
 * every model's centering are reported apart as setup time.
 */
@Command(name = "movielens", mixinStandardHelpOptions = true, sortOptions = false,
        modelTransformer = MovieLensCommand.DerivedOptions.class,
        description = {"MovieLens-100K (GroupLens u1 split): the original DLN, the C-DLN and AltMin over a (k, λ) grid; "
                + "test RMSE, MAE, ½·MSE and training time.",
            "Defaults: depth 3, ε=1, η=20 for both networks, α=4 and r̂ ∈ {8,16,32} for the C-DLN, the original at width "
                    + "min(users, items)=943 capped at 30 minutes; AltMin k ∈ {5,10,20} × λ ∈ {0.1,1,10}, 25 sweeps."})
public final class MovieLensCommand implements Callable<Integer> {
    /** The speed-up target: the C-DLN reaches the original's best test RMSE this many times sooner. */
    static final double SPEEDUP_TARGET = 5.0;
    /** The accuracy target for the C-DLN's best test RMSE. */
    static final double RMSE_TARGET = 0.95;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "The unzipped GroupLens ml-100k folder (u.data, u1.base, u1.test, …).")
    Path data;
    @Option(names = "--split", paramLabel = "NAME", defaultValue = "u1", description = "u1 … u5, ua or ub (default u1).")
    String split;
    /**
     * The run settings: the experiment's reference values overridden by the flags given (the
     * options of {@link MovieLensExperiment.Settings#SCHEMA}, {@link DerivedOptions}), parsed and
     * validated by their declarations; a refusal names the flag. Set in {@link #validate()}.
     */
    private MovieLensExperiment.Settings runSettings;

    /** The options of the declared settings, with the experiment's reference values as defaults. */
    public static final class DerivedOptions implements CommandLine.IModelTransformer {
        @Override
        public CommandLine.Model.CommandSpec transform(CommandLine.Model.CommandSpec spec) {
            return SettingOptions.addTo(spec, MovieLensExperiment.Settings.DEFAULTS, java.util.Set.of(),
                    st -> st == MovieLensExperiment.Settings.ORIGINAL_WIDTH ? "auto (0 also means auto)" : null);
        }
    }

    @CommandLine.Mixin
    ThreadsOption threads;
    @CommandLine.Mixin
    org.cdln.cli.OutOption out = org.cdln.cli.OutOption.folder("out/movielens");
    @CommandLine.Mixin
    org.cdln.cli.ProgressOption progress;
    @CommandLine.Mixin
    ResumeOption resume;

    private void validate() {
        Settings given = MovieLensExperiment.Settings.DEFAULTS;
        for (org.cdln.settings.Setting<?> st : given.schema().settings()) {
            String text = SettingOptions.given(spec, st);
            if (text != null) {
                // --original-width 0 has always meant min(users, items): the declared auto
                given = SettingOptions.withText(given, st,
                        st == MovieLensExperiment.Settings.ORIGINAL_WIDTH && text.trim().equals("0") ? "auto" : text);
            }
        }
        Settings values = given;
        runSettings = SettingOptions.named(() -> MovieLensExperiment.Settings.of(values));
        if (!Files.isDirectory(data)) {
            throw new IllegalArgumentException("--data: no folder " + data + "; give the unzipped GroupLens ml-100k folder "
                    + "(u.data, u1.base, u1.test, …)");
        }
    }

    /**
     * Opens the output (checked for writability, refused when it is an input, locked against a
     * second run) before any work, then runs the command.
     */
    @Override
    public Integer call() {
        try (org.cdln.cli.Outputs outputs = out.open(data)) {
            return callWithOutputs();
        }
    }

    private Integer callWithOutputs() {
        validate();
        PrintWriter o = spec.commandLine().getOut();
        LinearAlgebra la = LinearAlgebra.instance();
        Splits.Split s = Flags.parse("--split", () -> Splits.groupLens(data, split));
        int d1 = s.train().numUsers();
        int d2 = s.train().numItems();
        int dMin = Math.min(d1, d2);
        MovieLensExperiment.Settings es = runSettings;
        SettingOptions.named(() -> {
            es.checkAgainst(d1, d2);
            return es;
        });
        int depth = es.depth();
        double eps = es.eps();
        double step = es.step();
        double alpha = es.alpha();
        List<Integer> rankHats = es.rankHats();
        long steps = es.steps();
        long originalSteps = es.originalSteps();
        double timeLimit = es.timeLimit();
        List<Integer> altminK = es.altminK();
        List<Double> altminLambda = es.altminLambda();
        int altminSweeps = es.altminSweeps();
        double biasDamping = es.biasDamping();
        long seed = es.seed();
        int width = es.originalWidth() == 0 ? dMin : es.originalWidth();
        double[] load0 = loadAverage();
        o.printf(Locale.ROOT, "cdln reproduce movielens: %s (%,d training, %,d test ratings, %d users × %d items)%n",
                s.description(), s.train().size(), s.test().size(), d1, d2);
        o.printf(Locale.ROOT, "depth=%d eps=%s step=%s | original: width=%d, %d steps, cap %s s | c-dln: rank-hat=%s "
                        + "alpha=%s, %d steps | altmin: k=%s lambda=%s, %d sweeps | centering biases (λ_b=%s), clip 1..5, "
                        + "seed=%d%n",
                depth, g(eps), g(step), width, originalSteps, g(timeLimit), rankHats, g(alpha), steps, altminK,
                altminLambda.stream().map(MovieLensCommand::g).toList(), altminSweeps, g(biasDamping), seed);
        o.println(BackendLine.line(la, String.format(Locale.ROOT, "; load average %s on %d cores at start",
                loadText(load0), Runtime.getRuntime().availableProcessors())));
        o.flush();

        PrintWriter err = spec.commandLine().getErr();
        MovieLensExperiment.Outcome outcome = MovieLensExperiment.run(es, s, la,
                progress.bars(),
                r -> {
                    if (progress.shown() && r.name().startsWith("altmin")) {
                        err.printf(Locale.ROOT, "[%s] %d sweeps, %.2f s, best test RMSE %.4f%n", r.name(), altminSweeps,
                                r.last().seconds(), r.best().validationRmse());
                        err.flush();
                    }
                }, out.path().resolve("checkpoints"), resume.resume());
        List<Run> runs = outcome.runs();
        double[] load1 = loadAverage();
        Run orig = outcome.original();
        List<Run> comps = outcome.compressed();
        List<Run> alts = outcome.altmin();
        Run comp = outcome.bestCompressed();
        Run altBest = outcome.bestAltMin();

        o.println();
        o.println(table(orig, comp, altBest));
        o.println();
        o.println("C-DLN widths (test RMSE; best along the run and at its end):");
        o.println(gridTable(comps, orig.best().validationRmse()));
        o.println();
        o.println("AltMin grid (test RMSE; best along the sweeps and after the last sweep):");
        o.println(gridTable(alts, orig.best().validationRmse()));
        o.println();
        Map<String, Object> verdict = verdict(o, orig, comp, altBest, width);
        o.printf(Locale.ROOT, "load average %s at the end (start %s) on %d cores%s%n", loadText(load1), loadText(load0),
                Runtime.getRuntime().availableProcessors(),
                Math.max(load0[0], load1[0]) > 0.75 * Runtime.getRuntime().availableProcessors()
                        ? ": the timings were taken under load (other processes competed for the cores)" : "");
        write(o, s, runs, comp, altBest, verdict, la, load0, load1, width);
        return 0;
    }

    private Map<String, Object> verdict(PrintWriter o, Run orig, Run comp, Run altBest, int width) {
        Map<String, Object> v = new LinkedHashMap<>();
        FitPoint ob = orig.best();
        FitPoint cb = comp.best();
        double threshold = ob.validationRmse();
        FitPoint reach = comp.firstReaching(threshold);
        v.put("original_best_test_rmse", ob.validationRmse());
        v.put("original_seconds_to_best", ob.seconds());
        v.put("original_steps_to_best", ob.step());
        v.put("compressed_best_test_rmse", cb.validationRmse());
        boolean capped = orig.stopReason().equals("time_limit");
        List<FitPoint> op = orig.points();
        boolean stillImproving = op.indexOf(ob) >= (int) Math.floor(0.9 * (op.size() - 1));
        if (capped || stillImproving) {
            double perStep = orig.last().seconds() / Math.max(1, orig.last().step());
            o.printf(Locale.ROOT, "the original network %s after %d steps and %.0f s (%.3f s per step); its test RMSE was "
                            + "%s (best %.4f at step %d): its plateau was not reached. At this pace 100 more steps take "
                            + "%.0f s.%n", capped ? "was capped by the time limit" : "ran out of steps",
                    orig.last().step(), orig.last().seconds(), perStep, stillImproving ? "still falling" : "flat",
                    ob.validationRmse(), ob.step(), 100 * perStep);
            v.put("original_capped", capped);
            v.put("original_plateau_reached", false);
            v.put("original_seconds_per_step", perStep);
        } else {
            v.put("original_capped", false);
            v.put("original_plateau_reached", true);
        }
        Double speedup = null;
        if (reach != null) {
            speedup = ob.seconds() / Math.max(reach.seconds(), 1e-9);
            double withSetup = (ob.seconds() + orig.setupSeconds()) / (reach.seconds() + comp.setupSeconds());
            o.printf(Locale.ROOT, "speed-up of the C-DLN to the original's best test RMSE %.4f: %.1f× in time (%.2f s vs "
                            + "%.1f s of training), %.1f× in steps (%d vs %d); %.1f× counting setup (spectral SVD %.2f s vs %.2f s)%n",
                    threshold, speedup, reach.seconds(), ob.seconds(), ob.step() / (double) Math.max(1, reach.step()),
                    reach.step(), ob.step(), withSetup, comp.setupSeconds(), orig.setupSeconds());
            v.put("compressed_seconds_to_original_best", reach.seconds());
            v.put("compressed_steps_to_original_best", reach.step());
            v.put("time_speedup", speedup);
            v.put("time_speedup_with_setup", withSetup);
            v.put("step_speedup", ob.step() / (double) Math.max(1, reach.step()));
        } else {
            o.printf(Locale.ROOT, "the C-DLN did not reach the original's best test RMSE %.4f (its best: %.4f)%n", threshold,
                    cb.validationRmse());
            v.put("time_speedup", null);
        }
        o.printf(Locale.ROOT, "same held-out error: original %.4f, C-DLN %.4f (difference %+.4f)%n", ob.validationRmse(),
                cb.validationRmse(), cb.validationRmse() - ob.validationRmse());
        o.println("targets:");
        boolean t1 = speedup != null && speedup >= SPEEDUP_TARGET;
        o.printf(Locale.ROOT, "  C-DLN reaches the original's best test RMSE ≥ %.0f× sooner: %s%n", SPEEDUP_TARGET,
                speedup == null ? "NOT MET (not reached)" : (t1 ? "met" : "NOT MET") + String.format(Locale.ROOT, " (%.1f×)",
                        speedup));
        boolean t2 = altBest == null || cb.validationRmse() <= altBest.best().validationRmse();
        if (altBest != null) {
            o.printf(Locale.ROOT, "  C-DLN best test RMSE ≤ AltMin's best over the grid: %s (%.4f vs %.4f, %s)%n",
                    t2 ? "met" : "NOT MET", cb.validationRmse(), altBest.best().validationRmse(), altBest.name());
            v.put("altmin_best_test_rmse", altBest.best().validationRmse());
            v.put("altmin_best", altBest.name());
        }
        boolean t3 = cb.validationRmse() <= RMSE_TARGET;
        o.printf(Locale.ROOT, "  C-DLN best test RMSE ≤ %.2f: %s (%.4f)%n", RMSE_TARGET, t3 ? "met" : "NOT MET",
                cb.validationRmse());
        Map<String, Object> targets = new LinkedHashMap<>();
        targets.put("speedup_at_least_5x", t1);
        targets.put("cdln_not_worse_than_altmin", t2);
        targets.put("cdln_rmse_at_most_0.95", t3);
        v.put("targets", targets);
        return v;
    }

    private String table(Run orig, Run comp, Run altBest) {
        double originalBest = orig.best().validationRmse();
        List<Run> cols = new ArrayList<>(List.of(orig, comp));
        if (altBest != null) {
            cols.add(altBest);
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(row("", cols, r -> r.name().startsWith("compressed") ? "C-DLN (best: " + r.name().substring(11) + ")"
                : r.name().equals("original") ? "original (DLN)" : "AltMin (best: " + r.name().substring(7) + ")"));
        rows.add(row("parameters", cols, r -> String.format(Locale.ROOT, "%,d", r.parameters())));
        rows.add(row("best test RMSE", cols, r -> f4(r.best().validationRmse())));
        rows.add(row("test MAE at best", cols, r -> f4(r.best().validationMae())));
        rows.add(row("test ½·MSE at best", cols, r -> f4(r.best().validationHalfMse())));
        rows.add(row("step of best", cols, r -> String.format(Locale.ROOT, "%,d", r.best().step())));
        rows.add(row("seconds to best", cols, r -> sec(r.best().seconds())));
        rows.add(row("seconds to RMSE " + f4(originalBest), cols, r -> r.firstReaching(originalBest) == null
                ? "not reached" : sec(r.firstReaching(originalBest).seconds())));
        rows.add(row("final test RMSE", cols, r -> f4(r.last().validationRmse())));
        rows.add(row("final train loss", cols, r -> String.format(Locale.ROOT, "%.4f", r.last().trainLoss())));
        rows.add(row("steps (sweeps)", cols, r -> String.format(Locale.ROOT, "%,d", r.last().step())));
        rows.add(row("training seconds", cols, r -> sec(r.last().seconds())));
        rows.add(row("setup seconds", cols, r -> sec(r.setupSeconds())));
        rows.add(row("stopped", cols, r -> r.stopReason().replace('_', ' ')));
        return ResultTable.format(rows);
    }

    private static String gridTable(List<Run> rs, double originalBest) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"run", "best RMSE", "at step", "final RMSE", "final − best", "seconds",
            "seconds to " + f4(originalBest)});
        for (Run r : rs) {
            FitPoint reach = r.firstReaching(originalBest);
            rows.add(new String[] {r.name(), f4(r.best().validationRmse()), String.valueOf(r.best().step()),
                f4(r.last().validationRmse()),
                String.format(Locale.ROOT, "%+.4f", r.last().validationRmse() - r.best().validationRmse()),
                sec(r.last().seconds()), reach == null ? "not reached" : sec(reach.seconds())});
        }
        return ResultTable.format(rows);
    }

    private void write(PrintWriter o, Splits.Split s, List<Run> runs, Run comp, Run altBest, Map<String, Object> verdict,
                       LinearAlgebra la, double[] load0, double[] load1, int width) {
        double originalBest = runs.get(0).best().validationRmse();
        List<Map<String, Object>> entries = new ArrayList<>();
        List<Series> series = new ArrayList<>();
        for (Run r : runs) {
            entries.add(runEntry(r, originalBest));
            series.add(new Series(r.name(), r.tags(), evalPoints(r)));
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("data", data.toAbsolutePath().normalize().toString());
        settings.put("split", split);
        settings.put("d1", s.train().numUsers());
        settings.put("d2", s.train().numItems());
        settings.put("train_ratings", s.train().size());
        settings.put("test_ratings", s.test().size());
        settings.put("depth", runSettings.depth());
        settings.put("eps", runSettings.eps());
        settings.put("step", runSettings.step());
        settings.put("alpha", runSettings.alpha());
        settings.put("rank_hat", runSettings.rankHats());
        settings.put("steps", runSettings.steps());
        settings.put("eval_every", runSettings.evalEvery());
        settings.put("original_width", width);
        settings.put("original_steps", runSettings.originalSteps());
        settings.put("original_eval_every", runSettings.originalEvalEvery());
        settings.put("time_limit_seconds", runSettings.timeLimit());
        settings.put("altmin_k", runSettings.altminK());
        settings.put("altmin_lambda", runSettings.altminLambda());
        settings.put("altmin_sweeps", runSettings.altminSweeps());
        settings.put("centering", "biases");
        settings.put("bias_damping", runSettings.biasDamping());
        settings.put("clip", "1..5");
        settings.put("seed", runSettings.seed());
        settings.put("init", "spectral (c-dln), orth (original), spectral (altmin)");
        settings.put("optimizer", "gd");
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("problem", s.description());
        extra.put("best", "lowest test RMSE along each run (the minimum of the plotted curve), for every method");
        extra.put("recovery_error", "test ½·MSE of the clipped rating predictions");
        extra.put("compressed_best", comp.name());
        extra.put("comparison", verdict);
        extra.put("load_average_start", load0[0]);
        extra.put("load_average_end", load1[0]);
        extra.put("cores", Runtime.getRuntime().availableProcessors());
        Path csv = TrajectoryCsv.writeSeries(out.path().resolve("trajectory.csv"), series);
        List<Series> plotted = new ArrayList<>();
        plotted.add(new Series("original (DLN)", Map.of(), evalPoints(runs.get(0))));
        plotted.add(new Series(comp.label(), Map.of(), evalPoints(comp)));
        if (altBest != null) {
            plotted.add(new Series(altBest.name(), Map.of(), evalPoints(altBest)));
            runs.stream().filter(r -> r.name().startsWith("altmin") && r.tags().get("k").equals(altBest.tags().get("k")))
                    .min((a, b) -> Double.compare((Double) a.tags().get("lambda"), (Double) b.tags().get("lambda")))
                    .filter(r -> r != altBest)
                    .ifPresent(r -> plotted.add(new Series(r.name(), Map.of(), evalPoints(r))));
        }
        Path png = Charts.versusStepsAndSeconds(out.path(), "movielens", "MovieLens-100K " + split
                        + ": test ½·MSE of the rating predictions (the paper's recovery error) — " + la.description() + ", "
                        + la.threads() + " thread" + (la.threads() == 1 ? "" : "s"),
                "test ½·MSE", plotted, EvalPoint::recoveryError, false, true);
        // summary.json last: when it is there, the files it describes are complete
        Path summary = SummaryJson.write(out.path().resolve("summary.json"), "movielens", settings, la.description(),
                la.threads(), entries, extra);
        o.println("wrote " + summary + ", " + csv + ", " + png + " and " + out.path().resolve("movielens.svg"));
    }

    /** The foundation's run fields, plus test_rmse and test_mae (at the best evaluation) and the rest. */
    static Map<String, Object> runEntry(Run r, double originalBest) {
        Map<String, Object> m = new LinkedHashMap<>();
        FitPoint best = r.best();
        FitPoint last = r.last();
        m.put("model", r.name());
        m.putAll(r.tags());
        m.put("steps", last.step());
        m.put("seconds", last.seconds());
        m.put("final_train_loss", last.trainLoss());
        m.put("final_recovery_error", last.validationHalfMse());
        m.put("parameters", r.parameters());
        Map<String, Object> stepsTo = new LinkedHashMap<>();
        Map<String, Object> secondsTo = new LinkedHashMap<>();
        for (double t : SummaryJson.THRESHOLDS) {
            FitPoint p = firstHalfMse(r, t);
            stepsTo.put(SummaryJson.key(t), p == null ? null : p.step());
            secondsTo.put(SummaryJson.key(t), p == null ? null : p.seconds());
        }
        FitPoint reach = r.firstReaching(originalBest);
        stepsTo.put("original_best_rmse", reach == null ? null : reach.step());
        secondsTo.put("original_best_rmse", reach == null ? null : reach.seconds());
        m.put("steps_to", stepsTo);
        m.put("seconds_to", secondsTo);
        m.put("stop_reason", r.stopReason());
        m.put("test_rmse", best.validationRmse());
        m.put("test_mae", best.validationMae());
        m.put("best_step", best.step());
        m.put("best_seconds", best.seconds());
        m.put("best_recovery_error", best.validationHalfMse());
        m.put("final_test_rmse", last.validationRmse());
        m.put("final_test_mae", last.validationMae());
        m.put("setup_seconds", r.setupSeconds());
        return m;
    }

    private static FitPoint firstHalfMse(Run r, double threshold) {
        for (FitPoint p : r.points()) {
            if (p.validationHalfMse() <= threshold) {
                return p;
            }
        }
        return null;
    }

    /** The run's evaluations as the reporters' points: recovery error = test ½·MSE. */
    static List<EvalPoint> evalPoints(Run r) {
        List<EvalPoint> pts = new ArrayList<>();
        for (FitPoint p : r.points()) {
            pts.add(new EvalPoint(p.step(), p.seconds(), p.trainLoss(), p.validationHalfMse()));
        }
        return pts;
    }

    private static <T> String[] row(String label, List<T> items, java.util.function.Function<T, String> f) {
        String[] r = new String[items.size() + 1];
        r[0] = label;
        for (int i = 0; i < items.size(); i++) {
            r[i + 1] = f.apply(items.get(i));
        }
        return r;
    }

    /** The 1-, 5- and 15-minute load averages, or NaNs where /proc/loadavg is unavailable. */
    static double[] loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
        } catch (IOException | RuntimeException e) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
    }

    private static String loadText(double[] l) {
        return Double.isNaN(l[0]) ? "unknown" : String.format(Locale.ROOT, "%.2f", l[0]);
    }

    private static String f4(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String sec(double v) {
        return v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.3f", v);
    }

    static String g(double v) {
        return ResultTable.g(v);
    }
}
