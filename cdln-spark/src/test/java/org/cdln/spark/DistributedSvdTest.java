package org.cdln.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.cdln.data.Ratings;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.cdln.linalg.SparseMatrix;
import org.cdln.linalg.Svd;
import org.cdln.linalg.TruncatedSvd;
import org.cdln.problem.CompletionProblem;
import org.cdln.recommend.Centering;
import org.junit.jupiter.api.Test;

/**
 * The distributed spectral initialisation computes the library's randomized subspace iteration:
 * from the same seed its singular values agree to 1e-9 relative and its right singular vectors
 * to 1e-7 (|cos| of the angle), and the leading values agree with the exact SVD to 1e-4.
 */
class DistributedSvdTest {
    @Test
    void agreesWithTheLibrarysRandomizedSvd() {
        Ratings r = SparkTestSession.lowRank(70, 50, 4, 0.6, 5);
        int k = 4;
        long seed = 13;
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
        java.util.List<IndexedRating> rows = new java.util.ArrayList<>();
        for (int q = 0; q < r.size(); q++) {
            rows.add(new IndexedRating(r.userIndex(q), r.itemIndex(q), r.rating(q), false));
        }
        JavaRDD<IndexedRating> rdd = sc.parallelize(rows, 2);
        FitConfig c = new FitConfig(3, k, 0, 0, 4, 10, 0, 2, 0, Centering.NONE, 0, true, seed, 3, 3, 10, 1L << 24,
                "randomized", 0);
        LinearAlgebra la = LinearAlgebra.instance();
        SparkFit.Prepared prep = SparkFit.prepare(sc, rdd, r.numUsers(), r.numItems(), c, k, la);
        try {
            SparseMatrix observed = r.toSparse();
            CompletionProblem problem = CompletionProblem.of(observed,
                    SparseMatrix.fromCoordinates(r.numUsers(), r.numItems(), new int[0], new int[0], new double[0]), "");
            Svd lib = TruncatedSvd.randomized(problem.surrogate(), k, DistributedSvd.OVERSAMPLE,
                    DistributedSvd.POWER_ITERATIONS, la, new Rng(seed));
            Svd exact = la.svd(problem.surrogate().toDense()).truncate(k);
            for (int j = 0; j < k; j++) {
                double rel = Math.abs(prep.sigma()[j] - lib.s()[j]) / lib.s()[j];
                assertTrue(rel <= 1e-9, "σ" + (j + 1) + ": relative difference " + rel);
                double relExact = Math.abs(prep.sigma()[j] - exact.s()[j]) / exact.s()[j];
                assertTrue(relExact <= 1e-4, "σ" + (j + 1) + " vs exact: " + relExact);
                double cos = Math.abs(dot(prep.vt(), lib.vt(), j));
                assertTrue(1 - cos <= 1e-7, "v" + (j + 1) + ": 1 − |cos| = " + (1 - cos));
            }
            // the left vectors made in the blocks are orthonormal and S·v_j = σ_j·u_j
            Matrix u = DistributedSvd.collectRows(prep.blocks(), prep.uSpectral(), r.numUsers(), k);
            Matrix utu = la.multiply(true, u, false, u);
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    assertTrue(Math.abs(utu.get(a, b) - (a == b ? 1 : 0)) <= 1e-8, "UᵀU[" + a + "," + b + "]");
                }
            }
        } finally {
            prep.release();
        }
    }

    /**
     * Automatic r̂ on the distributed path: the sign-flip parallel analysis of the distributed
     * surrogate finds the same rank and r̂ as the library's on a rank-3 problem with noise, and its
     * noise edge is within 15 % of the library's (the flips are drawn differently).
     */
    @Test
    void parallelAnalysisAgreesWithTheLibrary() {
        Ratings r = SparkTestSession.lowRank(120, 90, 3, 0.5, 8);
        long seed = 21;
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
        java.util.List<IndexedRating> rows = new java.util.ArrayList<>();
        for (int q = 0; q < r.size(); q++) {
            rows.add(new IndexedRating(r.userIndex(q), r.itemIndex(q), r.rating(q), false));
        }
        FitConfig c = new FitConfig(3, 0, 0, 0, 4, 10, 0, 2, 0, Centering.MEAN, 0, true, seed, 2, 2, 10, 1L << 24,
                "randomized", 0);
        // the library's rule on the same residuals r − μ
        double mu = 0;
        for (int q = 0; q < r.size(); q++) {
            mu += r.rating(q) / r.size();
        }
        int[] ui = new int[r.size()];
        int[] ii = new int[r.size()];
        double[] res = new double[r.size()];
        for (int q = 0; q < r.size(); q++) {
            ui[q] = r.userIndex(q);
            ii[q] = r.itemIndex(q);
            res[q] = r.rating(q) - mu;
        }
        SparseMatrix residuals = SparseMatrix.fromCoordinates(r.numUsers(), r.numItems(), ui, ii, res);
        LinearAlgebra la = LinearAlgebra.instance();
        SparkFit.Prepared prep = SparkFit.prepare(sc, sc.parallelize(rows, 2), r.numUsers(), r.numItems(), c, 12, la);
        try {
            double edge = SparkFit.noiseEdge(sc, prep, seed, la);
            org.cdln.recommend.RankSelection.Result spark = SparkFit.parallelAnalysis(sc, prep, edge);
            org.cdln.recommend.RankSelection.Result lib = org.cdln.recommend.RankSelection.parallelAnalysis(
                    residuals, seed, la);
            assertEquals(3, lib.rank(), lib.describe());
            assertEquals(lib.rank(), spark.rank(), spark.describe() + " vs " + lib.describe());
            assertEquals(lib.rankHat(), spark.rankHat());
            assertEquals(lib.noiseEdge(), edge, 0.15 * lib.noiseEdge());
        } finally {
            prep.release();
        }
    }

    private static double dot(Matrix a, Matrix b, int row) {
        double s = 0;
        for (int c = 0; c < a.cols(); c++) {
            s += a.get(row, c) * b.get(row, c);
        }
        return s;
    }
}
