package org.cdln.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cdln.compress.SpectralInit;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Rng;
import org.cdln.model.DeepLinearNetwork;
import org.cdln.optim.LayerRates;
import org.cdln.optim.OptimizerConfig;
import org.cdln.problem.CompletionProblem;
import org.cdln.problem.FactorizationProblem;
import org.cdln.problem.Problem;
import org.cdln.problem.SensingProblem;
import org.cdln.problem.SyntheticTarget;
import java.util.OptionalDouble;
import org.cdln.io.SettingsDigest;
import org.cdln.linalg.MemoryCheck;
import org.cdln.train.Checkpoint;
import org.cdln.train.CheckpointListener;
import org.cdln.train.DivergenceException;
import org.cdln.train.StableStepProbe;
import org.cdln.train.TrainResult;
import org.cdln.train.Trainer;
import org.cdln.train.TrainerConfig;
import org.cdln.train.TrainingListener;

/**
 * Runs the paper's matrix-recovery experiments: the original wide network and the compressed
 * network on the same synthetic problem, side by side.
 *
 * <p>Randomness: one seed; the target, the observations (mask or operator) and the original
 * network's layers each draw from their own split of it, so that changing one setting does not
 * reshuffle the others. Training time excludes data generation.
 */
public final class RecoveryExperiments {
    /** α grid of the sweep: 0.5, 0.75, …, 9.75. */
    public static final double[] ALPHA_GRID = grid(0.5, 9.75, 0.25);
    /** Depths compared by the depth experiment. */
    public static final int[] DEPTHS = {2, 3};

    private RecoveryExperiments() {
    }


    /**
     * One training run of an experiment.
     *
     * @param result the trainer's result
     * @param alpha  the swept α (alpha-sweep, compressed runs), else null
     * @param depth  the swept depth (depth experiment), else null
     */
    public record Run(TrainResult result, Double alpha, Integer depth) {
        public String model() {
            return result.label();
        }
    }

    /**
     * The runs of one experiment with the problem they shared.
     *
     * @param setupSeconds time to generate the data and build the networks (not training)
     */
    public record Outcome(ReproduceSettings settings, String problem, String backend, int threads,
                          List<Run> runs, double setupSeconds) {
        public Outcome {
            runs = List.copyOf(runs);
        }
    }

    /** The synthetic problem of the settings (factorization, completion or sensing). */
    public static Problem buildProblem(ReproduceSettings s, LinearAlgebra la) {
        return buildProblem(s, buildTarget(s, la), la);
    }

    /**
     * The synthetic target of the settings, with its true singular vectors (docs/method.md §2): the same
     * target {@link #buildProblem(ReproduceSettings, LinearAlgebra)} observes.
     */
    public static SyntheticTarget buildTarget(ReproduceSettings s, LinearAlgebra la) {
        Rng master = new Rng(s.seed());
        Rng targetRng = master.split();
        return SyntheticTarget.generate(s.d1(), s.d2(), s.r(), targetRng, la);
    }

    /**
     * The problem of the settings observing the given target (from {@link #buildTarget}); the
     * observations (mask or operator) draw from the settings' seed as in
     * {@link #buildProblem(ReproduceSettings, LinearAlgebra)}.
     */
    public static Problem buildProblem(ReproduceSettings s, SyntheticTarget t, LinearAlgebra la) {
        Rng master = new Rng(s.seed());
        master.split();
        Rng observeRng = master.split();
        String base = s.d1() + "×" + s.d2() + " rank-" + s.r() + " synthetic target, seed " + s.seed();
        return switch (s.experiment().problemKind()) {
            case FACTORIZATION -> new FactorizationProblem(t.y(), "factorization of a " + base);
            case COMPLETION -> CompletionProblem.sample(t.y(), s.p(), observeRng,
                    "completion of a " + base + ", p=" + s.p());
            case SENSING -> SensingProblem.gaussian(t.y(), s.m(), observeRng, la,
                    "sensing of a " + base + ", m=" + s.m());
        };
    }

    /**
     * Estimated bytes of an experiment's largest run: the dense target and the matrices the
     * problem keeps of its size (target, observation mask or operator, product, residual), the
     * sensing operator's m·d1·d2 entries, and the training state of the wide network (every inner
     * width max(d1, d2)) at the deepest depth the experiment trains.
     */
    public static long estimatedBytes(ReproduceSettings s) {
        double dense = (double) s.d1() * s.d2();
        double problem = 5 * dense + (s.experiment().problemKind() == org.cdln.problem.ProblemKind.SENSING
                ? (double) s.m() * dense : 0);
        int depth = s.experiment() == Experiment.DEPTH ? Math.max(s.depth(), DEPTHS[DEPTHS.length - 1]) : s.depth();
        int w = Math.max(s.d1(), s.d2());
        int[] widths = new int[depth + 1];
        java.util.Arrays.fill(widths, w);
        widths[0] = s.d2();
        widths[depth] = s.d1();
        int opt = switch (s.optimizer()) {
            case GD -> 0;
            case MOMENTUM, RMSPROP -> 1;
            case ADAM -> 2;
        };
        long train = MemoryCheck.trainingBytes(MemoryCheck.networkDoubles(widths), depth, opt);
        long data = MemoryCheck.doubles(problem);
        return data > Long.MAX_VALUE - train ? Long.MAX_VALUE : data + train;
    }

    /** Refuses settings whose largest run cannot fit in the heap, before anything is built. */
    static void requireMemory(ReproduceSettings s) {
        String what = "reproduce " + s.experiment().id() + " at d1×d2 = " + s.d1() + "×" + s.d2() + ", depth "
                + s.depth() + (s.experiment().problemKind() == org.cdln.problem.ProblemKind.SENSING ? ", m = " + s.m()
                : "") + " (the wide network has inner width " + Math.max(s.d1(), s.d2()) + ")";
        MemoryCheck.require(what, estimatedBytes(s), "a smaller size (d, depth"
                + (s.experiment().problemKind() == org.cdln.problem.ProblemKind.SENSING ? ", m" : "") + ")");
    }

    /** The wide original network: depth L, every inner width max(d1, d2) (d in the square case). */
    public static DeepLinearNetwork originalNetwork(ReproduceSettings s, int depth, LinearAlgebra la) {
        Rng master = new Rng(s.seed());
        master.split();
        master.split();
        Rng netRng = master.split();
        int width = Math.max(s.d1(), s.d2());
        return DeepLinearNetwork.wide(s.d1(), s.d2(), width, depth, s.init(), s.eps(), netRng, la)
                .withOrigin(s.init().name().toLowerCase() + " init, eps=" + s.eps() + ", width=" + width + ", depth="
                        + depth + ", seed=" + s.seed());
    }

    /** The trainer settings of the original network (uniform rates). */
    public static TrainerConfig originalConfig(ReproduceSettings s) {
        return new TrainerConfig(s.steps(), s.tol(), s.evalEvery(), OptimizerConfig.of(s.optimizer(), s.step()),
                null, TrainerConfig.DEFAULT_DIVERGENCE_FACTOR);
    }

    /** The trainer settings of the compressed network (discrepant rate α). */
    public static TrainerConfig compressedConfig(ReproduceSettings s, int depth, double alpha) {
        return originalConfig(s).withLayerRates(LayerRates.discrepant(depth, alpha));
    }

    /**
     * A run of the experiment diverged; the runs finished before it are kept in {@link #partial()}
     * so that callers can still write them out.
     */
    public static final class Failure extends RuntimeException {
        private final transient Outcome partial;

        Failure(DivergenceException cause, Outcome partial) {
            super(cause.getMessage(), cause);
            this.partial = partial;
        }

        /** The runs that finished before the failure. */
        public Outcome partial() {
            return partial;
        }
    }

    /**
     * Where each run writes its checkpoint ({@code <dir>/<run>-<settings digest>.ckpt}, every
     * {@code intervalSeconds} and at the end), and whether existing checkpoints of the same settings
     * are resumed instead of starting afresh. The digest ({@link SettingsDigest}) covers the value
     * of every setting but the step budget, so that a finished run can also be continued with a
     * larger {@code --steps}.
     */
    public record Checkpointing(Path dir, boolean resume, double intervalSeconds) {
        public Checkpointing {
            if (!(intervalSeconds > 0)) {
                throw new IllegalArgumentException("checkpoint interval must be > 0 s, got " + intervalSeconds);
            }
        }

        /** The checkpoint file of one run under these settings. */
        public Path file(ReproduceSettings s, String run) {
            return dir.resolve(run + "-" + SettingsDigest.of(s, java.util.Set.of("steps")) + ".ckpt");
        }

        /**
         * Trains one run with a checkpoint in {@code file} (every interval, at the end, and at an
         * interruption): resumed from that file when resuming and it exists, else from {@code net}.
         */
        public TrainResult train(Trainer trainer, Path file, String label, DeepLinearNetwork net, Problem problem) {
            trainer.addListener(new CheckpointListener(file, intervalSeconds));
            if (resume && Files.exists(file)) {
                return trainer.resume(Checkpoint.load(file), problem);
            }
            return trainer.fit(label, net, problem);
        }
    }

    /**
     * Runs the experiment without checkpoints.
     *
     * @throws Failure when a run diverges (its message suggests a stable step size)
     */
    public static Outcome run(ReproduceSettings s, LinearAlgebra la, ListenerFactory listeners) {
        return run(s, la, listeners, null);
    }

    /**
     * Runs the experiment; with {@code checkpointing} non-null every run is checkpointed and, when
     * asked, resumed from an earlier interrupted (or finished) run with the same settings.
     *
     * @throws Failure when a run diverges (its message suggests a stable step size)
     */
    public static Outcome run(ReproduceSettings s, LinearAlgebra la, ListenerFactory listeners,
                              Checkpointing checkpointing) {
        requireMemory(s);
        long t0 = System.nanoTime();
        Problem problem = buildProblem(s, la);
        double setup = (System.nanoTime() - t0) * 1e-9;
        List<Planned> plan = plan(s, problem, la);
        Runner runner = new Runner(s, la, listeners, checkpointing, problem, plan);
        List<Run> runs = new ArrayList<>();
        try {
            for (int i = 0; i < plan.size(); i++) {
                Planned p = plan.get(i);
                runs.add(new Run(runner.train(i), p.alpha(), p.depth()));
            }
        } catch (DivergenceException e) {
            throw new Failure(e, new Outcome(s, problem.description(), la.description(), la.threads(), runs, setup));
        }
        return new Outcome(s, problem.description(), la.description(), la.threads(), runs, setup);
    }

    /**
     * One run the experiment will train: its label, checkpoint key, initial network (built when
     * first asked for, then kept), trainer settings and swept value.
     */
    private static final class Planned {
        private final String label;
        private final String key;
        private final java.util.function.Supplier<DeepLinearNetwork> build;
        private final TrainerConfig config;
        private final Double alpha;
        private final Integer depth;
        private DeepLinearNetwork network;

        Planned(String label, String key, java.util.function.Supplier<DeepLinearNetwork> build, TrainerConfig config,
                Double alpha, Integer depth) {
            this.label = label;
            this.key = key;
            this.build = build;
            this.config = config;
            this.alpha = alpha;
            this.depth = depth;
        }

        DeepLinearNetwork network() {
            if (network == null) {
                network = build.get();
            }
            return network;
        }

        Double alpha() {
            return alpha;
        }

        Integer depth() {
            return depth;
        }
    }

    /** The runs of the experiment, in order; the networks are built as they are needed. */
    private static List<Planned> plan(ReproduceSettings s, Problem problem, LinearAlgebra la) {
        List<Planned> plan = new ArrayList<>();
        switch (s.experiment()) {
            case ALPHA_SWEEP -> {
                plan.add(new Planned("original", "original", () -> originalNetwork(s, s.depth(), la), originalConfig(s),
                        null, null));
                // one spectral initialisation for every α
                DeepLinearNetwork[] compressed = new DeepLinearNetwork[1];
                java.util.function.Supplier<DeepLinearNetwork> c = () -> {
                    if (compressed[0] == null) {
                        compressed[0] = new SpectralInit(s.rankHat(), s.depth(), s.eps()).build(problem, s.seed(), la);
                    }
                    return compressed[0];
                };
                for (double alpha : ALPHA_GRID) {
                    plan.add(new Planned("compressed", "compressed-alpha" + alpha, c,
                            compressedConfig(s, s.depth(), alpha), alpha, null));
                }
            }
            case DEPTH -> {
                for (int depth : DEPTHS) {
                    plan.add(new Planned("original", "original-L" + depth, () -> originalNetwork(s, depth, la),
                            originalConfig(s), null, depth));
                    plan.add(new Planned("compressed", "compressed-L" + depth,
                            () -> new SpectralInit(s.rankHat(), depth, s.eps()).build(problem, s.seed(), la),
                            compressedConfig(s, depth, s.alpha()), null, depth));
                }
            }
            default -> {
                plan.add(new Planned("original", "original", () -> originalNetwork(s, s.depth(), la), originalConfig(s),
                        null, null));
                plan.add(new Planned("compressed", "compressed",
                        () -> new SpectralInit(s.rankHat(), s.depth(), s.eps()).build(problem, s.seed(), la),
                        compressedConfig(s, s.depth(), s.alpha()), null, null));
            }
        }
        return plan;
    }

    /** Seconds all the stability probes after a divergence may take together. */
    static final double PROBE_SECONDS = 60.0;

    /** Trains the runs of one experiment with the same listeners and checkpointing. */
    private record Runner(ReproduceSettings s, LinearAlgebra la, ListenerFactory listeners,
                          Checkpointing checkpointing, Problem problem, List<Planned> plan) {

        TrainResult train(int i) {
            Planned p = plan.get(i);
            Trainer trainer = new Trainer(p.config, la);
            for (TrainingListener l : listeners.forRun(p.label, p.config.maxSteps())) {
                trainer.addListener(l);
            }
            try {
                if (checkpointing != null) {
                    return checkpointing.train(trainer, checkpointing.file(s, p.key), p.label, p.network(), problem);
                }
                return trainer.fit(p.label, p.network(), problem);
            } catch (DivergenceException e) {
                int[] probed = new int[1];
                OptionalDouble stable = stableForTheRest(i, e.step(), probed);
                throw StableStepProbe.advise(e, stable, p.config, probed[0]);
            }
        }

        /**
         * The largest η/2^k that a probe of the diverged run and of every run after it (whose
         * trainer settings differ) survived: η is one setting of the whole experiment, so the advice
         * must hold for the networks still to train too (a compressed network steps its outer layers
         * with η·α). Empty when no halving survived; when the probes run out of time, the η that
         * the networks probed so far survived. {@code probed[0]} is set to their number.
         */
        OptionalDouble stableForTheRest(int from, long divergedAt, int[] probed) {
            long deadline = System.nanoTime() + (long) (PROBE_SECONDS * 1e9);
            double eta = Double.NaN;
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int j = from; j < plan.size(); j++) {
                Planned p = plan.get(j);
                if (!seen.add(p.label + p.config.withMaxSteps(1) + p.network().depth())) {
                    continue;   // the same network and settings as one probed already
                }
                double left = (deadline - System.nanoTime()) * 1e-9;
                if (left <= 0) {
                    break;
                }
                // start the halving at 2η so that the first probe tests the η found so far
                TrainerConfig c = j == from || Double.isNaN(eta) ? p.config
                        : p.config.withOptimizer(p.config.optimizer().withStepSize(2 * eta));
                OptionalDouble found = StableStepProbe.find(p.network(), problem, c, divergedAt, la, left);
                if (found.isEmpty()) {
                    return OptionalDouble.empty();
                }
                eta = Double.isNaN(eta) ? found.getAsDouble() : Math.min(eta, found.getAsDouble());
                probed[0]++;
            }
            return Double.isNaN(eta) ? OptionalDouble.empty() : OptionalDouble.of(eta);
        }
    }

    static double[] grid(double from, double to, double by) {
        int n = (int) Math.round((to - from) / by) + 1;
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = from + i * by;
        }
        return g;
    }
}
