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
import org.cdln.experiment.Experiment;
import org.cdln.experiment.RecoveryExperiments;
import org.cdln.experiment.ReproduceSettings;
import org.cdln.experiment.TheoremCheck;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.model.DeepLinearNetwork;
import org.cdln.optim.OptimizerConfig;
import org.cdln.problem.Problem;
import org.cdln.train.DivergenceException;
import org.cdln.train.TrainResult;
import org.cdln.train.Trainer;
import org.cdln.train.TrainerConfig;
import org.cdln.train.TrainingListener;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cdln reproduce parsimony}: the wide network and its Law-of-Parsimony compression
 * ({@link Parsimony}) on the same problem and step size; prints steps and seconds of both, the
 * largest relative difference of their products along the trajectory, and plots both.
 */
@Command(name = "parsimony", mixinStandardHelpOptions = true,
        description = "Law-of-Parsimony compression (Yaras et al.): the width-2r network built from the wide network's "
                + "initialisation and first gradient follows the wide network's trajectory. Default: factorization, "
                + "d=100, r=10, η = ¼ of GD's stability limit 2d²/(L·σ_1(Y)^(2−2/L)), 20,000 steps, outer rate γ=0.01; "
                + "completion and sensing use their reference settings.")
public final class ParsimonyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--problem", paramLabel = "KIND", defaultValue = "factorization",
            description = "factorization, completion or sensing (default ${DEFAULT-VALUE}); the other defaults are "
                    + "that experiment's reference settings.")
    String problemKind;
    @Option(names = "--d", paramLabel = "D", description = "Target size d (square d×d).")
    Integer d;
    @Option(names = "--r", paramLabel = "R", description = "Target rank r (the compressed width is 2r).")
    Integer r;
    @Option(names = "--p", paramLabel = "P", description = "Observed fraction for completion, in (0, 1].")
    Double p;
    @Option(names = "--m", paramLabel = "M", description = "Number of measurements for sensing.")
    Integer m;
    @Option(names = "--depth", paramLabel = "L", description = "Depth L ≥ 2 of the wide network (default 3).")
    Integer depth;
    @Option(names = "--eps", paramLabel = "EPS", description = "Initialisation scale ε (default 1e-2).")
    Double eps;
    @Option(names = "--step", paramLabel = "ETA", description = "Step size η of both networks.")
    Double step;
    @Option(names = "--gamma", paramLabel = "GAMMA", defaultValue = "0.01",
            description = "Outer-layer rate γ relative to η, in (0, 1] (default ${DEFAULT-VALUE}).")
    double gamma;
    @Option(names = "--steps", paramLabel = "N", description = "Step budget.")
    Long steps;
    @Option(names = "--tol", paramLabel = "TOL", description = "Stop when the training loss is below TOL.")
    Double tol;
    @Option(names = "--seed", paramLabel = "SEED", description = "Random seed (default 0).")
    Long seed;
    @Option(names = "--eval-every", paramLabel = "K", description = "Evaluate and compare every K steps.")
    Integer evalEvery;
    @CommandLine.Mixin
    ThreadsOption threads;
    @CommandLine.Mixin
    OutOption out = OutOption.folder("out/parsimony");
    @CommandLine.Mixin
    ProgressOption progress;
    @CommandLine.Mixin
    ResumeOption resume;

    ReproduceSettings settings() {
        if (!(gamma > 0.0 && gamma <= 1.0)) {
            throw new IllegalArgumentException("--gamma must be in (0, 1], got " + gamma);
        }
        Experiment e = switch (problemKind.trim().toLowerCase(Locale.ROOT)) {
            case "factorization" -> Experiment.FACTORIZATION;
            case "completion" -> Experiment.COMPLETION;
            case "sensing" -> Experiment.SENSING;
            default -> throw new IllegalArgumentException("--problem must be factorization, completion or sensing, got '"
                    + problemKind + "'");
        };
        ReproduceSettings def = e.defaults();
        int size = d != null ? d : def.d1();
        int rank = r != null ? r : def.r();
        boolean mf = e == Experiment.FACTORIZATION;
        ReproduceSettings s = SettingOptions.named(() -> new ReproduceSettings(e, size, size, rank,
                p != null ? p : def.p(),
                m != null ? m : def.m(), depth != null ? depth : def.depth(), eps != null ? eps : def.eps(),
                step != null ? step : def.step(), 1.0, Math.min(2 * rank, size),
                steps != null ? steps : mf ? MF_STEPS : def.steps(), tol != null ? tol : def.tol(),
                seed != null ? seed : def.seed(), evalEvery != null ? evalEvery : mf ? MF_EVAL_EVERY : def.evalEvery(),
                def.init(), OptimizerConfig.Kind.GD), RecoveryCommand::squareFlag);
        if (2 * rank > size) {
            throw new IllegalArgumentException("--r must be in [1, " + size / 2 + "] (2r ≤ d), got " + rank);
        }
        if (mf && step == null) {
            // the reference η = 1 learns only the largest singular values of a d = 100 target in 100,000 steps
            double eta = TheoremCheck.stepSize(size, s.depth(),
                    RecoveryExperiments.buildTarget(s, LinearAlgebra.instance()).s()[0]);
            s = new ReproduceSettings(e, s.d1(), s.d2(), s.r(), s.p(), s.m(), s.depth(), s.eps(), eta, s.alpha(),
                    s.rankHat(), s.steps(), s.tol(), s.seed(), s.evalEvery(), s.init(), s.optimizer());
        }
        return s;
    }

    /** Factorization defaults here: 20,000 steps, evaluated every 20, η = ¼ of GD's stability limit. */
    static final long MF_STEPS = 20_000;
    static final int MF_EVAL_EVERY = 20;

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
        ReproduceSettings s = settings();
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
