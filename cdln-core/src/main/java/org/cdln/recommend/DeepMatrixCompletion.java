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
import org.cdln.optim.OptimizerConfig;
import org.cdln.problem.CompletionProblem;
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
        ORIGINAL
    }

    /**
     * Validated settings; {@link #DEFAULTS} declares every default in one place.
     *
     * @param network            compressed (C-DLN) or original
     * @param depth              L ≥ 2
     * @param rankHat            r̂ ≥ 1 for the compressed network, or 0 for automatic ({@link RankSelection})
     * @param width              inner width of the original network, or 0 for min(d1, d2)
     * @param eps                initialisation scale ε &gt; 0, or 0 for automatic: {@link #autoEps}
     * @param stepSize           η &gt; 0 (loss normalised by |Ω|), or 0 for automatic: {@link #autoStepSize}
     * @param alpha              discrepant rate α &gt; 0 of W1 and WL (1: uniform)
     * @param optimizer          gd, momentum, adam or rmsprop
     * @param tolerance          stop when the training loss is below this (0: never)
     * @param maxSteps           step budget ≥ 1
     * @param evalEvery          steps between validation evaluations ≥ 1
     * @param validationFraction share of the ratings held out for validation by {@link #fit(Ratings)}, in [0, 0.5]
     * @param patience           evaluations without validation improvement before stopping (0: never stop early)
     * @param centering          none, mean or biases
     * @param biasDamping        λ_b ≥ 0 of the bias fit
     * @param clip               clip predictions to [min, max] of the training ratings
     * @param seed               seed of the validation split, the spectral SVD and the original network's init
     * @param timeLimitSeconds   training-time limit in seconds (0: none)
     */
    public record Settings(Network network, int depth, int rankHat, int width, double eps, double stepSize,
                           double alpha, OptimizerConfig.Kind optimizer, double tolerance, long maxSteps,
                           int evalEvery, double validationFraction, int patience, Centering centering,
                           double biasDamping, boolean clip, long seed, double timeLimitSeconds) {
        /** Validates every setting; the message names the setting, the allowed range and the value. */
        public Settings {
            if (network == null || optimizer == null || centering == null) {
                throw new IllegalArgumentException("network, optimizer and centering are required");
            }
            if (depth < 2) {
                throw new IllegalArgumentException("depth must be ≥ 2, got " + depth);
            }
            if (rankHat < 0) {
                throw new IllegalArgumentException("rank-hat r̂ must be ≥ 1 (or 0 for automatic), got " + rankHat);
            }
            if (width < 0) {
                throw new IllegalArgumentException("width must be ≥ 1 (or 0 for min(d1, d2)), got " + width);
            }
            if (eps != 0.0) {
                positive("eps ε", eps);
            }
            if (stepSize != 0.0) {
                positive("step size η", stepSize);
            }
            positive("alpha α", alpha);
            if (!(tolerance >= 0.0) || !Double.isFinite(tolerance)) {
                throw new IllegalArgumentException("tolerance must be a finite number ≥ 0, got " + tolerance);
            }
            if (maxSteps < 1) {
                throw new IllegalArgumentException("steps must be ≥ 1, got " + maxSteps);
            }
            if (evalEvery < 1) {
                throw new IllegalArgumentException("eval-every must be ≥ 1, got " + evalEvery);
            }
            if (!(validationFraction >= 0.0 && validationFraction <= 0.5)) {
                throw new IllegalArgumentException("validation fraction must be in [0, 0.5], got " + validationFraction);
            }
            if (patience < 0) {
                throw new IllegalArgumentException("patience must be ≥ 0 evaluations (0: no early stopping), got "
                        + patience);
            }
            if (!(biasDamping >= 0.0) || !Double.isFinite(biasDamping)) {
                throw new IllegalArgumentException("bias damping must be a finite number ≥ 0, got " + biasDamping);
            }
            if (!(timeLimitSeconds >= 0.0) || !Double.isFinite(timeLimitSeconds)) {
                throw new IllegalArgumentException("time limit must be ≥ 0 seconds (0: none), got " + timeLimitSeconds);
            }
        }

        private static void positive(String name, double v) {
            if (!(v > 0.0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException(name + " must be a finite number > 0, got " + v);
            }
        }
    }

    /**
     * The defaults, chosen on MovieLens-100K (README, "Recommendations on real ratings"): depth 3,
     * automatic r̂ (validation sweep), automatic ε ({@link #autoEps}: ≈ 0.9 there) and η
     * ({@link #autoStepSize}: ≈ 20 there), α = 4, GD, 5 000 steps at most, evaluation
     * every 2 steps, patience 10 evaluations, validation 5 %, bias centering with λ_b = 5,
     * clipping on.
     */
    public static final Settings DEFAULTS = new Settings(Network.COMPRESSED, 3, 0, 0, 0.0, 0.0, 4.0,
            OptimizerConfig.Kind.GD, 0.0, 5_000, 2, 0.05, 10, Centering.BIASES, 5.0, true, 0L, 0.0);

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
        return settings.validationFraction();
    }

    @Override
    public long seed() {
        return settings.seed();
    }

    /**
     * Fits on {@code train}, measuring and early-stopping on {@code validation} (same id mappings,
     * e.g. the two halves of a {@link Splits.Split}; may be empty). The model's seen items, which
     * {@link CompletionModel#recommend} leaves out, are those of {@code train}.
     *
     * @throws IllegalArgumentException when the two sets do not share mappings or r̂ does not fit
     * @throws org.cdln.train.DivergenceException when training diverges (its message names η and α)
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
        RatingBaseline baseline = RatingBaseline.fit(train, s.centering(), s.biasDamping());
        SparseMatrix observed = train.toSparse(baseline.residuals(train));
        // the held-out metric is asked for in one place: the validation monitor scores the rating predictions,
        // so the problem carries no held-out entries and its oracle computes no second, unclipped error
        SparseMatrix noHeldOut = SparseMatrix.fromCoordinates(d1, d2, new int[0], new int[0], new double[0]);
        CompletionProblem problem = CompletionProblem.of(observed, noHeldOut, d1 + "×" + d2 + " ratings of "
                + train.source() + " (" + train.size() + " observed, " + validation.size() + " validation), centering "
                + s.centering().name().toLowerCase());
        double setup = (System.nanoTime() - t0) * 1e-9;
        if (s.network() == Network.ORIGINAL) {
            int width = s.width() == 0 ? dMin : s.width();
            return fitOnce(train, validation, baseline, problem, null, width, "given", setup);
        }
        if (s.rankHat() > dMin) {
            throw new IllegalArgumentException("rank-hat r̂ = " + s.rankHat() + " exceeds min(users, items) = " + dMin
                    + "; choose r̂ in [1, " + dMin + "]");
        }
        // the surrogate's leading singular triplets, computed once for the spectral init of every candidate
        long t1 = System.nanoTime();
        int cap = Math.min(dMin, SWEEP_MAX_RANK_HAT);
        Svd spectrum = TruncatedSvd.of(problem.surrogate(), s.rankHat() > 0 ? s.rankHat() : cap, la, new Rng(s.seed()));
        if (s.rankHat() > 0) {
            setup += (System.nanoTime() - t1) * 1e-9;
            return fitOnce(train, validation, baseline, problem, spectrum, s.rankHat(), "given", setup);
        }
        RankSelection.Result pa = RankSelection.parallelAnalysis(observed, spectrum.s(), s.seed(), la);
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
        double eta = s.stepSize();
        double eps = s.eps();
        String stepRule = "given";
        String epsRule = "given";
        if (eta == 0.0 || eps == 0.0) {
            long ts = System.nanoTime();
            double sigma1 = spectrum != null ? spectrum.s()[0]
                    : TruncatedSvd.randomized(problem.surrogate(), 1, 10, 8, la, new Rng(s.seed())).s()[0];
            setupSeconds += (System.nanoTime() - ts) * 1e-9;
            if (eta == 0.0) {
                eta = autoStepSize(train.numUsers(), train.numItems(), s.depth(), sigma1);
                stepRule = String.format(Locale.ROOT, "auto: %s·d1·d2/(L·σ1^(2−2/L)) with σ1 = %.4g",
                        g(AUTO_STEP_FRACTION), sigma1);
            }
            if (eps == 0.0) {
                eps = autoEps(s.depth(), sigma1);
                epsRule = String.format(Locale.ROOT, "auto: (%s·σ1)^(1/L) with σ1 = %.4g", g(AUTO_EPS_RATIO), sigma1);
            }
        }
        int d1 = train.numUsers();
        int d2 = train.numItems();
        int[] widths = new int[s.depth() + 1];
        java.util.Arrays.fill(widths, rankHat);
        widths[0] = d2;
        widths[s.depth()] = d1;
        org.cdln.linalg.MemoryCheck.require("a depth-" + s.depth() + " network of width " + rankHat + " on " + d1 + "×" + d2
                + " ratings", org.cdln.linalg.MemoryCheck.trainingBytes(org.cdln.linalg.MemoryCheck.networkDoubles(widths),
                        s.depth(), s.optimizer() == OptimizerConfig.Kind.ADAM ? 2 : 1),
                "a smaller depth or rank-hat");
        long t0 = System.nanoTime();
        DeepLinearNetwork net;
        ModelKind kind;
        if (s.network() == Network.COMPRESSED) {
            net = new SpectralInit(rankHat, s.depth(), eps).fromSingularVectors(spectrum.u().columns(0, rankHat),
                    spectrum.vt().rowRange(0, rankHat), la);
            kind = ModelKind.CDLN;
        } else {
            net = DeepLinearNetwork.wide(d1, d2, rankHat, s.depth(), Initialization.ORTH, eps, new Rng(s.seed()), la)
                    .withOrigin("orth init, eps=" + eps + ", width=" + rankHat + ", depth=" + s.depth() + ", seed="
                            + s.seed());
            kind = ModelKind.DLN;
        }
        setupSeconds += (System.nanoTime() - t0) * 1e-9;
        double lo = s.clip() ? train.minRating() : Double.NaN;
        double hi = s.clip() ? train.maxRating() : Double.NaN;
        ValidationMonitor monitor = new ValidationMonitor(validation, baseline, lo, hi, MIN_IMPROVEMENT, la);
        TrainerConfig config = new TrainerConfig(s.maxSteps(), s.tolerance(), s.evalEvery(),
                OptimizerConfig.of(s.optimizer(), eta), LayerRates.discrepant(s.depth(), s.alpha()),
                TrainerConfig.DEFAULT_DIVERGENCE_FACTOR);
        Trainer trainer = new Trainer(config, la).addListener(monitor);
        if (s.patience() > 0 && validation.size() > 0) {
            trainer.addListener(new EarlyStopping(s.patience(), MIN_IMPROVEMENT, p -> monitor.lastRmse(),
                    "validation RMSE", true));
        }
        if (s.timeLimitSeconds() > 0) {
            trainer.addListener(new TimeLimit(s.timeLimitSeconds()));
        }
        for (TrainingListener l : listeners) {
            trainer.addListener(l);
        }
        TrainResult result;
        if (checkpointDir == null) {
            result = trainer.fit(kind.label(), net, problem);
        } else {
            // one file per fit: the estimator's settings, the candidate r̂ and the data identify it
            String id = org.cdln.io.SettingsDigest.digest(org.cdln.io.SettingsDigest.canonicalText(s,
                    java.util.Set.of("maxSteps", "timeLimitSeconds")) + "|r=" + rankHat + "|" + train.source() + "|"
                    + train.size() + "|" + d1 + "x" + d2 + "|" + validation.size() + "|" + problem.description());
            Path file = checkpointDir.resolve(kind.label() + "-r" + rankHat + "-" + id + ".ckpt");
            trainer.addListener(new org.cdln.train.CheckpointListener(file, checkpointSeconds));
            if (resume && java.nio.file.Files.exists(file)) {
                result = trainer.resume(org.cdln.train.Checkpoint.load(file), problem);
            } else {
                result = trainer.fit(kind.label(), net, problem);
            }
        }
        Matrix[] f = monitor.chosen();
        int[][] seen = CompletionModel.seenIndex(train);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("model", kind.label());
        meta.put("depth", String.valueOf(s.depth()));
        meta.put(s.network() == Network.COMPRESSED ? "rank_hat" : "width", String.valueOf(rankHat));
        meta.put("rank_hat_rule", rankRule);
        meta.put("eps", g(eps));
        meta.put("eps_rule", epsRule);
        meta.put("step", g(eta));
        meta.put("step_rule", stepRule);
        meta.put("alpha", g(s.alpha()));
        meta.put("optimizer", s.optimizer().name().toLowerCase());
        meta.put("tolerance", g(s.tolerance()));
        meta.put("max_steps", String.valueOf(s.maxSteps()));
        meta.put("eval_every", String.valueOf(s.evalEvery()));
        meta.put("patience", String.valueOf(s.patience()));
        meta.put("centering", s.centering().name().toLowerCase());
        meta.put("bias_damping", g(s.biasDamping()));
        meta.put("clip", s.clip() ? g(lo) + ".." + g(hi) : "off");
        meta.put("seed", String.valueOf(s.seed()));
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
                meta, monitor.points());
    }

    /** The relative gain of validation RMSE that counts as an improvement (model selection and early stopping). */
    static final double MIN_IMPROVEMENT = 1e-4;

    /** The share of the stability scale that {@link #autoStepSize} takes. */
    public static final double AUTO_STEP_FRACTION = 0.25;

    /**
     * The automatic step size η = {@value #AUTO_STEP_FRACTION}·d1·d2/(L·σ1^(2−2/L)), σ1 the top
     * singular value of the surrogate (1/p)·P_Ω(R). Why: the completion loss normalised by |Ω|
     * behaves like (1/(2·d1·d2))·‖P − Y‖_F², whose Hessian at a balanced depth-L factorisation of
     * a matrix with top singular value σ1 has largest eigenvalue about L·σ1^(2−2/L)/(d1·d2), so GD
     * is stable below twice its inverse; a quarter of that inverse leaves room for the discrepant
     * rate α and keeps the validation minimum resolved by the evaluations. On MovieLens-100K (u1)
     * it gives η ≈ 20. Cost O(1).
     */
    public static double autoStepSize(int d1, int d2, int depth, double sigma1) {
        if (!(sigma1 > 0) || !Double.isFinite(sigma1)) {
            throw new IllegalArgumentException("the surrogate's top singular value is " + sigma1
                    + ": the residuals are all zero or not finite; give a step size (η) explicitly");
        }
        return AUTO_STEP_FRACTION * d1 * (double) d2 / (depth * Math.pow(sigma1, 2.0 - 2.0 / depth));
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

    /** Fluent, validated construction; optional settings start at {@link #DEFAULTS}. */
    public static final class Builder {
        private Network network;
        private int depth;
        private int rankHat;
        private int width;
        private double eps;
        private double stepSize;
        private double alpha;
        private OptimizerConfig.Kind optimizer;
        private double tolerance;
        private long maxSteps;
        private int evalEvery;
        private double validationFraction;
        private int patience;
        private Centering centering;
        private double biasDamping;
        private boolean clip;
        private long seed;
        private double timeLimit;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private LinearAlgebra la = LinearAlgebra.instance();
        private Path checkpointDir;
        private boolean resume;
        private double checkpointSeconds = 30.0;

        Builder(Settings s) {
            network = s.network();
            depth = s.depth();
            rankHat = s.rankHat();
            width = s.width();
            eps = s.eps();
            stepSize = s.stepSize();
            alpha = s.alpha();
            optimizer = s.optimizer();
            tolerance = s.tolerance();
            maxSteps = s.maxSteps();
            evalEvery = s.evalEvery();
            validationFraction = s.validationFraction();
            patience = s.patience();
            centering = s.centering();
            biasDamping = s.biasDamping();
            clip = s.clip();
            seed = s.seed();
            timeLimit = s.timeLimitSeconds();
        }

        /** Compressed (C-DLN, default) or original wide network. */
        public Builder network(Network n) {
            network = n;
            return this;
        }

        /** Depth L ≥ 2. */
        public Builder depth(int l) {
            depth = l;
            return this;
        }

        /** The compressed width r̂ ≥ 1. */
        public Builder rankHat(int r) {
            if (r < 1) {
                throw new IllegalArgumentException("rank-hat r̂ must be ≥ 1, got " + r + "; use autoRankHat() for automatic");
            }
            rankHat = r;
            return this;
        }

        /** Chooses r̂ by {@link RankSelection#parallelAnalysis}. */
        public Builder autoRankHat() {
            rankHat = 0;
            return this;
        }

        /** Inner width of the original network (0: min(d1, d2)). */
        public Builder width(int w) {
            width = w;
            return this;
        }

        /** Initialisation scale ε. */
        public Builder eps(double e) {
            if (!(e > 0.0) || !Double.isFinite(e)) {
                throw new IllegalArgumentException("eps ε must be a finite number > 0, got " + e + "; use autoEps() for "
                        + "automatic");
            }
            eps = e;
            return this;
        }

        /** Chooses ε by {@link DeepMatrixCompletion#autoEps}. */
        public Builder autoEps() {
            eps = 0.0;
            return this;
        }

        /** Step size η. */
        public Builder stepSize(double eta) {
            if (!(eta > 0.0) || !Double.isFinite(eta)) {
                throw new IllegalArgumentException("step size η must be a finite number > 0, got " + eta
                        + "; use autoStepSize() for automatic");
            }
            stepSize = eta;
            return this;
        }

        /** Chooses η by {@link DeepMatrixCompletion#autoStepSize}. */
        public Builder autoStepSize() {
            stepSize = 0.0;
            return this;
        }

        /** Discrepant rate α of W1 and WL. */
        public Builder alpha(double a) {
            alpha = a;
            return this;
        }

        /** The optimiser. */
        public Builder optimizer(OptimizerConfig.Kind k) {
            optimizer = k;
            return this;
        }

        /** Stop when the training loss falls below this. */
        public Builder tolerance(double tol) {
            tolerance = tol;
            return this;
        }

        /** Step budget. */
        public Builder maxSteps(long n) {
            maxSteps = n;
            return this;
        }

        /** Steps between evaluations. */
        public Builder evalEvery(int k) {
            evalEvery = k;
            return this;
        }

        /** Share of the ratings that {@link #fit(Ratings)} holds out for validation (0: none). */
        public Builder validationFraction(double f) {
            validationFraction = f;
            return this;
        }

        /** Evaluations without validation improvement before stopping (0: never). */
        public Builder patience(int p) {
            patience = p;
            return this;
        }

        /** What is subtracted before fitting. */
        public Builder centering(Centering c) {
            centering = c;
            return this;
        }

        /** λ_b of the bias fit. */
        public Builder biasDamping(double l) {
            biasDamping = l;
            return this;
        }

        /** Clip predictions to the training ratings' range. */
        public Builder clip(boolean on) {
            clip = on;
            return this;
        }

        /** Seed of every random choice. */
        public Builder seed(long s) {
            seed = s;
            return this;
        }

        /** Training-time limit in seconds (0: none). */
        public Builder timeLimitSeconds(double s) {
            timeLimit = s;
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

        /** Validates the settings and builds the estimator. */
        public DeepMatrixCompletion build() {
            Settings s = new Settings(network, depth, rankHat, width, eps, stepSize, alpha, optimizer, tolerance, maxSteps,
                    evalEvery, validationFraction, patience, centering, biasDamping, clip, seed, timeLimit);
            return new DeepMatrixCompletion(s, listeners, la, checkpointDir, resume, checkpointSeconds);
        }
    }
}
