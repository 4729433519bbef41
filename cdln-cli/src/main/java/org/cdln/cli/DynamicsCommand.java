package org.cdln.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cdln.analysis.DynamicsPoint;
import org.cdln.analysis.DynamicsRecorder;
import org.cdln.analysis.IncrementalLearning;
import org.cdln.analysis.MatrixDynamics;
import org.cdln.cli.progress.ProgressListener;
import org.cdln.cli.report.DynamicsReport;
import org.cdln.cli.report.ResultTable;
import org.cdln.cli.report.Series;
import org.cdln.cli.report.SummaryJson;
import org.cdln.cli.report.TrajectoryCsv;
import org.cdln.experiment.Experiment;
import org.cdln.experiment.RecoveryExperiments;
import org.cdln.experiment.ReproduceSettings;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.model.DeepLinearNetwork;
import org.cdln.optim.OptimizerConfig;
import org.cdln.problem.Problem;
import org.cdln.problem.SyntheticTarget;
import org.cdln.train.DivergenceException;
import org.cdln.train.TrainResult;
import org.cdln.train.Trainer;
import org.cdln.train.TrainerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cdln analyze factorization|completion|sensing}: trains the wide original network at the
 * reference settings (d = 100, r = 10 unless given) with a {@link DynamicsRecorder}, prints the
 * findings of docs/method.md §4 (largest update rank per layer; the step at which each σ_i reaches 90% of
 * its target and whether they came largest first) and writes summary.json, trajectory.csv,
 * dynamics.json, dynamics.csv and four figures to {@code --out}.
 */
public abstract class DynamicsCommand implements Callable<Integer> {
    /** Default size and rank of the analysis (the factorization reference: d = 100, r = 10). */
    static final int DEFAULT_D = 100;
    static final int DEFAULT_R = 10;
    /** The fraction of σ_i* at which σ_i counts as learned. */
    static final double LEARNED_FRACTION = 0.9;

    private final Experiment experiment;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--d", paramLabel = "D", description = "Target size d (square d×d, default 100).")
    Integer d;
    @Option(names = "--eval-every", paramLabel = "K",
            description = "Record the dynamics every K steps (default: about 400 records over the budget).")
    Integer evalEvery;
    @Option(names = "--rank-tol", paramLabel = "TAU", defaultValue = "1e-6",
            description = "Relative threshold τ of the update rank: σ_i(ΔW) counts when > τ·σ_1(ΔW) (default ${DEFAULT-VALUE}).")
    double rankTol;
    @CommandLine.Mixin
    ThreadsOption threads;
    @CommandLine.Mixin
    OutOption out;
    @CommandLine.Mixin
    ProgressOption progress;
    @CommandLine.Mixin
    ResumeOption resume;
    @Option(names = "--measure-overhead", paramLabel = "REPEATS", arity = "0..1", fallbackValue = "3",
            description = "Instead of the analysis, time REPEATS (default 3) interleaved fits without the recorder, "
                    + "with it installed but disabled, and with it on, and print the medians (wall clock).")
    Integer measureOverhead;

    protected DynamicsCommand(Experiment experiment) {
        this.experiment = experiment;
        this.out = OutOption.folder("out/analyze-" + experiment.id());
    }

    /** The settings the options start from: the experiment's reference values with d = 100, r = 10. */
    org.cdln.settings.Settings defaults() {
        return experiment.settings().with(ReproduceSettings.D1, DEFAULT_D).with(ReproduceSettings.D2, DEFAULT_D)
                .with(ReproduceSettings.R, DEFAULT_R);
    }

    /**
     * The settings: {@link #defaults()} overridden by the flags given (parsed and validated by their
     * declarations); the original network only, trained by GD, recorded about 400 times unless
     * --eval-every says otherwise.
     */
    ReproduceSettings settings() {
        if (!(rankTol >= 0.0 && rankTol < 1.0)) {
            throw new IllegalArgumentException("--rank-tol must be in [0, 1), got " + rankTol);
        }
        if (measureOverhead != null && measureOverhead < 1) {
            throw new IllegalArgumentException("--measure-overhead must be ≥ 1, got " + measureOverhead);
        }
        org.cdln.settings.Settings g = SettingOptions.apply(spec, defaults());
        int size = d != null ? d : DEFAULT_D;
        int rank = g.get(ReproduceSettings.R);
        long budget = g.get(ReproduceSettings.MAX_STEPS);
        int every = evalEvery != null ? evalEvery : niceInterval(budget / 400.0);
        return SettingOptions.named(() -> new ReproduceSettings(experiment, size, size, rank, g.get(ReproduceSettings.P),
                g.get(ReproduceSettings.M), g.get(ReproduceSettings.DEPTH), g.get(ReproduceSettings.EPS),
                g.get(ReproduceSettings.STEP_SIZE), g.get(ReproduceSettings.ALPHA), Math.min(2 * rank, size), budget,
                g.get(ReproduceSettings.TOLERANCE), g.get(ReproduceSettings.SEED), every, g.get(ReproduceSettings.INIT),
                OptimizerConfig.Kind.GD), RecoveryCommand::squareFlag);
    }

    /**
     * The options of the declared settings this analysis takes (r, p, m, depth, eps, step size,
     * steps, tolerance, seed, init), with its defaults; the size is --d (square) and the recording
     * interval --eval-every, of its own.
     */
    public static final class DerivedOptions implements CommandLine.IModelTransformer {
        @Override
        public CommandLine.Model.CommandSpec transform(CommandLine.Model.CommandSpec spec) {
            return SettingOptions.addOnly(spec, ((DynamicsCommand) spec.userObject()).defaults(), java.util.Set.of("r",
                    "p", "m", "depth", "eps", "stepSize", "maxSteps", "tolerance", "seed", "init"));
        }
    }

    /** The smallest of 1, 2, 5, 10, 20, 50, … that is ≥ x. */
    static int niceInterval(double x) {
        long b = 1;
        while (true) {
            for (long f : new long[] {1, 2, 5}) {
                if (f * b >= x) {
                    return (int) Math.min(Integer.MAX_VALUE, f * b);
                }
            }
            b *= 10;
        }
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
        ReproduceSettings s = settings();
        PrintWriter o = spec.commandLine().getOut();
        LinearAlgebra la = LinearAlgebra.instance();
        o.println(header(s, la));
        o.flush();
        SyntheticTarget target = RecoveryExperiments.buildTarget(s, la);
        Problem problem = RecoveryExperiments.buildProblem(s, target, la);
        DeepLinearNetwork wide = RecoveryExperiments.originalNetwork(s, s.depth(), la);
        TrainerConfig config = RecoveryExperiments.originalConfig(s);
        if (measureOverhead != null) {
            return overhead(o, s, target, problem, wide, config, la);
        }
        DynamicsRecorder recorder = DynamicsRecorder.forTarget(target, rankTol, la);
        Trainer trainer = new Trainer(config, la).addListener(recorder);
        if (progress.shown()) {
            trainer.addListener(ProgressListener.create("original", config.maxSteps()));
        }
        Path dir = out.path();
        // the run and its recorder in one checkpoint; the recorder's threshold τ is part of its identity
        RecoveryExperiments.Checkpointing ck = new RecoveryExperiments.Checkpointing(dir.resolve("checkpoints"),
                resume.resume(), 30.0);
        long t0 = System.nanoTime();
        TrainResult result;
        try {
            result = ck.train(trainer, ck.file(s, "original-rank-tol" + rankTol), "original", wide, problem);
        } catch (DivergenceException e) {
            throw new IllegalArgumentException(e.getMessage() + " (lower --step)", e);
        }
        double wall = (System.nanoTime() - t0) * 1e-9;
        List<DynamicsPoint> points = recorder.points();
        IncrementalLearning il = IncrementalLearning.of(points, target.s(), LEARNED_FRACTION);
        o.println(findings(s, result, wall, recorder, points, il));
        write(o, dir, s, la, problem, target, result, recorder, points, il);
        return 0;
    }

    static String header(ReproduceSettings s, LinearAlgebra la) {
        return ResultTable.header(s, la).replaceFirst("^cdln reproduce ", "cdln analyze ")
                .replaceAll(" alpha=\\S+ rank-hat=\\S+", "");
    }

    /** The printed findings. */
    static String findings(ReproduceSettings s, TrainResult result, double wall, DynamicsRecorder recorder,
                           List<DynamicsPoint> points, IncrementalLearning il) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "trained %,d steps in %.1f s of training (%.1f s with evaluation and "
                + "recording, %d records every %d steps); final recovery error %.3e, %s%n", result.steps(),
                result.seconds(), wall, points.size(), s.evalEvery(), result.finalRecoveryError(),
                result.stopReason().name().toLowerCase().replace('_', ' ')));
        List<String> names = recorder.names();
        int[] maxRank = DynamicsPoint.maxUpdateRank(points);
        MatrixDynamics[] last = points.get(points.size() - 1).matrices().toArray(new MatrixDynamics[0]);
        b.append(String.format(Locale.ROOT, "update rank of M(t) − M(0) (σ_i > %s·σ_1), largest over the run "
                + "(2r = %d, d = %d):%n ", ResultTable.g(recorder.rankTolerance()), 2 * s.r(), s.d1()));
        for (int m = 0; m < names.size(); m++) {
            b.append(String.format(Locale.ROOT, " %s %d", names.get(m), maxRank[m]));
        }
        b.append(String.format(Locale.ROOT, "%nupdate rank at the end (step %,d):%n ", result.steps()));
        for (int m = 0; m < names.size(); m++) {
            b.append(String.format(Locale.ROOT, " %s %d", names.get(m), last[m].updateRank()));
        }
        b.append(String.format(Locale.ROOT, "%nupdate outside its best 2r-dimensional subspace at the end, "
                + "σ_(2r+1)/σ_1:%n "));
        for (int m = 0; m < names.size(); m++) {
            b.append(String.format(Locale.ROOT, " %s %.1e", names.get(m), last[m].updateTail()));
        }
        b.append(String.format(Locale.ROOT, "%nlargest principal angle to the reference step at the end, "
                + "top / middle / bottom block (radians, right singular vectors):%n"));
        long[] refs = recorder.referenceSteps();
        for (int m = 0; m < names.size(); m++) {
            double[] a = last[m].rightAngles();
            b.append(String.format(Locale.ROOT, "  %-3s %.3g / %.3g / %.3g  (reference step %d)%n", names.get(m), a[0],
                    a[1], a[2], refs[m]));
        }
        b.append(String.format(Locale.ROOT, "incremental learning: first recorded step at which σ_i(P) ≥ %.0f%% of "
                + "the target's σ_i*:%n", 100 * il.fraction()));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"  i", "σ_i*", "step", "|⟨u_i,u_i*⟩|", "|⟨v_i,v_i*⟩|"});
        MatrixDynamics pl = last[last.length - 1];
        for (int i = 0; i < il.target().length; i++) {
            rows.add(new String[] {"  " + (i + 1), String.format(Locale.ROOT, "%.3f", il.target()[i]),
                il.stepReached()[i] < 0 ? "not reached" : String.format(Locale.ROOT, "%,d", il.stepReached()[i]),
                String.format(Locale.ROOT, "%.4f", pl.leftAlignment()[i]),
                String.format(Locale.ROOT, "%.4f", pl.rightAlignment()[i])});
        }
        b.append(ResultTable.format(rows)).append('\n');
        int missing = il.target().length - il.reachedCount();
        b.append(String.format(Locale.ROOT, "learned in order, largest first: %s%s%s", il.inOrder() ? "yes" : "no",
                missing == 0 ? "" : String.format(Locale.ROOT, " for the %d learned; %d not reached within %,d steps",
                        il.reachedCount(), missing, result.steps()),
                il.ties() > 0 ? String.format(Locale.ROOT, " (%d consecutive pair%s within one recording interval of %d"
                        + " steps)", il.ties(), il.ties() == 1 ? "" : "s", s.evalEvery()) : ""));
        return b.toString();
    }

    private static void write(PrintWriter o, Path dir, ReproduceSettings s, LinearAlgebra la, Problem problem,
                              SyntheticTarget target, TrainResult result, DynamicsRecorder recorder,
                              List<DynamicsPoint> points, IncrementalLearning il) {
        Map<String, Object> settings = SummaryJson.settings(s);
        settings.remove("alpha");
        settings.remove("rank_hat");
        settings.put("rank_tolerance", recorder.rankTolerance());
        Map<String, Object> findings = new LinkedHashMap<>();
        Map<String, Object> maxRank = new LinkedHashMap<>();
        Map<String, Object> tail = new LinkedHashMap<>();
        int[] mr = DynamicsPoint.maxUpdateRank(points);
        List<MatrixDynamics> last = points.get(points.size() - 1).matrices();
        for (int m = 0; m < mr.length; m++) {
            maxRank.put(recorder.names().get(m), mr[m]);
            tail.put(recorder.names().get(m), last.get(m).updateTail());
        }
        findings.put("max_update_rank", maxRank);
        Map<String, Object> finalRank = new LinkedHashMap<>();
        for (int m = 0; m < mr.length; m++) {
            finalRank.put(recorder.names().get(m), last.get(m).updateRank());
        }
        findings.put("final_update_rank", finalRank);
        findings.put("final_update_tail", tail);
        findings.put("learned_fraction", il.fraction());
        findings.put("learned_at_step", Arrays.stream(il.stepReached()).boxed().map(v -> v < 0 ? null : v).toList());
        findings.put("learned_in_order", il.inOrder());
        findings.put("learned_count", il.reachedCount());
        findings.put("ties", il.ties());
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("problem", problem.description());
        extra.put("findings", findings);
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("experiment", "analyze-" + s.experiment().id());
        header.put("settings", settings);
        header.put("backend", la.description());
        header.put("threads", la.threads());
        header.put("block_rank", recorder.blockRank());
        header.put("rank_tolerance", recorder.rankTolerance());
        header.put("reference_gap", DynamicsRecorder.REFERENCE_GAP);
        header.put("target_singular_values", target.s());
        header.put("findings", findings);
        String title = problem.description() + " — wide network, depth " + s.depth();
        List<Path> written = new ArrayList<>();
        written.add(TrajectoryCsv.writeSeries(dir.resolve("trajectory.csv"), List.of(Series.of(result))));
        written.add(DynamicsReport.writeJson(dir.resolve("dynamics.json"), header, recorder.names(),
                recorder.referenceSteps(), points));
        written.add(DynamicsReport.writeCsv(dir.resolve("dynamics.csv"), points));
        written.addAll(DynamicsReport.writeFigures(dir, title, points, recorder.blockRank(), recorder.rankTolerance(),
                il));
        // summary.json last: when it is there, the files it describes are complete
        written.add(0, SummaryJson.write(dir.resolve("summary.json"), "analyze-" + s.experiment().id(), settings,
                la.description(), la.threads(), List.of(SummaryJson.run(result)), extra));
        o.println("wrote " + String.join(", ", written.stream().map(Path::toString).toList()) + " (and .svg of each figure)");
    }

    private int overhead(PrintWriter o, ReproduceSettings s, SyntheticTarget target, Problem problem,
                         DeepLinearNetwork wide, TrainerConfig config, LinearAlgebra la) {
        String[] labels = {"recorder not installed", "recorder installed, disabled", "recorder on"};
        List<List<Double>> times = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            times.add(new ArrayList<>());
        }
        new Trainer(config.withMaxSteps(Math.min(config.maxSteps(), 200)), la).fit("warm-up", wide, problem);
        for (int rep = 0; rep < measureOverhead; rep++) {
            for (int k = 0; k < 3; k++) {
                Trainer t = new Trainer(config, la);
                if (k > 0) {
                    t.addListener(DynamicsRecorder.forTarget(target, rankTol, la).setEnabled(k == 2));
                }
                long t0 = System.nanoTime();
                t.fit("original", wide, problem);
                times.get(k).add((System.nanoTime() - t0) * 1e-9);
            }
        }
        o.printf(Locale.ROOT, "overhead of the dynamics recorder: %d interleaved repeats of %,d steps, %d evaluations "
                + "each; wall clock of fit(), median (min … max)%n", measureOverhead, config.maxSteps(),
                config.maxSteps() / config.evalEvery() + 1);
        double base = median(times.get(0));
        for (int k = 0; k < 3; k++) {
            List<Double> t = times.get(k);
            o.printf(Locale.ROOT, "  %-30s %8.3f s (%.3f … %.3f)  %+.1f%%%n", labels[k], median(t),
                    t.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                    t.stream().mapToDouble(Double::doubleValue).max().orElse(0), 100 * (median(t) / base - 1));
        }
        return 0;
    }

    private static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : 0.5 * (a[a.length / 2 - 1] + a[a.length / 2]);
    }

    @Command(name = "factorization", mixinStandardHelpOptions = true, modelTransformer = DerivedOptions.class,
            description = "Learning dynamics of the wide network on matrix factorization: d=100, r=10, η=1, "
                    + "100,000 steps.")
    static final class Factorization extends DynamicsCommand {
        Factorization() {
            super(Experiment.FACTORIZATION);
        }
    }

    @Command(name = "completion", mixinStandardHelpOptions = true, modelTransformer = DerivedOptions.class,
            description = "Learning dynamics of the wide network on matrix completion: d=100, r=10, p=0.3, η=10, "
                    + "tol 1e-12, 25,000 steps.")
    static final class Completion extends DynamicsCommand {
        Completion() {
            super(Experiment.COMPLETION);
        }
    }

    @Command(name = "sensing", mixinStandardHelpOptions = true, modelTransformer = DerivedOptions.class,
            description = "Learning dynamics of the wide network on matrix sensing: d=100, r=10, m=4000, η=20, "
                    + "tol 1e-12, 25,000 steps.")
    static final class Sensing extends DynamicsCommand {
        Sensing() {
            super(Experiment.SENSING);
        }
    }
}
