package org.cdln.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cdln.experiment.ListenerFactory;
import org.cdln.cli.report.BackendLine;
import org.cdln.cli.report.Charts;
import org.cdln.cli.report.ResultTable;
import org.cdln.cli.report.Series;
import org.cdln.cli.report.SummaryJson;
import org.cdln.cli.report.TrajectoryCsv;
import org.cdln.experiment.RecoveryExperiments;
import org.cdln.experiment.TheoremCheck;
import org.cdln.experiment.TheoremSettings;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.settings.Settings;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code cdln reproduce theorem}: the paper's factorization theorem, error_c(t) ≤ error_o(t) at
 * every step, checked over a grid of (d, r, ε) and several seeds ({@link TheoremCheck}).
 */
@Command(name = "theorem", mixinStandardHelpOptions = true, modelTransformer = TheoremCommand.DerivedOptions.class,
        description = "Factorization theorem: the compressed network's recovery error is at most the original's at "
                + "every step. Grid d × r × ε (default 30,60 × 2,4 × 1e-2,1e-3), 5 seeds; prints the largest "
                + "error_compressed/error_original per setting and overall.")
public final class TheoremCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The options of the declared settings ({@link TheoremSettings#SCHEMA}), with the check's reference values. */
    public static final class DerivedOptions implements CommandLine.IModelTransformer {
        @Override
        public CommandLine.Model.CommandSpec transform(CommandLine.Model.CommandSpec spec) {
            return SettingOptions.addTo(spec, TheoremSettings.DEFAULTS, java.util.Set.of());
        }
    }

    @CommandLine.Mixin
    ThreadsOption threads;
    @CommandLine.Mixin
    OutOption out = OutOption.folder("out/theorem");
    @CommandLine.Mixin
    ProgressOption progress;
    @CommandLine.Mixin
    ResumeOption resume;

    /**
     * The settings: the check's reference values overridden by the flags given, parsed and
     * validated by their declarations; a refusal names the flag.
     */
    TheoremSettings settings() {
        Settings given = SettingOptions.apply(spec, TheoremSettings.DEFAULTS);
        return SettingOptions.named(() -> TheoremSettings.of(given));
    }

    /**
     * Opens the output (checked for writability, refused when it is an input, locked against a
     * second run) before any work, then runs the command.
     */
    @Override
    public Integer call() {
        try (Outputs outputs = out.open()) {
            return callWithOutputs();
        }
    }

    private Integer callWithOutputs() {
        TheoremSettings ts = settings();
        List<Integer> ds = ts.d();
        List<Integer> rs = ts.r();
        List<Double> epss = ts.eps();
        int seeds = ts.seeds();
        int depth = ts.depth();
        double relTol = ts.relTol();
        long steps = ts.maxSteps();
        int evalEvery = ts.evalEvery();
        List<TheoremCheck.Setting> grid = ts.grid();
        PrintWriter o = spec.commandLine().getOut();
        LinearAlgebra la = LinearAlgebra.instance();
        o.printf(Locale.ROOT, "cdln reproduce theorem: factorization, d=%s r=%s eps=%s, %d seeds, depth=%d, "
                + "η = %.2f·2d²/(L·σ_1(Y)^(2−2/L)), original until loss < %s·‖Y‖²/(2d²) (≤ %,d steps), compressed "
                + "r̂=2r α=1 for as many steps, compared every %d steps%n%s%n",
                ds, rs, epss, seeds, depth, TheoremCheck.STABILITY_FRACTION, ResultTable.g(relTol), steps, evalEvery,
                BackendLine.line(la));
        o.flush();
        long[] seedList = ts.seedList();
        Path dir = out.path();
        RecoveryExperiments.Checkpointing ck = new RecoveryExperiments.Checkpointing(dir.resolve("checkpoints"),
                resume.resume(), 30.0);
        List<TheoremCheck.SettingResult> results = new ArrayList<>();
        for (TheoremCheck.Setting st : grid) {
            ListenerFactory bars = progress.bars();
            ListenerFactory lf = (label, budget) -> bars.forRun(st.label() + " " + label, budget);
            results.add(TheoremCheck.run(st, seedList, depth, relTol, steps, evalEvery, la, lf, ck));
        }
        o.println(table(results));
        double overall = results.stream().mapToDouble(TheoremCheck.SettingResult::maxRatio).max().orElse(Double.NaN);
        o.printf(Locale.ROOT, "max ratio over all settings, seeds and steps: %.12f (%s)%n", overall,
                overall <= 1.0 ? "the compressed error never exceeded the original's"
                        : "the claim FAILS: the compressed error exceeded the original's");
        write(o, dir, la, ts, results, overall);
        return 0;
    }

    static double maxAfterStart(TheoremCheck.SeedRun run) {
        double m = Double.NEGATIVE_INFINITY;
        for (double[] q : run.ratios()) {
            if (q[0] > 0) {
                m = Math.max(m, q[1]);
            }
        }
        return m;
    }

    static String table(List<TheoremCheck.SettingResult> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"setting", "η", "steps (min … max)", "max ratio", "at step", "max ratio after step 0",
            "final error o / c (median)"});
        for (TheoremCheck.SettingResult res : results) {
            long lo = Long.MAX_VALUE;
            long hi = 0;
            double worstAfter = Double.NEGATIVE_INFINITY;
            TheoremCheck.SeedRun worst = res.runs().get(0);
            List<Double> fo = new ArrayList<>();
            List<Double> fc = new ArrayList<>();
            double eta = 0;
            for (TheoremCheck.SeedRun run : res.runs()) {
                lo = Math.min(lo, run.original().steps());
                hi = Math.max(hi, run.original().steps());
                worstAfter = Math.max(worstAfter, maxAfterStart(run));
                if (run.maxRatio() > worst.maxRatio()) {
                    worst = run;
                }
                fo.add(run.original().finalRecoveryError());
                fc.add(run.compressed().finalRecoveryError());
                eta += run.stepSize() / res.runs().size();
            }
            rows.add(new String[] {res.setting().label(), String.format(Locale.ROOT, "%.3g", eta),
                String.format(Locale.ROOT, "%,d … %,d", lo, hi), String.format(Locale.ROOT, "%.12f", res.maxRatio()),
                String.format(Locale.ROOT, "%,d (seed %d)", worst.maxAtStep(), worst.seed()),
                String.format(Locale.ROOT, "%.12f", worstAfter),
                String.format(Locale.ROOT, "%.1e / %.1e", median(fo), median(fc))});
        }
        return ResultTable.format(rows);
    }

    private static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : 0.5 * (a[a.length / 2 - 1] + a[a.length / 2]);
    }

    private static void write(PrintWriter o, Path dir, LinearAlgebra la, TheoremSettings ts,
                              List<TheoremCheck.SettingResult> results, double overall) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("d", ts.d());
        settings.put("r", ts.r());
        settings.put("eps", ts.eps());
        settings.put("seeds", ts.seeds());
        settings.put("depth", ts.depth());
        settings.put("step_rule", String.format(Locale.ROOT, "%.2f*2*d^2/(L*sigma_1(Y)^(2-2/L))",
                TheoremCheck.STABILITY_FRACTION));
        settings.put("rel_tol", ts.relTol());
        settings.put("steps", ts.maxSteps());
        settings.put("eval_every", ts.evalEvery());
        settings.put("alpha", 1.0);
        settings.put("rank_hat", "2r");
        settings.put("init", "orth");
        settings.put("optimizer", "gd");
        List<Map<String, Object>> runs = new ArrayList<>();
        List<Map<String, Object>> perSetting = new ArrayList<>();
        List<Series> series = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<double[]> xs = new ArrayList<>();
        List<double[]> ys = new ArrayList<>();
        for (TheoremCheck.SettingResult res : results) {
            TheoremCheck.Setting st = res.setting();
            List<Object> seedRatios = new ArrayList<>();
            double after = Double.NEGATIVE_INFINITY;
            for (TheoremCheck.SeedRun run : res.runs()) {
                for (var tr : List.of(run.original(), run.compressed())) {
                    Map<String, Object> e = SummaryJson.run(tr);
                    e.put("d", st.d());
                    e.put("r", st.r());
                    e.put("eps", st.eps());
                    e.put("seed", run.seed());
                    e.put("step_size", run.stepSize());
                    runs.add(e);
                    Map<String, Object> tags = new LinkedHashMap<>();
                    tags.put("d", st.d());
                    tags.put("r", st.r());
                    tags.put("eps", st.eps());
                    tags.put("seed", run.seed());
                    series.add(new Series(tr.label(), tags, tr.trajectory()));
                }
                Map<String, Object> sr = new LinkedHashMap<>();
                sr.put("seed", run.seed());
                sr.put("max_ratio", run.maxRatio());
                sr.put("at_step", run.maxAtStep());
                sr.put("max_ratio_after_step_0", maxAfterStart(run));
                seedRatios.add(sr);
                after = Math.max(after, maxAfterStart(run));
            }
            Map<String, Object> ps = new LinkedHashMap<>();
            ps.put("d", st.d());
            ps.put("r", st.r());
            ps.put("eps", st.eps());
            ps.put("max_ratio", res.maxRatio());
            ps.put("max_ratio_after_step_0", after);
            ps.put("seeds", seedRatios);
            perSetting.add(ps);
            // upper envelope over seeds at the steps every seed evaluated
            Map<Long, Double> env = new java.util.TreeMap<>();
            Map<Long, Integer> count = new java.util.HashMap<>();
            for (TheoremCheck.SeedRun run : res.runs()) {
                for (double[] q : run.ratios()) {
                    env.merge((long) q[0], q[1], Math::max);
                    count.merge((long) q[0], 1, Integer::sum);
                }
            }
            List<double[]> pts = new ArrayList<>();
            env.forEach((s, v) -> {
                if (count.get(s) == res.runs().size()) {
                    pts.add(new double[] {s, v});
                }
            });
            names.add(st.label());
            xs.add(pts.stream().mapToDouble(q -> q[0]).toArray());
            ys.add(pts.stream().mapToDouble(q -> q[1]).toArray());
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("max_ratio", overall);
        extra.put("settings_results", perSetting);
        List<Path> written = new ArrayList<>();
        written.add(TrajectoryCsv.writeSeries(dir.resolve("trajectory.csv"), series));
        written.add(Charts.panels(dir, "ratio", "factorization theorem: error_compressed / error_original, largest over "
                + ts.seeds() + " seeds at each step (dashed: 1)", "steps", List.of(new Charts.Panel(
                "error_c / error_o", names, xs, ys, true, 1.0))));
        // summary.json last: when it is there, the files it describes are complete
        written.add(0, SummaryJson.write(dir.resolve("summary.json"), "theorem", settings, la.description(), la.threads(),
                runs, extra));
        o.println("wrote " + String.join(", ", written.stream().map(Path::toString).toList()) + " and "
                + dir.resolve("ratio.svg"));
    }
}
