package org.cdln.spark;

import org.cdln.recommend.DeepMatrixCompletion;
import org.cdln.settings.Setting;
import org.cdln.settings.Settings;

/**
 * The one place where the Spark estimator reads the library's defaults and descriptions of the
 * deep-matrix-completion settings, so that the Spark Params never declare a second default: when
 * the library's settings declarations change, this adapter is the only class to edit.
 */
final class LibrarySettings {
    private LibrarySettings() {
    }

    private static final Settings D = DeepMatrixCompletion.DEFAULTS;

    /**
     * The library's settings as this module reads them: the same names, with 0 standing for
     * "auto" (r̂, width, ε, η) and for "no limit" (the time limit), the convention of the Spark
     * Params. Built from, and back into, the library's declared {@link Settings}.
     */
    record View(DeepMatrixCompletion.Network network, int depth, int rankHat, int width, double eps, double stepSize,
                double alpha, org.cdln.optim.OptimizerConfig.Kind optimizer, double tolerance, long maxSteps,
                int evalEvery, double validationFraction, int patience, org.cdln.recommend.Centering centering,
                double biasDamping, boolean clip, long seed, double timeLimitSeconds) {
        /** The view of declared settings. */
        static View of(Settings s) {
            return new View(s.get(DeepMatrixCompletion.NETWORK), s.get(DeepMatrixCompletion.DEPTH),
                    s.given(DeepMatrixCompletion.RANK_HAT).orElse(0), s.given(DeepMatrixCompletion.WIDTH).orElse(0),
                    s.given(DeepMatrixCompletion.EPS).orElse(0.0), s.given(DeepMatrixCompletion.STEP_SIZE).orElse(0.0),
                    s.get(DeepMatrixCompletion.ALPHA), s.get(DeepMatrixCompletion.OPTIMIZER),
                    s.get(DeepMatrixCompletion.TOLERANCE), s.get(DeepMatrixCompletion.MAX_STEPS),
                    s.get(DeepMatrixCompletion.EVAL_EVERY), s.get(DeepMatrixCompletion.VALIDATION_FRACTION),
                    s.get(DeepMatrixCompletion.PATIENCE), s.get(DeepMatrixCompletion.CENTERING),
                    s.get(DeepMatrixCompletion.BIAS_DAMPING), s.get(DeepMatrixCompletion.CLIP),
                    s.get(DeepMatrixCompletion.SEED), Double.isFinite(s.get(DeepMatrixCompletion.TIME_LIMIT_SECONDS))
                            ? s.get(DeepMatrixCompletion.TIME_LIMIT_SECONDS) : 0.0);
        }
    }

    /**
     * The declared settings of Param values (0: auto / no limit), each validated by its library
     * declaration — the message names the setting and its range.
     */
    static Settings declared(int depth, int rankHat, double eps, double stepSize, double alpha, double tolerance,
                             long maxSteps, int evalEvery, double validationFraction, int patience,
                             org.cdln.recommend.Centering centering, double biasDamping, boolean clip, long seed,
                             double timeLimitSeconds) {
        Settings s = D.with(DeepMatrixCompletion.NETWORK, DeepMatrixCompletion.Network.COMPRESSED)
                .with(DeepMatrixCompletion.DEPTH, depth)
                .with(DeepMatrixCompletion.RANK_HAT, rankHat == 0 ? Setting.AUTO : (Object) rankHat)
                .with(DeepMatrixCompletion.EPS, eps == 0.0 ? Setting.AUTO : (Object) eps)
                .with(DeepMatrixCompletion.STEP_SIZE, stepSize == 0.0 ? Setting.AUTO : (Object) stepSize)
                .with(DeepMatrixCompletion.ALPHA, alpha).with(DeepMatrixCompletion.OPTIMIZER,
                        org.cdln.optim.OptimizerConfig.Kind.GD)
                .with(DeepMatrixCompletion.TOLERANCE, tolerance).with(DeepMatrixCompletion.MAX_STEPS, maxSteps)
                .with(DeepMatrixCompletion.EVAL_EVERY, evalEvery)
                .with(DeepMatrixCompletion.VALIDATION_FRACTION, validationFraction)
                .with(DeepMatrixCompletion.PATIENCE, patience).with(DeepMatrixCompletion.CENTERING, centering)
                .with(DeepMatrixCompletion.BIAS_DAMPING, biasDamping).with(DeepMatrixCompletion.CLIP, clip)
                .with(DeepMatrixCompletion.SEED, seed).with(DeepMatrixCompletion.TIME_LIMIT_SECONDS,
                        timeLimitSeconds == 0.0 ? Double.POSITIVE_INFINITY : timeLimitSeconds);
        return s;
    }

    private static final View V = View.of(D);

    /**
     * A Spark Param's description from the library's declaration of the setting: its description,
     * its allowed values, and the Params' 0 for "auto" where the setting has one.
     */
    static String doc(Setting<?> s) {
        return s.description() + " (" + s.allowed() + (s.allowsAuto() ? "; 0 for automatic" : "") + ")";
    }

    /** Depth L ≥ 2. */
    static int depth() {
        return V.depth();
    }

    /** r̂ ≥ 1, or 0 for automatic. */
    static int rankHat() {
        return V.rankHat();
    }

    /** ε &gt; 0, or 0 for automatic ((10⁻³·σ1)^(1/L)). */
    static double eps() {
        return V.eps();
    }

    /** η &gt; 0, or 0 for automatic (the library's curvature rule ¼·|Ω|/(L·μ·ŝ^(2−2/L))). */
    static double stepSize() {
        return V.stepSize();
    }

    /** The discrepant rate α of the outer layers. */
    static double alpha() {
        return V.alpha();
    }

    static long maxSteps() {
        return V.maxSteps();
    }

    static double tolerance() {
        return V.tolerance();
    }

    static int evalEvery() {
        return V.evalEvery();
    }

    static double validationFraction() {
        return V.validationFraction();
    }

    static int patience() {
        return V.patience();
    }

    static String centering() {
        return V.centering().name().toLowerCase();
    }

    static double biasDamping() {
        return V.biasDamping();
    }

    static boolean clip() {
        return V.clip();
    }

    static long seed() {
        return V.seed();
    }

    /** Relative validation-RMSE improvement that counts for early stopping (the library's value). */
    static final double MIN_IMPROVEMENT = 1e-4;
}
