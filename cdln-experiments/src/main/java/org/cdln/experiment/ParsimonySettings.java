package org.cdln.experiment;

import java.util.Locale;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.optim.OptimizerConfig;
import org.cdln.problem.ProblemKind;
import org.cdln.settings.InvalidSettingException;
import org.cdln.settings.Rule;
import org.cdln.settings.Schema;
import org.cdln.settings.Setting;
import org.cdln.settings.Settings;

/**
 * Validated settings of the Law-of-Parsimony comparison: the wide network and its width-2r
 * compression trained on one square recovery problem with one step size. Each setting is declared
 * once ({@link #SCHEMA}); those it shares with the matrix recovery experiments are their
 * declarations ({@link ReproduceSettings}). The reference values depend on the problem
 * ({@link #defaults(ProblemKind)}): the experiment's own, except for factorization, which runs
 * {@value #FACTORIZATION_STEPS} steps evaluated every {@value #FACTORIZATION_EVAL_EVERY} with η a
 * quarter of gradient descent's stability limit 2d²/(L·σ_1(Y)^(2−2/L)). A refused value raises an
 * {@link InvalidSettingException} naming the setting.
 *
 * @param recovery the problem and training settings of both networks (α = 1, r̂ = 2r, gradient descent)
 * @param gamma    γ, the compressed network's outer-layer rate relative to η
 */
public record ParsimonySettings(ReproduceSettings recovery, double gamma) {
    /** The declarations. */
    public static final Schema SCHEMA = new Schema("law-of-parsimony comparison", 1);

    /** The recovery problem. */
    public static final Setting<ProblemKind> PROBLEM = SCHEMA.add(Setting.ofEnum("problem", "problem",
            "The recovery problem; the other reference values are that problem's.", ProblemKind.class,
            ParsimonySettings::parseProblem, ProblemKind.FACTORIZATION));
    /** Target size d (square). */
    public static final Setting<Integer> SIZE = SCHEMA.add(Setting.ofInt("d", "d",
            "Target size d (square d×d).", Rule.atLeast(1), 100));
    /** Target rank r: the recovery experiments' declaration. */
    public static final Setting<Integer> R = SCHEMA.add(ReproduceSettings.R);
    /** Observed fraction p (completion). */
    public static final Setting<Double> P = SCHEMA.add(ReproduceSettings.P);
    /** Measurements m (sensing). */
    public static final Setting<Integer> M = SCHEMA.add(ReproduceSettings.M);
    /** Depth L of the wide network. */
    public static final Setting<Integer> DEPTH = SCHEMA.add(ReproduceSettings.DEPTH);
    /** Initialisation scale ε. */
    public static final Setting<Double> EPS = SCHEMA.add(ReproduceSettings.EPS);
    /** Step size η of both networks, or auto. */
    public static final Setting<Double> STEP_SIZE = SCHEMA.add(Setting.ofDoubleOrAuto("stepSize", "stepSize η",
            "Step size η of both networks; auto: for factorization ¼ of gradient descent's stability limit "
                    + "2d²/(L·σ_1(Y)^(2−2/L)), otherwise the problem's reference η.", Rule.positive()));
    /** Outer-layer rate γ. */
    public static final Setting<Double> GAMMA = SCHEMA.add(Setting.ofDouble("gamma", "gamma γ",
            "Outer-layer rate γ of the compressed network, relative to η.", Rule.fraction(), 0.01));
    /** Step budget. */
    public static final Setting<Long> MAX_STEPS = SCHEMA.add(ReproduceSettings.MAX_STEPS);
    /** Training-loss tolerance. */
    public static final Setting<Double> TOLERANCE = SCHEMA.add(ReproduceSettings.TOLERANCE);
    /** Seed. */
    public static final Setting<Long> SEED = SCHEMA.add(ReproduceSettings.SEED);
    /** Evaluation (and comparison) interval. */
    public static final Setting<Integer> EVAL_EVERY = SCHEMA.add(ReproduceSettings.EVAL_EVERY);

    /** Step budget of factorization here. */
    public static final long FACTORIZATION_STEPS = 20_000;
    /** Evaluation interval of factorization here. */
    public static final int FACTORIZATION_EVAL_EVERY = 20;

    public ParsimonySettings {
        GAMMA.check(gamma);
        if (2 * recovery.r() > recovery.d1()) {
            throw new InvalidSettingException(R, "r must be in [1, " + recovery.d1() / 2 + "] (2r ≤ d: the compressed "
                    + "width is 2r), got " + recovery.r());
        }
    }

    private static ProblemKind parseProblem(String text) {
        for (ProblemKind k : ProblemKind.values()) {
            if (k.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("not a problem: '" + text + "'");
    }

    /** The recovery experiment whose reference values {@code kind} uses. */
    public static Experiment experiment(ProblemKind kind) {
        return switch (kind) {
            case FACTORIZATION -> Experiment.FACTORIZATION;
            case COMPLETION -> Experiment.COMPLETION;
            case SENSING -> Experiment.SENSING;
        };
    }

    /** The reference values of {@code kind} (η auto). */
    public static Settings defaults(ProblemKind kind) {
        ReproduceSettings def = experiment(kind).defaults();
        boolean mf = kind == ProblemKind.FACTORIZATION;
        return SCHEMA.defaults().with(PROBLEM, kind).with(SIZE, def.d1()).with(R, def.r()).with(P, def.p())
                .with(M, def.m()).with(DEPTH, def.depth()).with(EPS, def.eps()).with(STEP_SIZE, Setting.AUTO)
                .with(MAX_STEPS, mf ? FACTORIZATION_STEPS : def.steps()).with(TOLERANCE, def.tol())
                .with(SEED, def.seed()).with(EVAL_EVERY, mf ? FACTORIZATION_EVAL_EVERY : def.evalEvery());
    }

    /**
     * The typed view of {@code s}; an auto η of factorization is computed from the target's largest
     * singular value (built with {@code la}).
     *
     * @throws InvalidSettingException naming the refused setting (d1 and d2 stand for d)
     */
    public static ParsimonySettings of(Settings s, LinearAlgebra la) {
        ProblemKind kind = s.get(PROBLEM);
        Experiment e = experiment(kind);
        ReproduceSettings def = e.defaults();
        int size = s.get(SIZE);
        int rank = s.get(R);
        ReproduceSettings rs = new ReproduceSettings(e, size, size, rank, s.get(P), s.get(M), s.get(DEPTH),
                s.get(EPS), s.given(STEP_SIZE).orElse(def.step()), 1.0, Math.min(2 * rank, size), s.get(MAX_STEPS),
                s.get(TOLERANCE), s.get(SEED), s.get(EVAL_EVERY), def.init(), OptimizerConfig.Kind.GD);
        ParsimonySettings ps = new ParsimonySettings(rs, s.get(GAMMA));
        if (kind == ProblemKind.FACTORIZATION && s.isAuto(STEP_SIZE)) {
            // the reference η = 1 learns only the largest singular values of a d = 100 target in 100,000 steps
            double eta = TheoremCheck.stepSize(size, rs.depth(), RecoveryExperiments.buildTarget(rs, la).s()[0]);
            rs = new ReproduceSettings(e, rs.d1(), rs.d2(), rs.r(), rs.p(), rs.m(), rs.depth(), rs.eps(), eta,
                    rs.alpha(), rs.rankHat(), rs.steps(), rs.tol(), rs.seed(), rs.evalEvery(), rs.init(),
                    rs.optimizer());
            ps = new ParsimonySettings(rs, ps.gamma());
        }
        return ps;
    }
}
