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
        Runner runner = new Runner(s, la, listeners, checkpointing);
        long t0 = System.nanoTime();
        Problem problem = buildProblem(s, la);
        double setup = (System.nanoTime() - t0) * 1e-9;
        List<Run> runs = new ArrayList<>();
        try {
            switch (s.experiment()) {
                case ALPHA_SWEEP -> {
                    runs.add(new Run(runner.train("original", "original", originalNetwork(s, s.depth(), la), problem,
                            originalConfig(s)), null, null));
                    DeepLinearNetwork compressed = new SpectralInit(s.rankHat(), s.depth(), s.eps())
                            .build(problem, s.seed(), la);
                    for (double alpha : ALPHA_GRID) {
                        runs.add(new Run(runner.train("compressed", "compressed-alpha" + alpha, compressed, problem,
                                compressedConfig(s, s.depth(), alpha)), alpha, null));
                    }
                }
                case DEPTH -> {
                    for (int depth : DEPTHS) {
                        runs.add(new Run(runner.train("original", "original-L" + depth, originalNetwork(s, depth, la),
                                problem, originalConfig(s)), null, depth));
                        DeepLinearNetwork c = new SpectralInit(s.rankHat(), depth, s.eps()).build(problem, s.seed(), la);
                        runs.add(new Run(runner.train("compressed", "compressed-L" + depth, c, problem,
                                compressedConfig(s, depth, s.alpha())), null, depth));
                    }
                }
                default -> {
                    runs.add(new Run(runner.train("original", "original", originalNetwork(s, s.depth(), la), problem,
                            originalConfig(s)), null, null));
                    DeepLinearNetwork c = new SpectralInit(s.rankHat(), s.depth(), s.eps()).build(problem, s.seed(), la);
                    runs.add(new Run(runner.train("compressed", "compressed", c, problem,
                            compressedConfig(s, s.depth(), s.alpha())), null, null));
                }
            }
        } catch (DivergenceException e) {
            throw new Failure(e, new Outcome(s, problem.description(), la.description(), la.threads(), runs, setup));
        }
        return new Outcome(s, problem.description(), la.description(), la.threads(), runs, setup);
    }

    /** Trains the runs of one experiment with the same listeners and checkpointing. */
    private record Runner(ReproduceSettings s, LinearAlgebra la, ListenerFactory listeners,
                          Checkpointing checkpointing) {

        TrainResult train(String label, String key, DeepLinearNetwork net, Problem problem, TrainerConfig config) {
            Trainer trainer = new Trainer(config, la);
            for (TrainingListener l : listeners.forRun(label, config.maxSteps())) {
                trainer.addListener(l);
            }
            try {
                if (checkpointing != null) {
                    return checkpointing.train(trainer, checkpointing.file(s, key), label, net, problem);
                }
                return trainer.fit(label, net, problem);
            } catch (DivergenceException e) {
                OptionalDouble stable = StableStepProbe.find(net, problem, config, e.step(), la, 60.0);
                throw StableStepProbe.advise(e, stable, config);
            }
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
