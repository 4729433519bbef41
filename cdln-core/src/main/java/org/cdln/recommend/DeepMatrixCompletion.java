package org.cdln.recommend;

import java.time.Instant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cdln.Version;
import org.cdln.compress.SpectralInit;
import org.cdln.data.Ratings;
import org.cdln.data.Splits;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.cdln.linalg.SparseMatrix;
import org.cdln.linalg.Svd;
import org.cdln.linalg.TruncatedSvd;
import org.cdln.model.DeepLinearNetwork;
import org.cdln.model.Initialization;
import org.cdln.optim.LayerRates;
import org.cdln.optim.LearningRateSchedule;
import org.cdln.optim.OptimizerConfig;
import org.cdln.problem.CompletionProblem;
import org.cdln.settings.Rule;
import org.cdln.settings.Schema;
import org.cdln.settings.Setting;
import org.cdln.settings.Settings;
import org.cdln.train.DivergenceException;
import org.cdln.train.EarlyStopping;
import org.cdln.train.TimeLimit;
import org.cdln.train.TrainResult;
import org.cdln.train.Trainer;
import org.cdln.train.TrainerConfig;
import org.cdln.train.TrainingListener;

/**
 * Deep matrix completion of ratings: the estimator that fits a deep linear network to the
 * observed ratings and returns an immutable {@link CompletionModel}.
 *
 * <pre>{@code
 * CompletionModel m = DeepMatrixCompletion.builder()
 *         .rankHat(8)               // or .autoRankHat() (RankSelection)
 *         .stepSize(..).alpha(..)   // defaults: DEFAULTS
 *         .build()
 *         .fit(ratings);            // a validation split is carved out for early stopping
 * m.predict("196", "242"); m.recommend("196", 10, true); m.save(Path.of("model.cdln"));
 * }</pre>
 *
 * <p>What a fit does, in order:
 * <ol>
 *   <li>Validation: the ratings given to {@link #fit(Ratings, Ratings)}, else a seeded random
 *       {@code validationFraction} of the training ratings (0 disables validation).</li>
 *   <li>Centering ({@link Centering}): the baseline b(u, i) = μ + b_u + b_i is fitted and the
 *       network is trained on the residuals R = r − b of the observed ratings.</li>
 *   <li>The problem: {@link CompletionProblem#of} with R on Ω and the validation residuals held
 *       out; loss (1/(2|Ω|))·Σ_Ω (P − R)². Its evaluator works on the observed entries only, so
 *       the d1×d2 product is never formed.</li>
 *   <li>The network: the C-DLN (docs/method.md §3: {@link SpectralInit} of width r̂ from the surrogate
 *       (1/p)·P_Ω(R), discrepant rate α on W1 and WL), or the original wide network
 *       ({@link Network#ORIGINAL}: every inner width {@code width}, default min(d1, d2), orthogonal
 *       init at scale ε).</li>
 *   <li>Full-batch training ({@link Trainer}) with the given optimiser; every {@code evalEvery}
 *       steps the validation RMSE of the clipped rating predictions is measured; training stops
 *       after {@code patience} evaluations without improvement, at the training-loss tolerance,
 *       the step budget or the time limit.</li>
 *   <li>The model keeps the factors at the best validation RMSE (the last ones without
 *       validation) and clips predictions to the range of the training ratings.</li>
 * </ol>
 * Cost per step: C-DLN O(|Ω|·r̂ + (d1 + d2)·r̂²); original O(d·w² + |Ω|·w) with w the width.
 */
public final class DeepMatrixCompletion implements RatingsEstimator {
    /** Which network is trained. */
    public enum Network {
        /** The compressed network (C-DLN) of width r̂ with spectral initialisation. */
        COMPRESSED,
        /** The original wide network, orthogonal initialisation at scale ε. */
        ORIGINAL;

        /** Parses "compressed" or "original" (case-insensitive). */
        public static Network parse(String s) {
            for (Network n : values()) {
                if (n.name().equalsIgnoreCase(s.trim())) {
                    return n;
                }
            }
            throw new IllegalArgumentException("unknown network '" + s + "'; use compressed or original");
        }
    }

    /**
     * The declarations of every setting, in one place: name, label, description, allowed values,
     * default, and "auto" where the estimator can choose. Front ends (the CLI's {@code complete}
     * options and help, the Spark estimator's Params) enumerate {@code SCHEMA.settings()}; the
     * model file records the values with {@code SCHEMA.version()}.
     */
    public static final Schema SCHEMA = new Schema("deep matrix completion", 1);

    /** Compressed (C-DLN) or original wide network. */
    public static final Setting<Network> NETWORK = SCHEMA.add(Setting.ofEnum("network", "network",
            "compressed: the C-DLN of width r̂ with spectral initialisation; original: the wide network, orthogonal "
                    + "initialisation at scale ε.", Network.class, Network::parse, Network.COMPRESSED));
    /** Depth L. */
    public static final Setting<Integer> DEPTH = SCHEMA.add(Setting.ofInt("depth", "depth",
            "Number of layers L of the network.", Rule.atLeast(2), 3));
    /** Width r̂ of the compressed network. */
    public static final Setting<Integer> RANK_HAT = SCHEMA.add(Setting.ofIntOrAuto("rankHat", "rank-hat r̂",
            "Width r̂ of the compressed network; auto: parallel analysis of the surrogate's spectrum "
                    + "(RankSelection), then doubling r̂ while the validation RMSE improves.", Rule.atLeast(1)));
    /** Inner width of the original network. */
    public static final Setting<Integer> WIDTH = SCHEMA.add(Setting.ofIntOrAuto("width", "width",
            "Inner width of the original network; auto: min(users, items).", Rule.atLeast(1)));
    /** Initialisation scale ε. */
    public static final Setting<Double> EPS = SCHEMA.add(Setting.ofDoubleOrAuto("eps", "eps ε",
            "Initialisation scale ε; auto: (0.001·σ1)^(1/L), so that P(0) starts 1000× below the surrogate's top "
                    + "singular value σ1 (≈ 0.9 on MovieLens-100K).", Rule.positive()));
    /** Step size η. */
    public static final Setting<Double> STEP_SIZE = SCHEMA.add(Setting.ofDoubleOrAuto("stepSize", "step size η",
            "Step size η (the loss is normalised by |Ω|); auto: 0.25·|Ω|/(L·μ·ŝ^(2−2/L)) from the surrogate's top "
                    + "singular pair (u, v) measured on the ratings: ŝ = |Σ u·v·r|/Σ u²v², μ the largest row or column "
                    + "sum of v² or u² over the rated entries (under uniform sampling ≈ 0.25·users·items/(L·σ1^(2−2/L))); an "
                    + "automatic η whose training diverges is halved and the fit restarted, at most 4 times.", Rule.positive()));
    /** Discrepant rate α. */
    public static final Setting<Double> ALPHA = SCHEMA.add(Setting.ofDouble("alpha", "alpha α",
            "Discrepant rate α: W1 and WL step with α·η (1: uniform).", Rule.positive(), 4.0));
    /** The optimiser. */
    public static final Setting<OptimizerConfig.Kind> OPTIMIZER = SCHEMA.add(Setting.ofEnum("optimizer", "optimizer",
            "The optimiser.", OptimizerConfig.Kind.class, OptimizerConfig.Kind::parse, OptimizerConfig.Kind.GD));
    /** Learning-rate schedule over the step budget. */
    public static final Setting<LearningRateSchedule> SCHEDULE = SCHEMA.add(Setting.ofEnum("schedule", "schedule",
            "Learning-rate schedule over the step budget: constant, or cosine from η down to 0.",
            LearningRateSchedule.class, LearningRateSchedule::parse, LearningRateSchedule.CONSTANT));
    /** Training-loss tolerance. */
    public static final Setting<Double> TOLERANCE = SCHEMA.add(Setting.ofDouble("tolerance", "tolerance",
            "Stop when the training loss is below this (0: never).", Rule.nonNegative(), 0.0));
    /** Step budget. */
    public static final Setting<Long> MAX_STEPS = SCHEMA.add(Setting.ofLong("maxSteps", "steps",
            "Step budget.", Rule.atLeast(1), 5_000));
    /** Evaluation interval. */
    public static final Setting<Integer> EVAL_EVERY = SCHEMA.add(Setting.ofInt("evalEvery", "evalEvery",
            "Steps between validation evaluations.", Rule.atLeast(1), 2));
    /** Validation share. */
    public static final Setting<Double> VALIDATION_FRACTION = SCHEMA.add(Setting.ofDouble("validationFraction",
            "validation fraction", "Share of the ratings held out for validation by fit(ratings) (0: none, no early "
                    + "stopping).", new Rule<>(v -> v >= 0.0 && v <= 0.5, "in [0, 0.5]"), 0.05));
    /** Early-stopping patience. */
    public static final Setting<Integer> PATIENCE = SCHEMA.add(Setting.ofInt("patience", "patience",
            "Evaluations without validation improvement before stopping, and never before twice the best step "
                    + "(0: never stop early).", Rule.atLeast(0), 10));
    /** What is subtracted before fitting. */
    public static final Setting<Centering> CENTERING = SCHEMA.add(Setting.ofEnum("centering", "centering",
            "What is subtracted from the ratings before fitting.", Centering.class, Centering::parse,
            Centering.BIASES));
    /** Bias damping λ_b. */
    public static final Setting<Double> BIAS_DAMPING = SCHEMA.add(Setting.ofDouble("biasDamping", "bias damping",
            "Damping λ_b of the user/item biases.", Rule.nonNegative(), 5.0));
    /** Clipping of predictions. */
    public static final Setting<Boolean> CLIP = SCHEMA.add(Setting.ofBoolean("clip", "clip",
            "Clip predictions to the range of the training ratings.", true));
    /** Seed. */
    public static final Setting<Long> SEED = SCHEMA.add(Setting.ofLong("seed", "seed",
            "Seed of the validation split, the spectral SVD and the original network's initialisation.",
            Rule.any("a whole number"), 0));
    /** Training-time limit. */
    public static final Setting<Double> TIME_LIMIT_SECONDS = SCHEMA.add(Setting.ofDouble("timeLimitSeconds",
            "time limit", "Training-time limit in seconds (Infinity: none).",
            new Rule<>(v -> v > 0.0, "a number of seconds > 0"), Double.POSITIVE_INFINITY));

    /**
     * The defaults, chosen on MovieLens-100K (README, "Recommendations on real ratings"), derived
     * from the declarations above: depth 3, automatic r̂ (validation sweep), automatic ε
     * ({@link #autoEps}: ≈ 0.9 there) and η ({@link #autoStepSize(long, int, double[])}: ≈ 23 there), α = 4, GD,
     * 5 000 steps at most, evaluation every 2 steps, patience 10 evaluations, validation 5 %, bias
     * centering with λ_b = 5, clipping on.
     */
    public static final Settings DEFAULTS = SCHEMA.defaults();

    private final Settings settings;
    private final List<TrainingListener> listeners;
    private final LinearAlgebra la;
    private final Path checkpointDir;
    private final boolean resume;
    private final double checkpointSeconds;

    private DeepMatrixCompletion(Settings settings, List<TrainingListener> listeners, LinearAlgebra la,
                                 Path checkpointDir, boolean resume, double checkpointSeconds) {
        this.settings = settings;
        this.listeners = List.copyOf(listeners);
        this.la = la;
        this.checkpointDir = checkpointDir;
        this.resume = resume;
        this.checkpointSeconds = checkpointSeconds;
    }

    /** A builder starting from {@link #DEFAULTS}. */
    public static Builder builder() {
        return new Builder(DEFAULTS);
    }

    /** A builder starting from the given settings. */
    public static Builder builder(Settings from) {
        return new Builder(from);
    }

    /** The settings. */
    public Settings settings() {
        return settings;
    }

    @Override
    public double validationFraction() {
        return settings.get(VALIDATION_FRACTION);
    }

    @Override
    public long seed() {
        return settings.get(SEED);
    }

    /**
     * Fits on {@code train}, measuring and early-stopping on {@code validation} (same id mappings,
     * e.g. the two halves of a {@link Splits.Split}; may be empty). The model's seen items, which
     * {@link CompletionModel#recommend} leaves out, are those of {@code train}.
     *
     * @throws IllegalArgumentException when the two sets do not share mappings or r̂ does not fit
     * @throws org.cdln.train.DivergenceException when training diverges with a given η, or with the automatic η
     *         after {@link #AUTO_STEP_MAX_HALVINGS} halvings (its message names η and α)
     */
    @Override
    public CompletionModel fit(Ratings train, Ratings validation) {
        RatingsEstimator.requireSharedMappings(train, validation);
        if (train.size() == 0) {
            throw new IllegalArgumentException("no training ratings");
        }
        Settings s = settings;
        int d1 = train.numUsers();
        int d2 = train.numItems();
        int dMin = Math.min(d1, d2);
        long t0 = System.nanoTime();
        RatingBaseline baseline = RatingBaseline.fit(train, s.get(CENTERING), s.get(BIAS_DAMPING));
        SparseMatrix observed = train.toSparse(baseline.residuals(train));
        // the held-out metric is asked for in one place: the validation monitor scores the rating predictions,
        // so the problem carries no held-out entries and its oracle computes no second, unclipped error
        SparseMatrix noHeldOut = SparseMatrix.fromCoordinates(d1, d2, new int[0], new int[0], new double[0]);
        CompletionProblem problem = CompletionProblem.of(observed, noHeldOut, d1 + "×" + d2 + " ratings of "
                + train.source() + " (" + train.size() + " observed, " + validation.size() + " validation), centering "
                + s.get(CENTERING).name().toLowerCase());
        double setup = (System.nanoTime() - t0) * 1e-9;
        if (s.get(NETWORK) == Network.ORIGINAL) {
            int width = s.given(WIDTH).orElse(dMin);
            return fitOnce(train, validation, baseline, problem, null, width, "given", setup);
        }
        if (!s.isAuto(RANK_HAT) && s.get(RANK_HAT) > dMin) {
            throw new IllegalArgumentException("rank-hat r̂ = " + s.get(RANK_HAT) + " exceeds min(users, items) = " + dMin
                    + "; choose r̂ in [1, " + dMin + "]");
        }
        // the surrogate's leading singular triplets, computed once for the spectral init of every candidate
        long t1 = System.nanoTime();
        int cap = Math.min(dMin, SWEEP_MAX_RANK_HAT);
        Svd spectrum = TruncatedSvd.of(problem.surrogate(), s.given(RANK_HAT).orElse(cap), la, new Rng(s.get(SEED)));
        if (!s.isAuto(RANK_HAT)) {
            setup += (System.nanoTime() - t1) * 1e-9;
            return fitOnce(train, validation, baseline, problem, spectrum, s.get(RANK_HAT), "given", setup);
        }
        RankSelection.Result pa = RankSelection.parallelAnalysis(observed, spectrum.s(), s.get(SEED), la);
        setup += (System.nanoTime() - t1) * 1e-9;
        if (validation.size() == 0) {
            return fitOnce(train, validation, baseline, problem, spectrum, pa.rankHat(), pa.describe(), setup);
        }
        // validation sweep: r̂ = r̂_PA, 2·r̂_PA, 4·r̂_PA, … while the best validation RMSE improves by ≥ SWEEP_GAIN
        StringBuilder rule = new StringBuilder("validation sweep from ").append(pa.describe()).append(":");
        CompletionModel best = null;
        int r = Math.min(pa.rankHat(), cap);
        for (int tries = 0; tries < SWEEP_MAX_FITS; tries++) {
            CompletionModel m = fitOnce(train, validation, baseline, problem, spectrum, r, "", setup);
            double rmse = Double.parseDouble(m.settings().get("best_validation_rmse"));
            rule.append(" r̂=").append(r).append(" → ").append(String.format(Locale.ROOT, "%.4f", rmse)).append(';');
            boolean better = best == null
                    || rmse < Double.parseDouble(best.settings().get("best_validation_rmse")) * (1 - SWEEP_GAIN);
            if (better) {
                best = m;
            }
            if (!better || r >= cap) {
                break;
            }
            r = Math.min(2 * r, cap);
        }
        rule.append(" chose r̂=").append(best.rank());
        Map<String, String> meta = new LinkedHashMap<>(best.settings());
        meta.put("rank_hat_rule", rule.toString());
        return best.withSettings(meta);
    }

    /**
     * The sweep of {@link Builder#autoRankHat()} stops when doubling r̂ gains less than this
     * relative validation RMSE (0.25 %: about the noise of a 5 000-rating validation set).
     */
    public static final double SWEEP_GAIN = 2.5e-3;
    /** The largest r̂ the sweep tries. */
    public static final int SWEEP_MAX_RANK_HAT = 128;
    /** The most fits the sweep makes. */
    public static final int SWEEP_MAX_FITS = 6;

    /**
     * One fit of width r̂ (compressed, from the surrogate's leading triplets {@code spectrum}) or
     * of the original network of inner width {@code rankHat} (spectrum null).
     */
    private CompletionModel fitOnce(Ratings train, Ratings validation, RatingBaseline baseline,
                                    CompletionProblem problem, Svd spectrum, int rankHat, String rankRule,
                                    double setupSeconds) {
        Settings s = settings;
        double eta = s.given(STEP_SIZE).orElse(Double.NaN);
        double eps = s.given(EPS).orElse(Double.NaN);
        String stepRule = "given";
        String epsRule = "given";
        int depth = s.get(DEPTH);
        long seed = s.get(SEED);
        if (s.isAuto(STEP_SIZE) || s.isAuto(EPS)) {
            long ts = System.nanoTime();
            Svd top = spectrum != null ? spectrum
                    : TruncatedSvd.randomized(problem.surrogate(), 1, 10, 8, la, new Rng(seed));
            double sigma1 = top.s()[0];
            if (s.isAuto(STEP_SIZE)) {
                double[] sums = topPairOnOmega(problem.observed(), top);
                eta = autoStepSize(problem.observed().nonZeros(), depth, sums);
                stepRule = describeStepRule(problem.observed().nonZeros(), sums, sigma1);
            }
            setupSeconds += (System.nanoTime() - ts) * 1e-9;
            if (s.isAuto(EPS)) {
                eps = autoEps(depth, sigma1);
                epsRule = String.format(Locale.ROOT, "auto: (%s·σ1)^(1/L) with σ1 = %.4g", g(AUTO_EPS_RATIO), sigma1);
            }
        }
        int d1 = train.numUsers();
        int d2 = train.numItems();
        int[] widths = new int[depth + 1];
        java.util.Arrays.fill(widths, rankHat);
        widths[0] = d2;
        widths[depth] = d1;
        org.cdln.linalg.MemoryCheck.require("a depth-" + depth + " network of width " + rankHat + " on " + d1 + "×" + d2
                + " ratings", org.cdln.linalg.MemoryCheck.trainingBytes(org.cdln.linalg.MemoryCheck.networkDoubles(widths),
                        depth, s.get(OPTIMIZER) == OptimizerConfig.Kind.ADAM ? 2 : 1),
                "a smaller depth or rank-hat");
        long t0 = System.nanoTime();
        DeepLinearNetwork net;
        ModelKind kind;
        if (s.get(NETWORK) == Network.COMPRESSED) {
            net = new SpectralInit(rankHat, depth, eps).fromSingularVectors(spectrum.u().columns(0, rankHat),
                    spectrum.vt().rowRange(0, rankHat), la);
            kind = ModelKind.CDLN;
        } else {
            net = DeepLinearNetwork.wide(d1, d2, rankHat, depth, Initialization.ORTH, eps, new Rng(seed), la)
                    .withOrigin("orth init, eps=" + eps + ", width=" + rankHat + ", depth=" + depth + ", seed=" + seed);
            kind = ModelKind.DLN;
        }
        setupSeconds += (System.nanoTime() - t0) * 1e-9;
        double lo = s.get(CLIP) ? train.minRating() : Double.NaN;
        double hi = s.get(CLIP) ? train.maxRating() : Double.NaN;
        // an automatic η that diverges is halved and the fit restarted from the same initialisation
        StepHalving step = new StepHalving(s.isAuto(STEP_SIZE), eta);
        ValidationMonitor monitor;
        TrainResult result;
        while (true) {
            monitor = new ValidationMonitor(validation, baseline, lo, hi, MIN_IMPROVEMENT, la);
            try {
                result = train(train, validation, problem, net, kind, rankHat, step.eta(), step.halvings(), monitor);
                break;
            } catch (DivergenceException e) {
                step.afterDivergence(e, kind.label() + " r̂ = " + rankHat);
            }
        }
        eta = step.eta();
        Matrix[] f = monitor.chosen();
        int[][] seen = CompletionModel.seenIndex(train);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("model", kind.label());
        // every declared setting, typed, the automatic ones with the value they took; then how those were chosen
        Settings used = s.with(EPS, eps).with(STEP_SIZE, eta)
                .with(s.get(NETWORK) == Network.COMPRESSED ? RANK_HAT : WIDTH, rankHat);
        meta.put("rank_hat_rule", rankRule);
        meta.put("eps_rule", epsRule);
        meta.put("step_size_rule", step.describe(stepRule));
        if (step.automatic()) {
            meta.put("step_size_halvings", String.valueOf(step.halvings()));
        }
        meta.put("clip_range", s.get(CLIP) ? g(lo) + ".." + g(hi) : "off");
        meta.putAll(provenance(train, validation, la));
        meta.put("parameters", String.valueOf(result.parameters()));
        meta.put("steps", String.valueOf(result.steps()));
        meta.put("training_seconds", g(result.seconds()));
        meta.put("setup_seconds", g(setupSeconds));
        meta.put("stop_reason", result.stopReason().name().toLowerCase());
        meta.put("stop_message", result.stopMessage() == null ? "" : result.stopMessage());
        meta.put("best_step", String.valueOf(monitor.bestStep()));
        meta.put("best_validation_rmse", g(monitor.bestRmse()));
        return new CompletionModel(kind, train.users(), train.items(), baseline, f[0], f[1], lo, hi, seen[0], seen[1],
                new ModelSettings(used, meta), monitor.points());
    }

    /**
     * One training run of {@code net} with step size {@code eta}; the validation monitor, early
     * stopping, time limit and the caller's listeners are attached, and with checkpoints one file
     * per fit (and per halving of an automatic η, so that a resumed fit replays the same halvings).
     */
    private TrainResult train(Ratings train, Ratings validation, CompletionProblem problem, DeepLinearNetwork net,
                              ModelKind kind, int rankHat, double eta, int halvings, ValidationMonitor monitor) {
        Settings s = settings;
        int depth = s.get(DEPTH);
        TrainerConfig config = new TrainerConfig(s.get(MAX_STEPS), s.get(TOLERANCE), s.get(EVAL_EVERY),
                OptimizerConfig.of(s.get(OPTIMIZER), eta), LayerRates.discrepant(depth, s.get(ALPHA)),
                TrainerConfig.DEFAULT_DIVERGENCE_FACTOR, s.get(SCHEDULE));
        Trainer trainer = new Trainer(config, la).addListener(monitor);
        if (s.get(PATIENCE) > 0 && validation.size() > 0) {
            trainer.addListener(new EarlyStopping(s.get(PATIENCE), MIN_IMPROVEMENT, p -> monitor.lastRmse(),
                    "validation RMSE", true));
        }
        if (Double.isFinite(s.get(TIME_LIMIT_SECONDS))) {
            trainer.addListener(new TimeLimit(s.get(TIME_LIMIT_SECONDS)));
        }
        for (TrainingListener l : listeners) {
            trainer.addListener(l);
        }
        if (checkpointDir == null) {
            return trainer.fit(kind.label(), net, problem);
        }
        // one file per fit: the estimator's settings, the candidate r̂ and the data identify it
        // the declared settings' values (but the budgets, so that a finished fit can be continued)
        StringBuilder canon = new StringBuilder();
        for (Map.Entry<String, String> e : s.asText().entrySet()) {
            if (!e.getKey().equals(MAX_STEPS.name()) && !e.getKey().equals(TIME_LIMIT_SECONDS.name())) {
                canon.append(e.getKey()).append('=').append(e.getValue()).append(';');
            }
        }
        String id = org.cdln.io.SettingsDigest.digest(canon + "|r=" + rankHat + "|" + train.source() + "|"
                + train.size() + "|" + train.numUsers() + "x" + train.numItems() + "|" + validation.size() + "|"
                + problem.description() + (halvings == 0 ? "" : "|halvings=" + halvings));
        Path file = checkpointDir.resolve(kind.label() + "-r" + rankHat + "-" + id + ".ckpt");
        trainer.addListener(new org.cdln.train.CheckpointListener(file, checkpointSeconds));
        if (resume && java.nio.file.Files.exists(file)) {
            return trainer.resume(org.cdln.train.Checkpoint.load(file), problem);
        }
        return trainer.fit(kind.label(), net, problem);
    }

    /**
     * The most times an automatic step size is halved after the training loss diverged (the
     * existing guard: not finite, or over 10⁶ × the first loss) before the fit fails: 4, i.e. down
     * to 1/16 of the rule's η.
     */
    public static final int AUTO_STEP_MAX_HALVINGS = 4;

    /**
     * A factor on the automatic step size, 1 but in tests that make the rule diverge on purpose
     * (set by reflection from the Spark module's tests too).
     */
    static volatile double autoStepFactor = 1.0;

    /** The relative gain of validation RMSE that counts as an improvement (model selection and early stopping). */
    static final double MIN_IMPROVEMENT = 1e-4;

    /** The share of the stability scale that {@link #autoStepSize} takes. */
    public static final double AUTO_STEP_FRACTION = 0.25;

    /**
     * The uniform-sampling step size η = {@value #AUTO_STEP_FRACTION}·d1·d2/(L·σ1^(2−2/L)), σ1 the
     * top singular value of the surrogate (1/p)·P_Ω(R) (the automatic rule until cdln 0.1; the fit
     * now uses {@link #autoStepSize(long, int, double[])}, which equals it when every entry is
     * observed and follows the curvature under skewed sampling). Why: the completion loss normalised by |Ω|
     * behaves like (1/(2·d1·d2))·‖P − Y‖_F², whose Hessian at a balanced depth-L factorisation of
     * a matrix with top singular value σ1 has largest eigenvalue about L·σ1^(2−2/L)/(d1·d2), so GD
     * is stable below twice its inverse; a quarter of that inverse leaves room for the discrepant
     * rate α and keeps the validation minimum resolved by the evaluations. On MovieLens-100K (u1)
     * it gives η ≈ 20 (the curvature rule: 22.9). Cost O(1).
     */
    public static double autoStepSize(int d1, int d2, int depth, double sigma1) {
        if (!(sigma1 > 0) || !Double.isFinite(sigma1)) {
            throw new IllegalArgumentException("the surrogate's top singular value is " + sigma1
                    + ": the residuals are all zero or not finite; give a step size (η) explicitly");
        }
        return AUTO_STEP_FRACTION * d1 * (double) d2 / (depth * Math.pow(sigma1, 2.0 - 2.0 / depth));
    }

    /**
     * The automatic step size from the surrogate's top singular pair (u, v) measured on the
     * observed entries Ω of the residuals R: η = {@value #AUTO_STEP_FRACTION}·|Ω|/(L·μ·ŝ^(2−2/L)),
     * with ŝ = |Σ_Ω u_i·v_j·r_ij| / Σ_Ω u_i²·v_j² the scale of the direction u·vᵀ fitted on Ω and
     * μ = max(max_i Σ_(j∈Ω_i) v_j², max_j Σ_(i∈Ω_j) u_i²) its largest sampled row or column mass.
     * Why: in the loss (1/(2|Ω|))·Σ_Ω (P − R)² the block of the Hessian of one user's row of the
     * outer factor is (1/|Ω|)·Σ_(j∈Ω_i) b_j·b_jᵀ (b_j the item's column of the other layers'
     * product), and likewise for an item's column; at a balanced depth-L factorisation of scale ŝ
     * along u·vᵀ the largest of these, summed over the L layers, is about L·ŝ^(2−2/L)·μ/|Ω|.
     * Under uniform sampling μ ≈ p = |Ω|/(d1·d2) and ŝ ≈ σ1, the uniform rule
     * {@link #autoStepSize(int, int, int, double)}; under skewed sampling (a few users or items
     * with most of the ratings) the surrogate (1/p)·P_Ω(R) multiplies their nearly complete rows
     * and columns by 1/p, so its σ1 overstates the scale the loss sees, and this rule follows the
     * curvature instead. Cost O(1) (the sums: {@link #topPairOnOmega}, O(|Ω| + d1 + d2)).
     *
     * @param observed |Ω|
     * @param sums     {@link #topPairOnOmega}'s {m, f, largest row mass, largest column mass}
     */
    public static double autoStepSize(long observed, int depth, double[] sums) {
        double scale = Math.abs(sums[1]) / sums[0];
        double mu = Math.max(sums[2], sums[3]);
        if (!(sums[0] > 0) || !(scale > 0) || !Double.isFinite(scale) || !(mu > 0)) {
            throw new IllegalArgumentException("the surrogate's top singular direction has mass " + sums[0]
                    + " and fit " + sums[1] + " on the observed entries: the residuals are all zero or not finite; give "
                    + "a step size (η) explicitly");
        }
        return autoStepFactor * AUTO_STEP_FRACTION * observed / (depth * mu * Math.pow(scale, 2.0 - 2.0 / depth));
    }

    /** How {@link #autoStepSize(long, int, double[])} chose η, for the provenance. */
    public static String describeStepRule(long observed, double[] sums, double sigma1) {
        return String.format(Locale.ROOT, "auto: %s·|Ω|/(L·μ·ŝ^(2−2/L)) with ŝ = %.4g, μ = max(row %.4g, column "
                + "%.4g) (surrogate σ1 = %.4g, p = %.4g, Σ_Ω u²v² = %.4g)", g(AUTO_STEP_FRACTION),
                Math.abs(sums[1]) / sums[0], sums[2], sums[3], sigma1, observed / (double) sums[4], sums[0]);
    }

    /**
     * The sums that {@link #autoStepSize(long, int, double[])} reads, of the top singular pair
     * (u = the first column of {@code top.u()}, v = the first row of {@code top.vt()}) over the
     * entries r_ij of {@code observed}: {Σ_Ω u_i²·v_j², Σ_Ω u_i·v_j·r_ij, max_i Σ_(j∈Ω_i) v_j²,
     * max_j Σ_(i∈Ω_j) u_i², d1·d2}. Cost O(|Ω| + d1 + d2).
     */
    public static double[] topPairOnOmega(SparseMatrix observed, Svd top) {
        int[] ptr = observed.rowPointers();
        int[] col = observed.columnIndices();
        double[] val = observed.values();
        Matrix u = top.u();
        Matrix vt = top.vt();
        double mass = 0.0;
        double fit = 0.0;
        double rowMax = 0.0;
        double[] colMass = new double[observed.cols()];
        for (int i = 0; i < observed.rows(); i++) {
            double ui = u.get(i, 0);
            double ui2 = ui * ui;
            double row = 0.0;
            for (int e = ptr[i]; e < ptr[i + 1]; e++) {
                double vj = vt.get(0, col[e]);
                row += vj * vj;
                colMass[col[e]] += ui2;
                fit += ui * vj * val[e];
            }
            mass += ui2 * row;
            rowMax = Math.max(rowMax, row);
        }
        double colMax = 0.0;
        for (double c : colMass) {
            colMax = Math.max(colMax, c);
        }
        return new double[] {mass, fit, rowMax, colMax, observed.rows() * (double) observed.cols()};
    }

    /** The ratio ε^L/σ1 that {@link #autoEps} sets. */
    public static final double AUTO_EPS_RATIO = 1e-3;

    /**
     * The automatic initialisation scale ε = ({@value #AUTO_EPS_RATIO}·σ1)^(1/L): the start P(0),
     * whose singular values are ε^L (ε^L·U_r̂V_r̂ᵀ for the C-DLN, an ε^L-scaled product of
     * orthogonal layers for the original), lies three orders of magnitude below the surrogate's
     * top singular value σ1, the "small initialisation" of the paper at the data's own scale.
     * On MovieLens-100K (σ1 ≈ 740) it gives ε ≈ 0.9. Cost O(1).
     */
    public static double autoEps(int depth, double sigma1) {
        if (!(sigma1 > 0) || !Double.isFinite(sigma1)) {
            throw new IllegalArgumentException("the surrogate's top singular value is " + sigma1
                    + ": the residuals are all zero or not finite; give ε explicitly");
        }
        return Math.pow(AUTO_EPS_RATIO * sigma1, 1.0 / depth);
    }

    /** Data, backend and version fields shared by every estimator's model. */
    static Map<String, String> provenance(Ratings train, Ratings validation, LinearAlgebra la) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("training_data", train.source());
        m.put("training_ratings", String.valueOf(train.size()));
        m.put("validation_ratings", String.valueOf(validation.size()));
        m.put("users", String.valueOf(train.numUsers()));
        m.put("items", String.valueOf(train.numItems()));
        m.put("backend", la.description());
        m.put("threads", String.valueOf(la.threads()));
        m.put("cdln_version", Version.get());
        m.put("java", System.getProperty("java.version"));
        m.put("created_at", Instant.now().toString());
        return m;
    }

    static String g(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        return String.format(Locale.ROOT, "%.6g", v).replaceAll("0+$", "").replaceAll("\\.$", "").replaceAll("0+e", "e");
    }

    /**
     * Fluent, validated construction from {@link #DEFAULTS}: {@code set(RANK_HAT, 8)},
     * {@code auto(STEP_SIZE)}; each value is checked by its declaration when it is set.
     */
    public static final class Builder {
        private Settings settings;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private LinearAlgebra la = LinearAlgebra.instance();
        private Path checkpointDir;
        private boolean resume;
        private double checkpointSeconds = 30.0;

        Builder(Settings s) {
            if (s.schema() != SCHEMA) {
                throw new IllegalArgumentException("settings of " + s.schema().name() + " are not deep matrix "
                        + "completion's");
            }
            settings = s;
        }

        /**
         * Sets one declared setting.
         *
         * @throws org.cdln.settings.InvalidSettingException naming the setting, its range and the value
         */
        public <T> Builder set(Setting<T> setting, T value) {
            settings = settings.with(setting, value);
            return this;
        }

        /** Lets the estimator choose {@code setting} (where its declaration allows auto). */
        public Builder auto(Setting<?> setting) {
            settings = settings.with(setting, Setting.AUTO);
            return this;
        }

        /** Sets one declared setting from its text form ("auto" where allowed). */
        public Builder setText(Setting<?> setting, String text) {
            settings = settings.withText(setting, text);
            return this;
        }

        /** Adds a training listener (progress, checkpoints, …). */
        public Builder listener(TrainingListener l) {
            listeners.add(l);
            return this;
        }

        /**
         * Checkpoints every fit to {@code dir} (every {@code intervalSeconds} and at its end, one
         * file per candidate r̂ and per training data); with {@code resume}, a fit whose
         * checkpoint exists continues from it — a finished one is not trained again — and gives
         * exactly the model of an uninterrupted fit.
         */
        public Builder checkpoints(Path dir, boolean resumeExisting, double intervalSeconds) {
            if (!(intervalSeconds > 0)) {
                throw new IllegalArgumentException("checkpoint interval must be > 0 s, got " + intervalSeconds);
            }
            checkpointDir = dir;
            resume = resumeExisting;
            checkpointSeconds = intervalSeconds;
            return this;
        }

        /** The linear-algebra backend (default {@link LinearAlgebra#instance()}). */
        public Builder linearAlgebra(LinearAlgebra backend) {
            la = backend;
            return this;
        }

        /** The settings so far. */
        public Settings settings() {
            return settings;
        }

        /** Builds the estimator. */
        public DeepMatrixCompletion build() {
            return new DeepMatrixCompletion(settings, listeners, la, checkpointDir, resume, checkpointSeconds);
        }
    }
}
