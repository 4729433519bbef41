package org.cdln.spark;

import org.cdln.recommend.DeepMatrixCompletion;

/**
 * The one place where the Spark estimator reads the library's defaults and descriptions of the
 * deep-matrix-completion settings, so that the Spark Params never declare a second default: when
 * the library's settings declarations change, this adapter is the only class to edit.
 */
final class LibrarySettings {
    private LibrarySettings() {
    }

    private static final DeepMatrixCompletion.Settings D = DeepMatrixCompletion.DEFAULTS;

    /** Depth L ≥ 2. */
    static int depth() {
        return D.depth();
    }

    /** r̂ ≥ 1, or 0 for automatic. */
    static int rankHat() {
        return D.rankHat();
    }

    /** ε &gt; 0, or 0 for automatic ((10⁻³·σ1)^(1/L)). */
    static double eps() {
        return D.eps();
    }

    /** η &gt; 0, or 0 for automatic (¼·d1·d2/(L·σ1^(2−2/L))). */
    static double stepSize() {
        return D.stepSize();
    }

    /** The discrepant rate α of the outer layers. */
    static double alpha() {
        return D.alpha();
    }

    static long maxSteps() {
        return D.maxSteps();
    }

    static double tolerance() {
        return D.tolerance();
    }

    static int evalEvery() {
        return D.evalEvery();
    }

    static double validationFraction() {
        return D.validationFraction();
    }

    static int patience() {
        return D.patience();
    }

    static String centering() {
        return D.centering().name().toLowerCase();
    }

    static double biasDamping() {
        return D.biasDamping();
    }

    static boolean clip() {
        return D.clip();
    }

    static long seed() {
        return D.seed();
    }

    /** Relative validation-RMSE improvement that counts for early stopping (the library's value). */
    static final double MIN_IMPROVEMENT = 1e-4;
}
