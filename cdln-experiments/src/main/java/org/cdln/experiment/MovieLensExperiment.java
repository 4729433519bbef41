package org.cdln.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.cdln.data.Splits;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.recommend.AltMin;
import org.cdln.recommend.Centering;
import org.cdln.recommend.CompletionModel;
import org.cdln.recommend.DeepMatrixCompletion;
import org.cdln.recommend.FitPoint;
import org.cdln.settings.InvalidSettingException;
import org.cdln.settings.Rule;
import org.cdln.settings.Schema;
import org.cdln.settings.Setting;
import org.cdln.train.TrainingInterruptedException;
import org.cdln.train.TrainingListener;

/**
 * The paper's MovieLens experiment: on one split, the original wide network, the compressed
 * network at several widths r̂, and AltMin on a (k, λ) grid, all on the same centering and
 * clipping, each evaluated on the test ratings along its run. The comparison is on the best test
 * RMSE along each run (for every method alike) and on the time the compressed network needs to
 * reach the original's best. Printing and files are the caller's.
 */
public final class MovieLensExperiment {
    private MovieLensExperiment() {
    }

    /**
     * The experiment's settings, each declared once ({@link #SCHEMA}: name, description, allowed
     * values, default; depth, eps, stepSize, alpha and seed are the matrix recovery experiments'
     * declarations, {@link ReproduceSettings}, with this experiment's reference values in
     * {@link #DEFAULTS}). The compact constructor validates every value through its declaration;
     * a refused value raises an {@link InvalidSettingException} naming the setting, and
     * {@link #checkAgainst} checks the widths against the data.
     *
     * @param depth             L of both networks
     * @param eps               initialisation scale ε of both
     * @param step              step size η of both
     * @param alpha             the C-DLN's discrepant rate α (the original steps uniformly)
     * @param rankHats          the C-DLN widths, one run each
     * @param steps             the C-DLN's step budget
     * @param evalEvery         the C-DLN's evaluation interval
     * @param originalWidth     the original network's inner width, or 0 when the declared setting is auto
     *                          (min(users, items))
     * @param originalSteps     the original network's step budget
     * @param originalEvalEvery the original network's evaluation interval
     * @param timeLimit         cap on the original network's training seconds
     * @param altminK           AltMin ranks
     * @param altminLambda      AltMin ridge values
     * @param altminSweeps      AltMin sweeps
     * @param biasDamping       λ_b of the biases every method is centred on
     * @param seed              seed of every method
     */
    public record Settings(int depth, double eps, double step, double alpha, List<Integer> rankHats, long steps,
                           int evalEvery, int originalWidth, long originalSteps, int originalEvalEvery,
                           double timeLimit, List<Integer> altminK, List<Double> altminLambda, int altminSweeps,
                           double biasDamping, long seed) {
        /** The declarations. */
        public static final Schema SCHEMA = new Schema("movielens experiment", 1);
        /** Depth L of both networks. */
        public static final Setting<Integer> DEPTH = SCHEMA.add(ReproduceSettings.DEPTH);
        /** Initialisation scale ε of both networks. */
        public static final Setting<Double> EPS = SCHEMA.add(ReproduceSettings.EPS);
        /** Step size η of both networks. */
        public static final Setting<Double> STEP_SIZE = SCHEMA.add(ReproduceSettings.STEP_SIZE);
        /** The C-DLN's discrepant rate α. */
        public static final Setting<Double> ALPHA = SCHEMA.add(ReproduceSettings.ALPHA);
        /** The C-DLN widths. */
        public static final Setting<List<Integer>> RANK_HATS = SCHEMA.add(Setting.ofList("rankHat", "rankHat r̂",
                "The C-DLN's widths r̂, one run each (like AltMin's grid, the best is compared).", Integer::valueOf,
                new Rule<>(l -> !l.isEmpty() && l.stream().allMatch(v -> v >= 1),
                        "comma-separated widths in [1, min(users, items)], e.g. 8,16,32"), List.of(8, 16, 32)));
        /** The C-DLN's step budget. */
        public static final Setting<Long> MAX_STEPS = SCHEMA.add(Setting.ofLong("maxSteps", "maxSteps",
                "The C-DLN's step budget.", Rule.atLeast(1), 400));
        /** The C-DLN's evaluation interval. */
        public static final Setting<Integer> EVAL_EVERY = SCHEMA.add(Setting.ofInt("evalEvery", "evalEvery",
                "The C-DLN's evaluation interval.", Rule.atLeast(1), 1));
        /** The original network's inner width. */
        public static final Setting<Integer> ORIGINAL_WIDTH = SCHEMA.add(Setting.ofIntOrAuto("originalWidth",
                "originalWidth", "The original network's inner width; auto: min(users, items).", Rule.atLeast(1)));
        /** The original network's step budget. */
        public static final Setting<Long> ORIGINAL_STEPS = SCHEMA.add(Setting.ofLong("originalSteps", "originalSteps",
                "The original network's step budget.", Rule.atLeast(1), 400));
        /** The original network's evaluation interval. */
        public static final Setting<Integer> ORIGINAL_EVAL_EVERY = SCHEMA.add(Setting.ofInt("originalEvalEvery",
                "originalEvalEvery", "The original network's evaluation interval.", Rule.atLeast(1), 5));
        /** Cap on the original network's training seconds. */
        public static final Setting<Double> TIME_LIMIT = SCHEMA.add(Setting.ofDouble("timeLimitSeconds",
                "timeLimitSeconds", "Cap on the original network's training time in seconds (1800 = 30 minutes).",
                Rule.positive(), 1800));
        /** AltMin ranks. */
        public static final Setting<List<Integer>> ALTMIN_K = SCHEMA.add(Setting.ofList("altminK", "altminK",
                "AltMin ranks k, one run per (k, λ).", Integer::valueOf, new Rule<>(l -> !l.isEmpty()
                        && l.stream().allMatch(v -> v >= 1), "comma-separated ranks in [1, min(users, items)], e.g. 5,10,20"),
                List.of(5, 10, 20)));
        /** AltMin ridge values. */
        public static final Setting<List<Double>> ALTMIN_LAMBDA = SCHEMA.add(Setting.ofList("altminLambda",
                "altminLambda", "AltMin ridge values λ.", org.cdln.data.Numbers::parseDecimal,
                new Rule<>(l -> !l.isEmpty() && l.stream().allMatch(v -> v >= 0.0 && Double.isFinite(v)),
                        "comma-separated finite numbers ≥ 0, e.g. 0.1,1,10"), List.of(0.1, 1.0, 10.0)));
        /** AltMin sweeps. */
        public static final Setting<Integer> ALTMIN_SWEEPS = SCHEMA.add(Setting.ofInt("altminSweeps", "altminSweeps",
                "AltMin sweeps.", Rule.atLeast(1), 25));
        /** λ_b of the biases. */
        public static final Setting<Double> BIAS_DAMPING = SCHEMA.add(Setting.ofDouble("biasDamping", "biasDamping",
                "λ_b of the user and item biases every method is centred on.", Rule.nonNegative(), 5));
        /** Seed of every method. */
        public static final Setting<Long> SEED = SCHEMA.add(ReproduceSettings.SEED);

        /** The experiment's reference values: depth 3, ε = 1, η = 20, α = 4, the rest as declared. */
        public static final org.cdln.settings.Settings DEFAULTS = SCHEMA.defaults().with(EPS, 1.0).with(STEP_SIZE, 20.0)
                .with(ALPHA, 4.0);

        public Settings {
            rankHats = List.copyOf(rankHats);
            altminK = List.copyOf(altminK);
            altminLambda = List.copyOf(altminLambda);
            DEPTH.check(depth);
            EPS.check(eps);
            STEP_SIZE.check(step);
            ALPHA.check(alpha);
            RANK_HATS.check(rankHats);
            MAX_STEPS.check(steps);
            EVAL_EVERY.check(evalEvery);
            if (originalWidth != 0) {
                ORIGINAL_WIDTH.check(originalWidth);
            }
            ORIGINAL_STEPS.check(originalSteps);
            ORIGINAL_EVAL_EVERY.check(originalEvalEvery);
            TIME_LIMIT.check(timeLimit);
            ALTMIN_K.check(altminK);
            ALTMIN_LAMBDA.check(altminLambda);
            ALTMIN_SWEEPS.check(altminSweeps);
            BIAS_DAMPING.check(biasDamping);
            SEED.check(seed);
        }

        /** The typed view of validated {@code s} (a {@link #SCHEMA} settings record; auto width is 0). */
        public static Settings of(org.cdln.settings.Settings s) {
            return new Settings(s.get(DEPTH), s.get(EPS), s.get(STEP_SIZE), s.get(ALPHA), s.get(RANK_HATS),
                    s.get(MAX_STEPS), s.get(EVAL_EVERY), s.given(ORIGINAL_WIDTH).orElse(0), s.get(ORIGINAL_STEPS),
                    s.get(ORIGINAL_EVAL_EVERY), s.get(TIME_LIMIT), s.get(ALTMIN_K), s.get(ALTMIN_LAMBDA),
                    s.get(ALTMIN_SWEEPS), s.get(BIAS_DAMPING), s.get(SEED));
        }

        /**
         * Checks the widths against a data set of {@code users} × {@code items}: every r̂ and every
         * AltMin k at most min(users, items).
         *
         * @throws InvalidSettingException naming the setting
         */
        public void checkAgainst(int users, int items) {
            int dMin = Math.min(users, items);
            for (int r : rankHats) {
                if (r < 1 || r > dMin) {
                    throw new InvalidSettingException(RANK_HATS, "rankHat r̂ must be in [1, " + dMin
                            + "] (min(users, items)), got " + r);
                }
            }
            for (int k : altminK) {
                if (k > dMin) {
                    throw new InvalidSettingException(ALTMIN_K, "altminK must be in [1, " + dMin
                            + "] (min(users, items)), got " + k);
                }
            }
        }
    }

    /** One trained model of the experiment with its name and tags (rank_hat, k, lambda). */
    public record Run(String name, CompletionModel model, Map<String, Object> tags) {
        /** Its evaluations on the test ratings. */
        public List<FitPoint> points() {
            return model.trajectory();
        }

        /** The evaluation with the lowest test RMSE. */
        public FitPoint best() {
            FitPoint b = null;
            for (FitPoint p : points()) {
                if (b == null || p.validationRmse() < b.validationRmse()) {
                    b = p;
                }
            }
            return b;
        }

        /** The last evaluation. */
        public FitPoint last() {
            return points().get(points().size() - 1);
        }

        /** The first evaluation with test RMSE ≤ rmse, or null. */
        public FitPoint firstReaching(double rmse) {
            for (FitPoint p : points()) {
                if (p.validationRmse() <= rmse) {
                    return p;
                }
            }
            return null;
        }

        /** Seconds of setup (spectral SVD, initialisation). */
        public double setupSeconds() {
            return Double.parseDouble(model.settings().getOrDefault("setup_seconds", "0"));
        }

        /** Trained parameters. */
        public long parameters() {
            return Long.parseLong(model.settings().get("parameters"));
        }

        /** Why training stopped ("budget" for AltMin's sweeps). */
        public String stopReason() {
            return model.settings().getOrDefault("stop_reason", "budget");
        }

        /** A label for figures, e.g. "C-DLN r̂=16" for a compressed run. */
        public String label() {
            Object r = tags.get("rank_hat");
            return r != null ? "C-DLN r̂=" + r : name;
        }
    }

    /**
     * What was run: the original network, the compressed runs and the AltMin runs in order, the
     * best of each family (lowest best test RMSE), and the original's width.
     */
    public record Outcome(Run original, List<Run> compressed, List<Run> altmin, int width) {
        public Outcome {
            compressed = List.copyOf(compressed);
            altmin = List.copyOf(altmin);
        }

        /** Every run, the original first. */
        public List<Run> runs() {
            List<Run> all = new ArrayList<>();
            all.add(original);
            all.addAll(compressed);
            all.addAll(altmin);
            return all;
        }

        /** The compressed run with the lowest best test RMSE. */
        public Run bestCompressed() {
            return bestOf(compressed);
        }

        /** The AltMin run with the lowest best test RMSE, or null without AltMin. */
        public Run bestAltMin() {
            return bestOf(altmin);
        }
    }

    /** Wall seconds between two checkpoints of a network's fit. */
    static final double CHECKPOINT_SECONDS = 30.0;

    private static DeepMatrixCompletion.Builder checkpointed(DeepMatrixCompletion.Builder b, java.nio.file.Path dir,
                                                             boolean resume) {
        return dir == null ? b : b.checkpoints(dir, resume, CHECKPOINT_SECONDS);
    }

    static Run bestOf(List<Run> rs) {
        return rs.stream().min((a, b) -> Double.compare(a.best().validationRmse(), b.best().validationRmse()))
                .orElse(null);
    }

    /**
     * Runs the experiment on {@code split}.
     *
     * @param progress listeners for each network run (label, step budget)
     * @param afterRun called after each run (e.g. to print AltMin's result)
     * @throws IllegalArgumentException naming the setting when a width or rank exceeds min(users, items)
     */
    public static Outcome run(Settings s, Splits.Split split, LinearAlgebra la, ListenerFactory progress,
                              Consumer<Run> afterRun) {
        return run(s, split, la, progress, afterRun, null, false);
    }

    /**
     * Runs the experiment on {@code split}; with {@code checkpoints} non-null both networks'
     * fits keep a checkpoint there (every 30 s, at their end and at an interruption, one file per
     * fit named by its declared settings and data) and, with {@code resume}, continue from it, so
     * that an interrupted experiment resumes into the uninterrupted one. AltMin's few sweeps keep
     * none: they are seeded and run again, to the same result.
     */
    public static Outcome run(Settings s, Splits.Split split, LinearAlgebra la, ListenerFactory progress,
                              Consumer<Run> afterRun, java.nio.file.Path checkpoints, boolean resume) {
        int dMin = Math.min(split.train().numUsers(), split.train().numItems());
        s.checkAgainst(split.train().numUsers(), split.train().numItems());
        int width = s.originalWidth() == 0 ? dMin : s.originalWidth();
        DeepMatrixCompletion.Builder common = DeepMatrixCompletion.builder().linearAlgebra(la)
                .set(DeepMatrixCompletion.DEPTH, s.depth()).set(DeepMatrixCompletion.EPS, s.eps())
                .set(DeepMatrixCompletion.STEP_SIZE, s.step()).set(DeepMatrixCompletion.PATIENCE, 0)
                .set(DeepMatrixCompletion.VALIDATION_FRACTION, 0.0).set(DeepMatrixCompletion.CENTERING, Centering.BIASES)
                .set(DeepMatrixCompletion.BIAS_DAMPING, s.biasDamping()).set(DeepMatrixCompletion.CLIP, true)
                .set(DeepMatrixCompletion.SEED, s.seed());
        DeepMatrixCompletion.Builder original = checkpointed(DeepMatrixCompletion.builder(common.settings()),
                        checkpoints, resume).linearAlgebra(la)
                .set(DeepMatrixCompletion.NETWORK, DeepMatrixCompletion.Network.ORIGINAL)
                .set(DeepMatrixCompletion.WIDTH, width).set(DeepMatrixCompletion.ALPHA, 1.0)
                .set(DeepMatrixCompletion.MAX_STEPS, s.originalSteps())
                .set(DeepMatrixCompletion.EVAL_EVERY, s.originalEvalEvery())
                .set(DeepMatrixCompletion.TIME_LIMIT_SECONDS, s.timeLimit());
        for (TrainingListener l : progress.forRun("original", s.originalSteps())) {
            original.listener(l);
        }
        Run orig = new Run("original", original.build().fit(split.train(), split.test()), Map.of());
        afterRun.accept(orig);
        List<Run> comps = new ArrayList<>();
        for (int r : s.rankHats()) {
            DeepMatrixCompletion.Builder compressed = checkpointed(DeepMatrixCompletion.builder(common.settings()),
                    checkpoints, resume).linearAlgebra(la).set(DeepMatrixCompletion.NETWORK, DeepMatrixCompletion.Network.COMPRESSED)
                    .set(DeepMatrixCompletion.RANK_HAT, r).set(DeepMatrixCompletion.ALPHA, s.alpha())
                    .set(DeepMatrixCompletion.MAX_STEPS, s.steps()).set(DeepMatrixCompletion.EVAL_EVERY, s.evalEvery());
            String name = "compressed r̂=" + r;
            for (TrainingListener l : progress.forRun(name, s.steps())) {
                compressed.listener(l);
            }
            Run c = new Run(name, compressed.build().fit(split.train(), split.test()), Map.of("rank_hat", r));
            comps.add(c);
            afterRun.accept(c);
        }
        List<Run> alts = new ArrayList<>();
        for (int k : s.altminK()) {
            if (k > dMin) {
                throw new IllegalArgumentException("AltMin rank k must be in [1, " + dMin + "], got " + k);
            }
            for (double l : s.altminLambda()) {
                AltMin.Settings as = new AltMin.Settings(k, l, s.altminSweeps(), 0.0, Centering.BIASES, s.biasDamping(),
                        true, s.seed());
                CompletionModel m;
                try {
                    m = new AltMin(as, la).fit(split.train(), split.test());
                } catch (TrainingInterruptedException e) {
                    if (checkpoints != null) {
                        // the networks' fits are saved; AltMin's sweeps are run again on resume
                        e.checkpointSavedAt(checkpoints);
                    }
                    throw e;
                }
                Map<String, Object> tags = new LinkedHashMap<>();
                tags.put("k", k);
                tags.put("lambda", l);
                Run a = new Run("altmin k=" + k + " λ=" + java.math.BigDecimal.valueOf(l).stripTrailingZeros().toPlainString(),
                        m, tags);
                alts.add(a);
                afterRun.accept(a);
            }
        }
        return new Outcome(orig, comps, alts, width);
    }
}
