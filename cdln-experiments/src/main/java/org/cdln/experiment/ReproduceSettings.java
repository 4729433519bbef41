package org.cdln.experiment;

import org.cdln.model.Initialization;
import org.cdln.optim.OptimizerConfig;
import org.cdln.problem.ProblemKind;
import org.cdln.settings.InvalidSettingException;
import org.cdln.settings.Rule;
import org.cdln.settings.Schema;
import org.cdln.settings.Setting;
import org.cdln.settings.Settings;

/**
 * Validated settings of one matrix-recovery experiment (the paper's reproductions). Each setting is
 * declared once below ({@link #SCHEMA}: name, description, allowed values, default) and the
 * record is its typed view: the compact constructor validates every value through its
 * declaration, then the checks between settings (r and r̂ at most min(d1, d2), enough observed
 * entries, an operator that fits in memory). A refused value raises an
 * {@link InvalidSettingException} that names the setting, the allowed range and the value; front
 * ends map the setting to their own name for it. The defaults of each experiment are
 * {@link Experiment#defaults()}.
 *
 * @param experiment which experiment
 * @param d1         rows of the target
 * @param d2         columns of the target
 * @param r          target rank, 1 ≤ r ≤ min(d1, d2)
 * @param p          observed fraction for completion, in (0, 1]
 * @param m          number of measurements for sensing, ≥ 1 (0 for the other problems, where it does not apply)
 * @param depth      L ≥ 2 (the depth experiment compares 2 and 3 whatever this says)
 * @param eps        initialisation scale ε &gt; 0
 * @param step       step size η &gt; 0
 * @param alpha      discrepant rate α &gt; 0 of the compressed network
 * @param rankHat    compressed width r̂, 1 ≤ r̂ ≤ min(d1, d2) (the declared default, auto, is 2r)
 * @param steps      step budget ≥ 0
 * @param tol        training-loss tolerance ≥ 0
 * @param seed       random seed
 * @param evalEvery  evaluation interval ≥ 1
 * @param init       initialisation of the original network
 * @param optimizer  optimiser of both networks
 */
public record ReproduceSettings(Experiment experiment, int d1, int d2, int r, double p, int m, int depth, double eps,
                                double step, double alpha, int rankHat, long steps, double tol, long seed,
                                int evalEvery, Initialization init, OptimizerConfig.Kind optimizer) {

    /** The declarations, in one place; the defaults are those of matrix completion (each experiment has its own). */
    public static final Schema SCHEMA = new Schema("matrix recovery experiment", 1);

    /** Rows d1 of the target. */
    public static final Setting<Integer> D1 = SCHEMA.add(Setting.ofInt("d1", "d1",
            "Target rows d1 (rectangular targets).", Rule.atLeast(1), 100));
    /** Columns d2 of the target. */
    public static final Setting<Integer> D2 = SCHEMA.add(Setting.ofInt("d2", "d2",
            "Target columns d2 (rectangular targets).", Rule.atLeast(1), 100));
    /** Target rank r. */
    public static final Setting<Integer> R = SCHEMA.add(Setting.ofInt("r", "r",
            "Target rank r.", new Rule<>(v -> true, "in [1, min(d1, d2)]"), 5));
    /** Observed fraction p. */
    public static final Setting<Double> P = SCHEMA.add(Setting.ofDouble("p", "p",
            "Observed fraction p of completion.", Rule.fraction(), 0.3));
    /** Number of sensing measurements m. */
    public static final Setting<Integer> M = SCHEMA.add(Setting.ofInt("m", "m",
            "Number of measurements m of sensing (0 where the problem is not sensing).", Rule.atLeast(0), 0));
    /** Depth L. */
    public static final Setting<Integer> DEPTH = SCHEMA.add(Setting.ofInt("depth", "depth",
            "Network depth L.", Rule.atLeast(2), 3));
    /** Initialisation scale ε. */
    public static final Setting<Double> EPS = SCHEMA.add(Setting.ofDouble("eps", "eps ε",
            "Initialisation scale ε.", Rule.positive(), 1e-2));
    /** Step size η. */
    public static final Setting<Double> STEP_SIZE = SCHEMA.add(Setting.ofDouble("stepSize", "stepSize η",
            "Step size η.", Rule.positive(), 10.0));
    /** Discrepant rate α. */
    public static final Setting<Double> ALPHA = SCHEMA.add(Setting.ofDouble("alpha", "alpha α",
            "Discrepant rate α of the compressed network's outer layers.", Rule.positive(), 5.0));
    /** Compressed width r̂. */
    public static final Setting<Integer> RANK_HAT = SCHEMA.add(Setting.ofIntOrAuto("rankHat", "rankHat r̂",
            "Compressed width r̂; auto: 2r.", new Rule<>(v -> true, "in [1, min(d1, d2)]")));
    /** Step budget. */
    public static final Setting<Long> MAX_STEPS = SCHEMA.add(Setting.ofLong("maxSteps", "maxSteps",
            "Step budget.", Rule.atLeast(0), 25_000));
    /** Training-loss tolerance. */
    public static final Setting<Double> TOLERANCE = SCHEMA.add(Setting.ofDouble("tolerance", "tolerance",
            "Stop when the training loss is below this.", Rule.nonNegative(), 1e-12));
    /** Seed. */
    public static final Setting<Long> SEED = SCHEMA.add(Setting.ofLong("seed", "seed",
            "Random seed.", Rule.any("a whole number"), 0));
    /** Evaluation interval. */
    public static final Setting<Integer> EVAL_EVERY = SCHEMA.add(Setting.ofInt("evalEvery", "evalEvery",
            "Evaluate every this many steps.", Rule.atLeast(1), 50));
    /** Initialisation of the original network. */
    public static final Setting<Initialization> INIT = SCHEMA.add(Setting.ofEnum("init", "init",
            "Initialisation of the original network.", Initialization.class, Initialization::parse,
            Initialization.ORTH));
    /** Optimiser. */
    public static final Setting<OptimizerConfig.Kind> OPTIMIZER = SCHEMA.add(Setting.ofEnum("optimizer", "optimizer",
            "Optimiser of both networks.", OptimizerConfig.Kind.class, OptimizerConfig.Kind::parse,
            OptimizerConfig.Kind.GD));

    public ReproduceSettings {
        D1.check(d1);
        D2.check(d2);
        int d = Math.min(d1, d2);
        if (r < 1 || r > d) {
            throw new InvalidSettingException(R, "r must be in [1, " + d + "] (at most min(d1, d2)), got " + r);
        }
        P.check(p);
        M.check(m);
        if (experiment.problemKind() == ProblemKind.SENSING && m < 1) {
            throw new InvalidSettingException(M, "m must be ≥ 1 for sensing, got " + m);
        }
        DEPTH.check(depth);
        EPS.check(eps);
        STEP_SIZE.check(step);
        ALPHA.check(alpha);
        if (rankHat < 1 || rankHat > d) {
            throw new InvalidSettingException(RANK_HAT, "rankHat r̂ must be in [1, " + d + "] (at most min(d1, d2)), "
                    + "got " + rankHat);
        }
        MAX_STEPS.check(steps);
        TOLERANCE.check(tol);
        EVAL_EVERY.check(evalEvery);
        INIT.check(init);
        OPTIMIZER.check(optimizer);
        if (experiment.problemKind() == ProblemKind.COMPLETION && Math.floor(p * d1 * (double) d2) < 1) {
            throw new InvalidSettingException(P, "p " + p + " observes no entry of a " + d1 + "×" + d2
                    + " matrix; raise p to at least " + (1.0 / ((double) d1 * d2)));
        }
        if (experiment.problemKind() == ProblemKind.SENSING && (long) d1 * d2 * m > org.cdln.linalg.Matrix.MAX_ENTRIES) {
            throw new InvalidSettingException(M, "m must be in [1, "
                    + (org.cdln.linalg.Matrix.MAX_ENTRIES / ((long) d1 * d2)) + "] for a " + d1 + "×" + d2
                    + " matrix, got " + m + ": " + ((long) d1 * d2 * m) + " operator entries exceed the "
                    + org.cdln.linalg.Matrix.MAX_ENTRIES + " one array holds; lower m or d1, d2");
        }
    }

    /**
     * The settings of {@code experiment} given as declared values (auto r̂ is 2r).
     *
     * @throws InvalidSettingException naming the setting whose value is refused
     */
    public static ReproduceSettings of(Experiment experiment, Settings s) {
        int r = s.get(R);
        return new ReproduceSettings(experiment, s.get(D1), s.get(D2), r, s.get(P), s.get(M), s.get(DEPTH), s.get(EPS),
                s.get(STEP_SIZE), s.get(ALPHA), s.given(RANK_HAT).orElse(2 * r), s.get(MAX_STEPS), s.get(TOLERANCE),
                s.get(SEED), s.get(EVAL_EVERY), s.get(INIT), s.get(OPTIMIZER));
    }

    /** These values as declared settings (r̂ as given, never auto). */
    public Settings settings() {
        return SCHEMA.defaults().with(D1, d1).with(D2, d2).with(R, r).with(P, p).with(M, m).with(DEPTH, depth)
                .with(EPS, eps).with(STEP_SIZE, step).with(ALPHA, alpha).with(RANK_HAT, rankHat).with(MAX_STEPS, steps)
                .with(TOLERANCE, tol).with(SEED, seed).with(EVAL_EVERY, evalEvery).with(INIT, init)
                .with(OPTIMIZER, optimizer);
    }

    /** A square problem size: true when d1 = d2. */
    public boolean square() {
        return d1 == d2;
    }
}
