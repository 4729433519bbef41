package org.cdln.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.cdln.experiment.ListenerFactory;
import org.cdln.cli.report.Charts;
import org.cdln.cli.report.ResultTable;
import org.cdln.cli.report.SummaryJson;
import org.cdln.cli.report.TrajectoryCsv;
import org.cdln.experiment.Experiment;
import org.cdln.experiment.RecoveryExperiments;
import org.cdln.experiment.ReproduceSettings;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.settings.Setting;
import org.cdln.settings.Settings;
import org.cdln.train.EarlyStopping;
import org.cdln.train.TrainingListener;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cdln reproduce factorization|completion|sensing|alpha-sweep|depth}: trains the original
 * and the compressed network on one synthetic problem, prints the side-by-side table and writes
 * summary.json, trajectory.csv and recovery.png/.svg to {@code --out}.
 */
public abstract class RecoveryCommand implements Callable<Integer> {
    private final Experiment experiment;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--d", paramLabel = "D", description = "Target size d (square d×d; sets d1 and d2).")
    Integer d;
    @CommandLine.Mixin
    ThreadsOption threads;
    @CommandLine.Mixin
    OutOption out;
    @CommandLine.Mixin
    ProgressOption progress;
    @Option(names = "--stall-steps", paramLabel = "N", description = "Also stop a run when its training loss has "
            + "fallen by less than 0.1%% over N steps (default: off, runs go to --tol or --steps). The plateaus between "
            + "learned singular values can last thousands of steps: pick N well above them.")
    Long stallSteps;
    @CommandLine.Mixin
    ResumeOption resume;

    protected RecoveryCommand(Experiment experiment) {
        this.experiment = experiment;
        this.out = OutOption.folder("out/" + experiment.id());
    }

    /**
     * The settings: the experiment's reference values, overridden by the flags given (parsed and
     * validated by their declarations, {@link ReproduceSettings#SCHEMA}); a refusal names the flag.
     */
    ReproduceSettings settings() {
        if (stallSteps != null && stallSteps < 1) {
            throw new IllegalArgumentException("--stall-steps must be ≥ 1, got " + stallSteps
                    + "; leave it out to run each network to the tolerance or the step budget");
        }
        String d1 = SettingOptions.given(spec, ReproduceSettings.D1);
        String d2 = SettingOptions.given(spec, ReproduceSettings.D2);
        if (d != null && (d1 != null || d2 != null)) {
            throw new IllegalArgumentException("--d " + d + " and --d1/--d2 both give the size; give either --d for a "
                    + "square target or --d1 and --d2 for a rectangular one");
        }
        String m = SettingOptions.given(spec, ReproduceSettings.M);
        if (m != null && experiment.problemKind() != org.cdln.problem.ProblemKind.SENSING) {
            throw new IllegalArgumentException("--m " + m + " (the number of sensing measurements) does not apply to "
                    + "reproduce " + experiment.id() + "; leave it out, or use 'cdln reproduce sensing --m " + m + "'");
        }
        String p = SettingOptions.given(spec, ReproduceSettings.P);
        if (p != null && experiment.problemKind() != org.cdln.problem.ProblemKind.COMPLETION) {
            throw new IllegalArgumentException("--p " + p + " (the observed fraction of completion) does not apply to "
                    + "reproduce " + experiment.id() + "; leave it out, or use 'cdln reproduce completion --p " + p + "'");
        }
        Settings given = SettingOptions.apply(spec, experiment.settings());
        // --d sets both sizes: a refusal of d1 or d2 then names --d
        java.util.function.Function<Setting<?>, String> flags = d != null ? RecoveryCommand::squareFlag
                : SettingOptions::flag;
        return SettingOptions.named(() -> ReproduceSettings.of(experiment,
                d == null ? given : given.with(ReproduceSettings.D1, d).with(ReproduceSettings.D2, d)), flags);
    }

    /** The options of the declared settings, with the experiment's reference values as defaults. */
    public static final class DerivedOptions implements CommandLine.IModelTransformer {
        @Override
        public CommandLine.Model.CommandSpec transform(CommandLine.Model.CommandSpec spec) {
            RecoveryCommand c = (RecoveryCommand) spec.userObject();
            return SettingOptions.addTo(spec, c.experiment.settings(), java.util.Set.of());
        }
    }

    /** The flag of a setting in the commands whose {@code --d} sets both d1 and d2. */
    static String squareFlag(Setting<?> s) {
        return s == ReproduceSettings.D1 || s == ReproduceSettings.D2 ? "--d" : SettingOptions.flag(s);
    }

    /** Runs a parser, prefixing its error with the flag name. */
    static <T> T flag(String name, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
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
        Path dir = out.path();
        o.println(ResultTable.header(s, la));
        o.flush();
        ListenerFactory listeners = withOraclePath(withStallStop(progress.bars(), s, o), la, o);
        RecoveryExperiments.Outcome outcome;
        try {
            outcome = RecoveryExperiments.run(s, la, listeners,
                    new RecoveryExperiments.Checkpointing(dir.resolve("checkpoints"), resume.resume(), 30.0));
        } catch (RecoveryExperiments.Failure f) {
            if (!f.partial().runs().isEmpty()) {
                o.println(ResultTable.render(f.partial()));
                write(o, dir, f.partial());
                o.println("(partial: the runs above finished before the failure below)");
                o.flush();
            }
            throw f;
        }
        o.println(ResultTable.render(outcome));
        write(o, dir, outcome);
        return 0;
    }

    /**
     * Adds an {@link EarlyStopping} on the training loss to every run when {@code --stall-steps N}
     * is given: patience ⌈N / evalEvery⌉ evaluations, minimum relative improvement 0.1%.
     */
    private ListenerFactory withStallStop(ListenerFactory base,
                                                              ReproduceSettings s, PrintWriter o) {
        if (stallSteps == null) {
            return base;
        }
        int patience = (int) Math.min(Integer.MAX_VALUE, Math.max(1L, (stallSteps + s.evalEvery() - 1) / s.evalEvery()));
        o.printf("stopping a run early when its training loss falls by less than 0.1%% over %,d steps "
                + "(%d evaluations every %,d steps)%n", (long) patience * s.evalEvery(), patience, s.evalEvery());
        return (label, budget) -> {
            List<TrainingListener> l = new ArrayList<>(base.forRun(label, budget));
            l.add(new EarlyStopping(patience, 1e-3, true));
            return l;
        };
    }

    /**
     * Prints, as each completion run starts, which loss-and-gradient path it runs (dense GEMM or
     * the fused sparse kernel, with its threads) and why: the times measured on this machine.
     */
    private static ListenerFactory withOraclePath(ListenerFactory base,
                                                                      LinearAlgebra la, PrintWriter o) {
        return (label, budget) -> {
            List<TrainingListener> l = new ArrayList<>(base.forRun(label, budget));
            l.add(new TrainingListener() {
                @Override
                public void onStart(org.cdln.train.TrainingContext context) {
                    if (context.problem() instanceof org.cdln.problem.CompletionProblem mc) {
                        var net = context.network();
                        o.println("[" + label + "] loss and gradient: " + mc.oraclePath(net.layer(net.depth()).cols(), la));
                        o.flush();
                    }
                }
            });
            return l;
        };
    }

    private static void write(PrintWriter o, Path dir, RecoveryExperiments.Outcome outcome) {
        // summary.json last: when it is there, the files it describes are complete
        List<Path> written = new java.util.ArrayList<>(List.of(
                TrajectoryCsv.write(dir.resolve("trajectory.csv"), outcome.runs()),
                Charts.recovery(dir, "recovery", outcome)));
        if (outcome.settings().experiment() == Experiment.ALPHA_SWEEP) {
            written.add(Charts.alphaSweep(dir, outcome));
        }
        written.add(0, SummaryJson.write(dir.resolve("summary.json"), outcome));
        o.println("wrote " + String.join(", ", written.stream().map(Path::toString).toList())
                + " and " + dir.resolve("recovery.svg"));
    }

    @Command(name = "factorization", mixinStandardHelpOptions = true, modelTransformer = DerivedOptions.class,
            description = "Matrix factorization: d=100, r=10, η=1, α=1, tol 0, 100,000 steps.")
    static final class Factorization extends RecoveryCommand {
        Factorization() {
            super(Experiment.FACTORIZATION);
        }
    }

    @Command(name = "completion", mixinStandardHelpOptions = true, modelTransformer = DerivedOptions.class,
            description = "Matrix completion: d=100, r=5, p=0.3, η=10, α=5, tol 1e-12, 25,000 steps.")
    static final class Completion extends RecoveryCommand {
        Completion() {
            super(Experiment.COMPLETION);
        }
    }

    @Command(name = "sensing", mixinStandardHelpOptions = true, modelTransformer = DerivedOptions.class,
            description = "Matrix sensing: d=200, r=5, m=4000, η=20, α=1, tol 1e-12, 25,000 steps.")
    static final class Sensing extends RecoveryCommand {
        Sensing() {
            super(Experiment.SENSING);
        }
    }

    @Command(name = "alpha-sweep", mixinStandardHelpOptions = true, modelTransformer = DerivedOptions.class,
            description = "Completion, compressed network for α = 0.5 … 9.75 step 0.25 (and the original once): "
                    + "d=100, r=5, p=0.2, η=10, tol 1e-10, 100,000 steps.")
    static final class AlphaSweep extends RecoveryCommand {
        AlphaSweep() {
            super(Experiment.ALPHA_SWEEP);
        }
    }

    @Command(name = "depth", mixinStandardHelpOptions = true, modelTransformer = DerivedOptions.class,
            description = "Completion at depth 2 and 3, original and compressed: d=100, r=10, p=0.3, η=50, α=2, "
                    + "tol 1e-12, 25,000 steps.")
    static final class Depth extends RecoveryCommand {
        Depth() {
            super(Experiment.DEPTH);
        }
    }
}
