package org.cdln.spark;

import org.cdln.recommend.Centering;

/**
 * The resolved settings of one distributed fit (validated by the estimator's Params).
 *
 * @param rankHat            r̂ ≥ 1
 * @param eps                ε &gt; 0, or 0 for automatic
 * @param stepSize           η &gt; 0, or 0 for automatic
 * @param numBlocks          user blocks (partitions) ≥ 1
 * @param itemBlocks         item blocks of the out-block path ≥ 1
 * @param checkpointInterval steps between lineage checkpoints ≥ 1
 * @param broadcastLimit     largest items×r̂ that is broadcast per step; above it the out-block path runs
 * @param spectral           "auto" (exact when d1·d2 is small, as the library), "exact" or "randomized"
 * @param timeLimitSeconds   0: none
 */
record FitConfig(int depth, int rankHat, double eps, double stepSize, double alpha, long maxSteps, double tolerance,
                 int evalEvery, int patience, Centering centering, double biasDamping, boolean clip, long seed,
                 int numBlocks, int itemBlocks, int checkpointInterval, long broadcastLimit, String spectral,
                 double timeLimitSeconds) {
}
