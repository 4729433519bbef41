package org.cdln.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cdln.analysis.ProductTrajectory;
import org.cdln.cli.progress.ProgressListener;
import org.cdln.cli.report.Charts;
import org.cdln.cli.report.ResultTable;
import org.cdln.cli.report.SummaryJson;
import org.cdln.cli.report.TrajectoryCsv;
import org.cdln.compress.Parsimony;
import org.cdln.experiment.ParsimonySettings;
import org.cdln.experiment.RecoveryExperiments;
import org.cdln.experiment.ReproduceSettings;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.model.DeepLinearNetwork;
import org.cdln.problem.Problem;
import org.cdln.problem.ProblemKind;
import org.cdln.settings.Settings;
import org.cdln.train.DivergenceException;
import org.cdln.train.TrainResult;
import org.cdln.train.Trainer;
import org.cdln.train.TrainerConfig;
import org.cdln.train.TrainingListener;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code cdln reproduce parsimony}: the wide network and its Law-of-Parsimony compression
 * ({@link Parsimony}) on the same problem and step size; prints steps and seconds of both, the
 * largest relative difference of their products along the trajectory, and plots both.
 */
@Command(name = "parsimony", mixinStandardHelpOptions = true, modelTransformer = ParsimonyCommand.DerivedOptions.class,
        description = "Law-of-Parsimony compression (Yaras et al.): the width-2r network built from the wide network's "
                + "initialisation and first gradient follows the wide network's trajectory. Default: factorization, "
                + "d=100, r=10, η = ¼ of GD's stability limit 2d²/(L·σ_1(Y)^(2−2/L)), 20,000 steps, outer rate γ=0.01; "
                + "completion and sensing use their reference settings.")
public final class ParsimonyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * The options of the declared settings ({@link ParsimonySettings#SCHEMA}); a default that
     * differs between the problems is shown as depending on --problem.
     */
    public static final class DerivedOptions implements CommandLine.IModelTransformer {
        @Override
        public CommandLine.Model.CommandSpec transform(CommandLine.Model.CommandSpec spec) {
            Settings shown = ParsimonySettings.defaults(ProblemKind.FACTORIZATION);
            return SettingOptions.addTo(spec, shown, java.util.Set.of(), st -> {
                if (st == ParsimonySettings.PROBLEM) {
                    return null;
                }
                for (ProblemKind k : ProblemKind.values()) {
                    if (!java.util.Objects.equals(ParsimonySettings.defaults(k).raw(st), shown.raw(st))) {
                        return "depends on " + SettingOptions.flag(ParsimonySettings.PROBLEM);
                    }
                }
                return null;
            });
        }
    }

    @CommandLine.Mixin
    ThreadsOption threads;
    @CommandLine.Mixin
    OutOption out = OutOption.folder("out/parsimony");
    @CommandLine.Mixin
    ProgressOption progress;
    @CommandLine.Mixin
    ResumeOption resume;

    /**
     * The settings: the reference values of the problem chosen (--problem, else factorization),
     * overridden by the flags given, parsed and validated by their declarations; a refusal names
     * the flag (--d for the target's rows and columns).
     */
    ParsimonySettings settings() {
        String problem = SettingOptions.given(spec, ParsimonySettings.PROBLEM);
        Settings kind = problem == null ? ParsimonySettings.SCHEMA.defaults()
                : SettingOptions.withText(ParsimonySettings.SCHEMA.defaults(), ParsimonySettings.PROBLEM, problem);
        Settings given = SettingOptions.apply(spec, ParsimonySettings.defaults(kind.get(ParsimonySettings.PROBLEM)));
        return SettingOptions.named(() -> ParsimonySettings.of(given, LinearAlgebra.instance()),
                RecoveryCommand::squareFlag);
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
        ParsimonySettings ps = settings();
        ReproduceSettings s = ps.recovery();
        double gamma = ps.gamma();
        PrintWriter o = spec.commandLine().getOut();
        LinearAlgebra la = LinearAlgebra.instance();
        o.println(ResultTable.header(s, la).replaceFirst("^cdln reproduce \\S+", "cdln reproduce parsimony ("
                + s.experiment().problemKind() + ")").replaceAll(" alpha=\\S+", " gamma=" + ResultTable.g(gamma))
                .replaceAll("rank-hat=", "width=2r="));
        o.flush();
        long t0 = System.nanoTime();
        Problem problem = RecoveryExperiments.buildProblem(s, la);
        DeepLinearNetwork wide = RecoveryExperiments.originalNetwork(s, s.depth(), la);
        Parsimony parsimony = new Parsimony(s.r(), gamma);
        DeepLinearNetwork compressed = parsimony.build(wide, problem, la);
        double setup = (System.nanoTime() - t0) * 1e-9;
        TrainerConfig config = RecoveryExperiments.originalConfig(s);
        ProductTrajectory wideProducts = ProductTrajectory.recording(la);
        ProductTrajectory follow = ProductTrajectory.following(wideProducts, la);
        Path dir = out.path();
        // each run with its product recorder in one checkpoint; γ shapes the compressed network and its rates
        RecoveryExperiments.Checkpointing ck = new RecoveryExperiments.Checkpointing(dir.resolve("checkpoints"),
                resume.resume(), 30.0);
        TrainResult ro = train("original", wide, problem, config, wideProducts, la, ck, ck.file(s, "original"));
        TrainResult rc = train("parsimony", compressed, problem, config.withLayerRates(parsimony.layerRates(s.depth())),
                follow, la, ck, ck.file(s, "parsimony-gamma" + gamma));
        double scale = ro.network().product(la).frobeniusNorm();
        List<ProductTrajectory.Deviation> dev = follow.deviations();
        double maxRel = 0;
        long maxAt = 0;
        double[] xs = new double[dev.size()];
        double[] ys = new double[dev.size()];
        for (int i = 0; i < dev.size(); i++) {
            double rel = dev.get(i).distance() / scale;
            xs[i] = dev.get(i).step();
            ys[i] = rel;
            if (rel > maxRel) {
                maxRel = rel;
                maxAt = dev.get(i).step();
            }
        }
        RecoveryExperiments.Outcome outcome = new RecoveryExperiments.Outcome(s, problem.description(),
                la.description(), la.threads(), List.of(new RecoveryExperiments.Run(ro, null, null),
                new RecoveryExperiments.Run(rc, null, null)), setup);
        o.println(ResultTable.render(outcome));
        o.println(speedup(ro, rc));
        o.printf(Locale.ROOT, "largest ‖P_wide(t) − P_parsimony(t)‖_F / ‖P_wide(end)‖_F over %d compared steps: %.3e "
                + "(at step %,d); at step 0: %.3e (the wide network's initial remnant outside the 2r-dim subspace)%n",
                dev.size(), maxRel, maxAt, dev.isEmpty() ? Double.NaN : ys[0]);
        Map<String, Object> settings = SummaryJson.settings(s);
        settings.remove("alpha");
        settings.remove("rank_hat");
        settings.put("problem", s.experiment().problemKind().label());
        settings.put("gamma", gamma);
        settings.put("width", 2 * s.r());
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("problem", problem.description());
        extra.put("setup_seconds", setup);
        extra.put("max_relative_difference", maxRel);
        extra.put("max_relative_difference_step", maxAt);
        extra.put("relative_difference_definition", "||P_wide(t) - P_parsimony(t)||_F / ||P_wide(end)||_F");
        List<Map<String, Object>> runs = new ArrayList<>();
        runs.add(SummaryJson.run(ro));
        runs.add(SummaryJson.run(rc));
        List<Path> written = new ArrayList<>();
        written.add(TrajectoryCsv.write(dir.resolve("trajectory.csv"), outcome.runs()));
        written.add(Charts.recovery(dir, "recovery", outcome));
        written.add(Charts.panels(dir, "product_difference", problem.description()
                + " — ‖P_wide(t) − P_parsimony(t)‖_F / ‖P_wide(end)‖_F", "steps", List.of(new Charts.Panel(
                "relative difference", List.of("γ = " + ResultTable.g(gamma)), List.of(xs), List.of(ys), true, null))));
        // summary.json last: when it is there, the files it describes are complete
        written.add(0, SummaryJson.write(dir.resolve("summary.json"), "parsimony", settings, la.description(), la.threads(),
                runs, extra));
        o.println("wrote " + String.join(", ", written.stream().map(Path::toString).toList())
                + " (and .svg of each figure)");
        return 0;
    }

    static String speedup(TrainResult wide, TrainResult pars) {
        for (int k = SummaryJson.THRESHOLDS.length - 1; k >= 0; k--) {
            double t = SummaryJson.THRESHOLDS[k];
            if (wide.secondsTo(t) != null && pars.secondsTo(t) != null) {
                return String.format(Locale.ROOT, "time saved by parsimony to error %s: %.1f× in time (%s s vs %s s), "
                        + "%.2f× in steps", SummaryJson.key(t), wide.secondsTo(t) / Math.max(pars.secondsTo(t), 1e-9),
                        fmt(wide.secondsTo(t)), fmt(pars.secondsTo(t)),
                        wide.stepsTo(t) / (double) Math.max(pars.stepsTo(t), 1));
            }
        }
        return String.format(Locale.ROOT, "time per step: %.3g ms (wide) vs %.3g ms (parsimony); no error threshold was "
                + "reached by both", 1e3 * wide.seconds() / Math.max(1, wide.steps()),
                1e3 * pars.seconds() / Math.max(1, pars.steps()));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, v >= 10 ? "%.1f" : "%.3f", v);
    }

    private TrainResult train(String label, DeepLinearNetwork net, Problem problem, TrainerConfig config,
                              TrainingListener tracker, LinearAlgebra la, RecoveryExperiments.Checkpointing ck,
                              Path checkpoint) {
        Trainer t = new Trainer(config, la).addListener(tracker);
        if (progress.shown()) {
            t.addListener(ProgressListener.create(label, config.maxSteps()));
        }
        try {
            return ck.train(t, checkpoint, label, net, problem);
        } catch (DivergenceException e) {
            throw new IllegalArgumentException(e.getMessage() + " (lower --step)", e);
        }
    }
}
