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
import org.cdln.optim.OptimizerConfig;
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

    @Option(names = "--d", paramLabel = "D", description = "Target size d (square d×d).")
    Integer d;
    @Option(names = "--d1", paramLabel = "D1", description = "Target rows (rectangular targets; overrides --d).")
    Integer d1;
    @Option(names = "--d2", paramLabel = "D2", description = "Target columns (rectangular targets; overrides --d).")
    Integer d2;
    @Option(names = "--r", paramLabel = "R", description = "Target rank r.")
    Integer r;
    @Option(names = "--p", paramLabel = "P", description = "Observed fraction for completion, in (0, 1].")
    Double p;
    @Option(names = "--m", paramLabel = "M", description = "Number of measurements for sensing.")
    Integer m;
    @Option(names = "--depth", paramLabel = "L", description = "Network depth L ≥ 2 (default 3).")
    Integer depth;
    @Option(names = "--eps", paramLabel = "EPS", description = "Initialisation scale ε (default 1e-2).")
    Double eps;
    @Option(names = "--step", paramLabel = "ETA", description = "Step size η.")
    Double step;
    @Option(names = "--alpha", paramLabel = "ALPHA", description = "Discrepant rate α of the compressed network's outer layers.")
    Double alpha;
    @Option(names = "--rank-hat", paramLabel = "RHAT", description = "Compressed width r̂ (default 2r).")
    Integer rankHat;
    @Option(names = "--steps", paramLabel = "N", description = "Step budget.")
    Long steps;
    @Option(names = "--tol", paramLabel = "TOL", description = "Stop when the training loss is below TOL.")
    Double tol;
    @Option(names = "--seed", paramLabel = "SEED", description = "Random seed (default 0).")
    Long seed;
    @Option(names = "--eval-every", paramLabel = "K", description = "Evaluate every K steps.")
    Integer evalEvery;
    @CommandLine.Mixin
    InitOption init;
    @Option(names = "--optimizer", paramLabel = "KIND", description = "gd, momentum, adam or rmsprop (default gd).")
    String optimizer;
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

    /** The settings: the experiment's reference values, overridden by the flags given. */
    ReproduceSettings settings() {
        if (stallSteps != null && stallSteps < 1) {
            throw new IllegalArgumentException("--stall-steps must be ≥ 1, got " + stallSteps
                    + "; leave it out to run each network to the tolerance or the step budget");
        }
        if (d != null && (d1 != null || d2 != null)) {
            throw new IllegalArgumentException("--d " + d + " and --d1/--d2 both give the size; give either --d for a "
                    + "square target or --d1 and --d2 for a rectangular one");
        }
        if (m != null && experiment.problemKind() != org.cdln.problem.ProblemKind.SENSING) {
            throw new IllegalArgumentException("--m " + m + " (the number of sensing measurements) does not apply to "
                    + "reproduce " + experiment.id() + "; leave it out, or use 'cdln reproduce sensing --m " + m + "'");
        }
        if (p != null && experiment.problemKind() != org.cdln.problem.ProblemKind.COMPLETION) {
            throw new IllegalArgumentException("--p " + p + " (the observed fraction of completion) does not apply to "
                    + "reproduce " + experiment.id() + "; leave it out, or use 'cdln reproduce completion --p " + p + "'");
        }
        ReproduceSettings def = experiment.defaults();
        int rows = d1 != null ? d1 : d != null ? d : def.d1();
        int cols = d2 != null ? d2 : d != null ? d : def.d2();
        int rank = r != null ? r : def.r();
        return new ReproduceSettings(experiment, rows, cols, rank, or(p, def.p()), or(m, def.m()),
                or(depth, def.depth()), or(eps, def.eps()), or(step, def.step()), or(alpha, def.alpha()),
                rankHat != null ? rankHat : 2 * rank, or(steps, def.steps()), or(tol, def.tol()),
                or(seed, def.seed()), or(evalEvery, def.evalEvery()),
                init.orElse(def.init()),
                optimizer == null ? def.optimizer() : flag("--optimizer", () -> OptimizerConfig.Kind.parse(optimizer)));
    }

    /** Runs a parser, prefixing its error with the flag name. */
    static <T> T flag(String name, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    private static <T> T or(T v, T dflt) {
        return v != null ? v : dflt;
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

    @Command(name = "factorization", mixinStandardHelpOptions = true,
            description = "Matrix factorization: d=100, r=10, η=1, α=1, tol 0, 100,000 steps.")
    static final class Factorization extends RecoveryCommand {
        Factorization() {
            super(Experiment.FACTORIZATION);
        }
    }

    @Command(name = "completion", mixinStandardHelpOptions = true,
            description = "Matrix completion: d=100, r=5, p=0.3, η=10, α=5, tol 1e-12, 25,000 steps.")
    static final class Completion extends RecoveryCommand {
        Completion() {
            super(Experiment.COMPLETION);
        }
    }

    @Command(name = "sensing", mixinStandardHelpOptions = true,
            description = "Matrix sensing: d=200, r=5, m=4000, η=20, α=1, tol 1e-12, 25,000 steps.")
    static final class Sensing extends RecoveryCommand {
        Sensing() {
            super(Experiment.SENSING);
        }
    }

    @Command(name = "alpha-sweep", mixinStandardHelpOptions = true,
            description = "Completion, compressed network for α = 0.5 … 9.75 step 0.25 (and the original once): "
                    + "d=100, r=5, p=0.2, η=10, tol 1e-10, 100,000 steps.")
    static final class AlphaSweep extends RecoveryCommand {
        AlphaSweep() {
            super(Experiment.ALPHA_SWEEP);
        }
    }

    @Command(name = "depth", mixinStandardHelpOptions = true,
            description = "Completion at depth 2 and 3, original and compressed: d=100, r=10, p=0.3, η=50, α=2, "
                    + "tol 1e-12, 25,000 steps.")
    static final class Depth extends RecoveryCommand {
        Depth() {
            super(Experiment.DEPTH);
        }
    }
}
