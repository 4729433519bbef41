package org.cdln.recommend;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cdln.data.Ratings;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.cdln.linalg.SparseMatrix;
import org.cdln.linalg.Svd;
import org.cdln.linalg.TruncatedSvd;
import org.cdln.train.Provenance;
import org.cdln.train.StopReason;
import org.cdln.train.TrainingContext;
import org.cdln.train.TrainingListener;
import org.cdln.settings.Rule;
import org.cdln.settings.Schema;
import org.cdln.settings.Setting;
import org.cdln.train.TrainingLoop;
import org.cdln.train.TrainingResult;
import org.cdln.train.TrainingTask;

/**
 * The alternating-minimisation baseline (AltMin): alternating ridge least squares of rank k on
 * the centred ratings, with the same centering, clipping and model as {@link DeepMatrixCompletion}.
 *
 * <p>It minimises Σ_Ω (R_ui − U[u, :]·V[:, i])² + λ·(‖U‖_F² + ‖V‖_F²) (sums, not means: λ is
 * in units of squared rating per factor entry) by exact alternating updates, one user and one
 * item at a time: U[u, :]ᵀ = (Σ_{i∈Ω_u} v_i v_iᵀ + λI)⁻¹·Σ_{i∈Ω_u} R_ui·v_i, then the same for
 * every item. V starts from the spectral initialisation of Jain, Netrapalli and Sanghavi (2013):
 * V = Σ_k^{1/2}·V_kᵀ from the top-k SVD of the surrogate (1/p)·P_Ω(R) (setup time, like the
 * C-DLN's spectral initialisation; the trajectory's seconds count the sweeps). One sweep costs
 * O(|Ω|·k² + (d1 + d2)·k³). Each sweep is one "step" of the trajectory; with a validation set
 * the model returned is the one at the best validation RMSE (like the deep networks).
 */
public final class AltMin implements RatingsEstimator {
    /**
     * The declarations of AltMin's settings, in one place (name, label, description, allowed
     * values, default); {@link Settings} is their typed view and {@link #DEFAULTS} their defaults.
     * The validation share, centering, bias damping and clipping are the very declarations of
     * deep matrix completion (one declaration, two schemas); the seed is AltMin's own (it seeds
     * other draws).
     */
    public static final Schema SCHEMA = new Schema("AltMin", 1);

    /** Rank k of the factors. */
    public static final Setting<Integer> RANK = SCHEMA.add(Setting.ofInt("rank", "AltMin rank k",
            "Rank k of the factors.", Rule.atLeast(1), 10));
    /** Ridge λ. */
    public static final Setting<Double> LAMBDA = SCHEMA.add(Setting.ofDouble("lambda", "AltMin regularisation λ",
            "Ridge λ of the alternating least squares (sums, not means).", Rule.nonNegative(), 10.0));
    /** Alternating sweeps. */
    public static final Setting<Integer> SWEEPS = SCHEMA.add(Setting.ofInt("sweeps", "AltMin sweeps",
            "Alternating sweeps (users, then items).", Rule.atLeast(1), 25));
    /** Validation share: the declaration of deep matrix completion, shared. */
    public static final Setting<Double> VALIDATION_FRACTION = SCHEMA.add(DeepMatrixCompletion.VALIDATION_FRACTION);
    /** What is subtracted before fitting: the declaration of deep matrix completion, shared. */
    public static final Setting<Centering> CENTERING = SCHEMA.add(DeepMatrixCompletion.CENTERING);
    /** Bias damping λ_b: the declaration of deep matrix completion, shared. */
    public static final Setting<Double> BIAS_DAMPING = SCHEMA.add(DeepMatrixCompletion.BIAS_DAMPING);
    /** Clipping of predictions: the declaration of deep matrix completion, shared. */
    public static final Setting<Boolean> CLIP = SCHEMA.add(DeepMatrixCompletion.CLIP);
    /** Seed. */
    public static final Setting<Long> SEED = SCHEMA.add(Setting.ofLong("seed", "seed",
            "Seed of the validation split and the randomized SVD.", Rule.any("a whole number"), 0));

    /**
     * Validated settings: the typed view of {@link #SCHEMA}, each value checked by its declaration
     * (the message names the setting, the allowed range and the value).
     *
     * @param rank               k ≥ 1
     * @param lambda             λ ≥ 0
     * @param sweeps             alternating sweeps ≥ 1 (users then items)
     * @param validationFraction share held out by {@link #fit(Ratings)}, in [0, 0.5]
     * @param centering          none, mean or biases
     * @param biasDamping        λ_b ≥ 0
     * @param clip               clip predictions to the training range
     * @param seed               seed of the validation split and the randomized SVD
     */
    public record Settings(int rank, double lambda, int sweeps, double validationFraction, Centering centering,
                           double biasDamping, boolean clip, long seed) {
        /** Validates every setting through its declaration. */
        public Settings {
            RANK.check(rank);
            LAMBDA.check(lambda);
            SWEEPS.check(sweeps);
            VALIDATION_FRACTION.check(validationFraction);
            CENTERING.check(centering);
            BIAS_DAMPING.check(biasDamping);
        }

        /** The settings given as declared values. */
        public static Settings of(org.cdln.settings.Settings s) {
            return new Settings(s.get(RANK), s.get(LAMBDA), s.get(SWEEPS), s.get(VALIDATION_FRACTION), s.get(CENTERING),
                    s.get(BIAS_DAMPING), s.get(CLIP), s.get(SEED));
        }

        /** These values as declared settings. */
        public org.cdln.settings.Settings settings() {
            return SCHEMA.defaults().with(RANK, rank).with(LAMBDA, lambda).with(SWEEPS, sweeps)
                    .with(VALIDATION_FRACTION, validationFraction).with(CENTERING, centering)
                    .with(BIAS_DAMPING, biasDamping).with(CLIP, clip).with(SEED, seed);
        }

        /** The same settings with another rank and λ. */
        public Settings with(int k, double l) {
            return new Settings(k, l, sweeps, validationFraction, centering, biasDamping, clip, seed);
        }
    }

    /** Defaults, the declared ones: k = 10, λ = 10, 25 sweeps, validation 5 %, bias centering (λ_b = 5), clipping on. */
    public static final Settings DEFAULTS = Settings.of(SCHEMA.defaults());

    private final Settings settings;
    private final LinearAlgebra la;
    private final List<TrainingListener> listeners = new java.util.ArrayList<>();

    /** AltMin with the given settings and the default backend. */
    public AltMin(Settings settings) {
        this(settings, LinearAlgebra.instance());
    }

    /** AltMin with the given settings on the given backend. */
    public AltMin(Settings settings, LinearAlgebra la) {
        this.settings = settings;
        this.la = la;
    }

    /**
     * Adds a listener of the sweeps (progress, time limit, …): each sweep is one step of the
     * {@link TrainingLoop}, evaluated with a {@link FitPoint}. Returns this estimator.
     */
    public AltMin addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
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

    /** Fits on {@code train}, evaluating every sweep on {@code validation} (same mappings; may be empty). */
    @Override
    public CompletionModel fit(Ratings train, Ratings validation) {
        RatingsEstimator.requireSharedMappings(train, validation);
        Settings s = settings;
        int d1 = train.numUsers();
        int d2 = train.numItems();
        int k = s.rank();
        if (k > Math.min(d1, d2)) {
            throw new IllegalArgumentException("AltMin rank k = " + k + " exceeds min(users, items) = "
                    + Math.min(d1, d2));
        }
        RatingBaseline baseline = RatingBaseline.fit(train, s.centering(), s.biasDamping());
        double[] res = baseline.residuals(train);
        SparseMatrix byUser = train.toSparse(res);
        SparseMatrix byItem = transposeOf(byUser);
        double lo = s.clip() ? train.minRating() : Double.NaN;
        double hi = s.clip() ? train.maxRating() : Double.NaN;
        long t0 = System.nanoTime();
        double p = byUser.nonZeros() / ((double) d1 * d2);
        Svd svd = TruncatedSvd.randomized(byUser.times(1.0 / p), k, 10, 8, la, new Rng(s.seed()));
        // rows of ut / vt hold one user's / item's k factors (row-major for cache-friendly solves)
        double[] ut = new double[d1 * k];
        double[] vt = new double[d2 * k];
        for (int i = 0; i < d2; i++) {
            for (int c = 0; c < k; c++) {
                vt[i * k + c] = Math.sqrt(svd.s()[c]) * svd.vt().get(c, i);
            }
        }
        double setupSeconds = (System.nanoTime() - t0) * 1e-9;
        Sweeps task = new Sweeps(byUser, byItem, ut, vt, d1, d2, k, train, res, validation, baseline, lo, hi);
        TrainingContext ctx = new TrainingContext(ModelKind.ALTMIN.label(), s, task, null, null, 0, s.sweeps(), 1,
                Double.NaN, 1.0, List.of());
        Provenance<Settings> prov = new Provenance<>(org.cdln.Version.get(), la.description(), la.threads(),
                System.getProperty("java.version"), java.time.Instant.now(), s, "spectral (top-k SVD of the surrogate)",
                train.toString(), 0);
        SweepResult result = new TrainingLoop(ctx, listeners, Double.NEGATIVE_INFINITY).run(task, 0.0, List.of(),
                o -> new SweepResult(ModelKind.ALTMIN.label(), o.steps(), o.seconds(), o.stopReason(), o.stopMessage(),
                        o.trajectory(), prov));
        List<FitPoint> points = result.trajectory();
        double seconds = result.seconds();
        Matrix[] bestF = task.bestF;
        Matrix[] lastF = task.lastF;
        double best = task.best;
        long bestSweep = task.bestSweep;
        Matrix[] chosen = bestF != null ? bestF : lastF;
        int[][] seen = CompletionModel.seenIndex(train);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("model", ModelKind.ALTMIN.label());
        meta.put("rank", String.valueOf(k));
        meta.put("lambda", DeepMatrixCompletion.g(s.lambda()));
        meta.put("sweeps", String.valueOf(s.sweeps()));
        meta.put("init", "spectral (top-k SVD of the surrogate)");
        meta.put("centering", s.centering().name().toLowerCase());
        meta.put("bias_damping", DeepMatrixCompletion.g(s.biasDamping()));
        meta.put("clip", s.clip() ? DeepMatrixCompletion.g(lo) + ".." + DeepMatrixCompletion.g(hi) : "off");
        meta.put("seed", String.valueOf(s.seed()));
        meta.putAll(DeepMatrixCompletion.provenance(train, validation, la));
        meta.put("parameters", String.valueOf((long) (d1 + d2) * k));
        meta.put("steps", String.valueOf(result.steps()));
        meta.put("training_seconds", DeepMatrixCompletion.g(seconds));
        meta.put("setup_seconds", DeepMatrixCompletion.g(setupSeconds));
        meta.put("best_step", String.valueOf(bestSweep));
        meta.put("best_validation_rmse", DeepMatrixCompletion.g(best));
        return new CompletionModel(ModelKind.ALTMIN, train.users(), train.items(), baseline, chosen[0],
                chosen[1], lo, hi, seen[0], seen[1], meta, points);
    }

    /** The outcome of AltMin's sweeps, for the listeners. */
    record SweepResult(String label, long steps, double seconds, StopReason stopReason, String stopMessage,
                       List<FitPoint> trajectory, Provenance<Settings> provenance) implements TrainingResult {
    }

    /**
     * AltMin on the training loop: update t + 1 is one sweep (users, then items); every sweep is
     * evaluated (training half-MSE, validation RMSE and MAE) outside the training time, and the
     * factors at the best validation RMSE are kept. There is no per-step loss: it is computed at
     * the evaluations only ({@link #lossAndGradients} returns NaN).
     */
    private final class Sweeps implements TrainingTask<FitPoint> {
        private final SparseMatrix byUser;
        private final SparseMatrix byItem;
        private final double[] ut;
        private final double[] vt;
        private final int d1;
        private final int d2;
        private final int k;
        private final Ratings train;
        private final double[] res;
        private final Ratings validation;
        private final RatingBaseline baseline;
        private final double lo;
        private final double hi;
        double best = Double.POSITIVE_INFINITY;
        long bestSweep = -1;
        Matrix[] bestF;
        Matrix[] lastF;

        Sweeps(SparseMatrix byUser, SparseMatrix byItem, double[] ut, double[] vt, int d1, int d2, int k, Ratings train,
               double[] res, Ratings validation, RatingBaseline baseline, double lo, double hi) {
            this.byUser = byUser;
            this.byItem = byItem;
            this.ut = ut;
            this.vt = vt;
            this.d1 = d1;
            this.d2 = d2;
            this.k = k;
            this.train = train;
            this.res = res;
            this.validation = validation;
            this.baseline = baseline;
            this.lo = lo;
            this.hi = hi;
        }

        @Override
        public double lossAndGradients(long step) {
            return Double.NaN;
        }

        @Override
        public void update(long step) {
            solveSide(byUser, vt, ut, k, settings.lambda());
            solveSide(byItem, ut, vt, k, settings.lambda());
        }

        @Override
        public boolean evaluationDue(long step) {
            return step >= 1;
        }

        @Override
        public FitPoint evaluate(long step, double seconds, double loss) {
            Matrix[] f = factors(ut, vt, d1, d2, k);
            lastF = f;
            double train2 = Scoring.halfMse(f[0], f[1], train, res);
            double[] m = Scoring.rmseMae(f[0], f[1], validation, baseline, lo, hi);
            if (!Double.isNaN(m[0]) && m[0] < best) {
                best = m[0];
                bestSweep = step;
                bestF = f;
            }
            return new FitPoint(step, seconds, train2, m[0], m[1]);
        }

        @Override
        public boolean lossAtFinalPoint() {
            return false;
        }
    }

    /**
     * For every row r of {@code obs} (a user, or an item for the transposed matrix):
     * out[r, :] = (Σ_e f_e f_eᵀ + λI)⁻¹·Σ_e y_e·f_e over its stored entries e with column c_e and
     * f_e = fixed[c_e, :]. Rows without entries get zeros (the ridge solution).
     */
    private void solveSide(SparseMatrix obs, double[] fixed, double[] out, int k, double lambda) {
        int[] ptr = obs.rowPointers();
        int[] col = obs.columnIndices();
        double[] y = obs.values();
        Matrix a = new Matrix(k, k);
        Matrix b = new Matrix(k, 1);
        double[] ad = a.data();
        double[] bd = b.data();
        for (int r = 0; r < obs.rows(); r++) {
            if (ptr[r] == ptr[r + 1]) {
                java.util.Arrays.fill(out, r * k, (r + 1) * k, 0.0);
                continue;
            }
            java.util.Arrays.fill(ad, 0.0);
            java.util.Arrays.fill(bd, 0.0);
            for (int e = ptr[r]; e < ptr[r + 1]; e++) {
                int fo = col[e] * k;
                for (int q = 0; q < k; q++) {
                    double fq = fixed[fo + q];
                    bd[q] += y[e] * fq;
                    for (int c = 0; c <= q; c++) {
                        ad[c + q * k] += fq * fixed[fo + c];
                    }
                }
            }
            for (int q = 0; q < k; q++) {
                for (int c = 0; c < q; c++) {
                    ad[q + c * k] = ad[c + q * k];
                }
                ad[q + q * k] += lambda;
            }
            Matrix x;
            try {
                x = la.solveSpd(a, b);
            } catch (ArithmeticException singular) {
                // λ = 0 and fewer ratings than k: add a tiny ridge so the row stays defined
                for (int q = 0; q < k; q++) {
                    ad[q + q * k] += 1e-8;
                }
                x = la.solveSpd(a, b);
            }
            System.arraycopy(x.data(), 0, out, r * k, k);
        }
    }

    private static Matrix[] factors(double[] ut, double[] vt, int d1, int d2, int k) {
        // U is d1×k column-major = transpose of the row-major ut (k×d1 column-major)
        Matrix u = Matrix.wrap(k, d1, ut.clone()).transpose();
        Matrix v = Matrix.wrap(k, d2, vt.clone());
        return new Matrix[] {u, v};
    }

    private static SparseMatrix transposeOf(SparseMatrix s) {
        int[] ptr = s.rowPointers();
        int[] col = s.columnIndices();
        double[] val = s.values();
        int n = val.length;
        int[] rows = new int[n];
        int[] cols = new int[n];
        for (int i = 0; i < s.rows(); i++) {
            for (int e = ptr[i]; e < ptr[i + 1]; e++) {
                rows[e] = col[e];
                cols[e] = i;
            }
        }
        return SparseMatrix.fromCoordinates(s.cols(), s.rows(), rows, cols, val);
    }

    /** The (k, λ) grid of the MovieLens reproduction: k ∈ {5, 10, 20} × λ ∈ {0.1, 1, 10}. */
    public static List<double[]> defaultGrid() {
        List<double[]> g = new java.util.ArrayList<>();
        for (int k : new int[] {5, 10, 20}) {
            for (double l : new double[] {0.1, 1, 10}) {
                g.add(new double[] {k, l});
            }
        }
        return g;
    }
}
