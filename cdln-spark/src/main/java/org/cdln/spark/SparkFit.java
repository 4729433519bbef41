package org.cdln.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.Optional;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.cdln.compress.SpectralInit;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.cdln.linalg.SparseMatrix;
import org.cdln.linalg.Svd;
import org.cdln.linalg.TruncatedSvd;
import org.cdln.optim.LayerRates;
import org.cdln.problem.CompletionProblem;
import org.cdln.problem.FusedSweep;
import org.cdln.recommend.Centering;
import org.cdln.recommend.DeepMatrixCompletion;
import org.cdln.recommend.StepHalving;
import org.cdln.recommend.FitPoint;
import org.cdln.recommend.RankSelection;
import org.cdln.recommend.RatingBaseline;
import org.cdln.train.DivergenceException;
import org.cdln.train.StopReason;
import org.cdln.train.Provenance;
import org.cdln.train.TrainerConfig;
import org.cdln.train.TrainingContext;
import org.cdln.train.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * The library's deep-matrix-completion fit, distributed: centering with damped biases, spectral
 * initialisation from the surrogate (1/p)·P_Ω(R), full-batch gradient descent with the
 * discrepant rate α on the outer layers, validation-based early stopping keeping the best factors,
 * clipping. The ratings are partitioned once by user block ({@link UserBlock}, persisted); the
 * user-side rows U = W_L stay in those partitions; per step the item side W1 and the inner layers
 * are broadcast (or, above the broadcast limit, W1 lives in item blocks and each user block
 * receives only the rows it needs — the out-blocks of ALS), one pass per block runs
 * {@link StepKernel#step}, and treeAggregate brings the shares to the driver.
 */
final class SparkFit {
    private static final Logger LOG = LoggerFactory.getLogger(SparkFit.class);

    private SparkFit() {
    }

    /** Ratings per shuffled chunk while the blocks are built. */
    static final int CHUNK = 1 << 16;

    /** The fitted parts, in the dense indices of the estimator. */
    record Result(RatingBaseline baseline, Matrix userFactors, Matrix itemFactors, double clipMin, double clipMax,
                  int[] seenPtr, int[] seenItems, List<FitPoint> trajectory, Map<String, String> meta) {
    }

    /** An item block's rows (items ≡ j mod B_items, ascending; local index = item / B_items). */
    record ItemPiece(int[] items, double[] rows) implements Serializable {
    }

    /** What every fit of one data set shares: the blocks, the baseline, the surrogate's leading triplets. */
    record Prepared(JavaPairRDD<Integer, UserBlock> blocks, int d1, int d2, long n, long nVal, double lo, double hi,
                    RatingBaseline baseline, int[] seenPtr, int[] seenItems, double[] sigma, Matrix vt,
                    Matrix uDriver, JavaPairRDD<Integer, double[]> uSpectral, boolean exact, SparseMatrix observed,
                    double setupSeconds) {
        /** Releases the persisted blocks. */
        void release() {
            blocks.unpersist(false);
            if (uSpectral != null) {
                uSpectral.unpersist(false);
            }
        }
    }

    /**
     * Partitions, centers and decomposes: the surrogate's leading {@code spectralWidth} triplets.
     */
    static Prepared prepare(JavaSparkContext sc, JavaRDD<IndexedRating> ratings, int d1, int d2, FitConfig c,
                            int spectralWidth, LinearAlgebra la) {
        long t0 = System.nanoTime();
        int nb = c.numBlocks();
        HashPartitioner up = new HashPartitioner(nb);
        // each map task packs its ratings per block into primitive chunks; one shuffle moves the chunks
        // (arrays, not an object per rating); each block's partition counting-sorts them into CSR
        int dd2 = d2;
        JavaPairRDD<Integer, UserBlock> raw = ratings
                .mapPartitionsToPair(it -> {
                    UserBlock.Chunk[] open = new UserBlock.Chunk[nb];
                    List<Tuple2<Integer, UserBlock.Chunk>> out = new ArrayList<>();
                    while (it.hasNext()) {
                        IndexedRating r = it.next();
                        int b = Math.floorMod(r.user(), nb);
                        if (open[b] == null) {
                            open[b] = new UserBlock.Chunk(CHUNK);
                        }
                        open[b].add(r.user(), r.item(), r.rating(), r.validation());
                        if (open[b].full(CHUNK)) {
                            out.add(new Tuple2<>(b, open[b]));
                            open[b] = null;
                        }
                    }
                    for (int b = 0; b < nb; b++) {
                        if (open[b] != null) {
                            out.add(new Tuple2<>(b, open[b].trimmed()));
                        }
                    }
                    return out.iterator();
                })
                .partitionBy(up)
                .mapPartitionsToPair(it -> {
                    List<Tuple2<Integer, UserBlock>> out = new ArrayList<>();
                    if (!it.hasNext()) {
                        return out.iterator();
                    }
                    List<UserBlock.Chunk> chunks = new ArrayList<>();
                    int b = -1;
                    while (it.hasNext()) {
                        Tuple2<Integer, UserBlock.Chunk> t = it.next();
                        b = t._1;
                        chunks.add(t._2);
                    }
                    out.add(new Tuple2<>(b, UserBlock.build(b, nb, dd2, chunks.iterator())));
                    return out.iterator();
                }, true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        // |Ω|, validation count, Σ r, min, max of the training ratings
        double[] stats = raw.values().aggregate(new double[] {0, 0, 0, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY}, (acc, b) -> {
                    acc[0] += b.trainRating.length;
                    acc[1] += b.valRating.length;
                    for (double r : b.trainRating) {
                        acc[2] += r;
                        acc[3] = Math.min(acc[3], r);
                        acc[4] = Math.max(acc[4], r);
                    }
                    return acc;
                }, (x, y) -> new double[] {x[0] + y[0], x[1] + y[1], x[2] + y[2], Math.min(x[3], y[3]),
                        Math.max(x[4], y[4])});
        long n = (long) stats[0];
        if (n == 0) {
            throw new IllegalArgumentException("no training ratings: every row is in the validation share; lower "
                    + "validationFraction or mark fewer rows in the validation column");
        }
        long nVal = (long) stats[1];
        double lo = c.clip() ? stats[3] : Double.NaN;
        double hi = c.clip() ? stats[4] : Double.NaN;

        // centering: μ and the damped biases, the library's alternating sweeps
        double mu = c.centering() == Centering.NONE ? 0.0 : stats[2] / n;
        double[] bi = new double[d2];
        double lambda = c.biasDamping();
        if (c.centering() == Centering.BIASES) {
            double[] ni = raw.values().treeAggregate(new double[d2], (acc, b) -> {
                for (int e = 0; e < b.trainItem.length; e++) {
                    acc[b.items[b.trainItem[e]]] += 1;
                }
                return acc;
            }, SparkFit::addInto, 2);
            for (int sweep = 0; sweep < RatingBaseline.SWEEPS; sweep++) {
                Broadcast<double[]> bb = sc.broadcast(bi);
                boolean first = sweep == 0;
                double[] si = raw.values().treeAggregate(new double[d2], (acc, b) -> {
                    double[] bu = first ? new double[b.users.length] : userBiases(b, mu, bb.value(), lambda);
                    for (int q = 0; q < b.users.length; q++) {
                        for (int e = b.trainPtr[q]; e < b.trainPtr[q + 1]; e++) {
                            acc[b.items[b.trainItem[e]]] += b.trainRating[e] - mu - bu[q];
                        }
                    }
                    return acc;
                }, SparkFit::addInto, 2);
                bb.destroy();
                double[] next = new double[d2];
                for (int i = 0; i < d2; i++) {
                    next[i] = ni[i] + lambda > 0 ? si[i] / (ni[i] + lambda) : 0.0;
                }
                bi = next;
            }
        }
        boolean biases = c.centering() == Centering.BIASES;
        Broadcast<double[]> bItem = sc.broadcast(bi);
        JavaPairRDD<Integer, UserBlock> blocks = raw.mapValues(b -> b.withResiduals(mu,
                        biases ? userBiases(b, mu, bItem.value(), lambda) : new double[b.users.length],
                        bItem.value()))
                .persist(StorageLevel.MEMORY_AND_DISK());
        // user biases and the seen index (user → training items) for the model
        List<Tuple2<int[], Tuple2<double[], int[][]>>> parts = blocks.values().map(b -> {
            int[][] seen = new int[b.users.length][];
            for (int q = 0; q < b.users.length; q++) {
                seen[q] = new int[b.trainPtr[q + 1] - b.trainPtr[q]];
                for (int e = b.trainPtr[q]; e < b.trainPtr[q + 1]; e++) {
                    seen[q][e - b.trainPtr[q]] = b.items[b.trainItem[e]];
                }
            }
            return new Tuple2<>(b.users, new Tuple2<>(b.userBias, seen));
        }).collect();
        raw.unpersist(false);
        double[] bu = new double[d1];
        int[][] seenPerUser = new int[d1][];
        for (Tuple2<int[], Tuple2<double[], int[][]>> p : parts) {
            for (int q = 0; q < p._1.length; q++) {
                bu[p._1[q]] = p._2._1[q];
                seenPerUser[p._1[q]] = p._2._2[q];
            }
        }
        int[] seenPtr = new int[d1 + 1];
        for (int u = 0; u < d1; u++) {
            seenPtr[u + 1] = seenPtr[u] + (seenPerUser[u] == null ? 0 : seenPerUser[u].length);
        }
        int[] seenItems = new int[seenPtr[d1]];
        for (int u = 0; u < d1; u++) {
            if (seenPerUser[u] != null) {
                System.arraycopy(seenPerUser[u], 0, seenItems, seenPtr[u], seenPerUser[u].length);
            }
        }
        RatingBaseline baseline = new RatingBaseline(c.centering(), mu, bu, bi, lambda);

        // spectral initialisation from the surrogate (1/p)·P_Ω(R)
        int k = spectralWidth;
        int dMin = Math.min(d1, d2);
        if (k > dMin) {
            throw new IllegalArgumentException("rankHat r̂ = " + k + " exceeds min(users, items) = " + dMin
                    + "; choose rankHat in [1, " + dMin + "]");
        }
        double p = n / ((double) d1 * d2);
        boolean exact = exactSpectrum(c, d1, d2);
        double[] sigma;
        Matrix vt;
        Matrix uDriver = null;
        JavaPairRDD<Integer, double[]> uSpectral = null;
        SparseMatrix observedAll = null;
        if (exact) {
            List<double[]> coo = blocks.values().flatMap(b -> {
                List<double[]> out = new ArrayList<>(b.trainRating.length);
                for (int q = 0; q < b.users.length; q++) {
                    for (int e = b.trainPtr[q]; e < b.trainPtr[q + 1]; e++) {
                        out.add(new double[] {b.users[q], b.items[b.trainItem[e]], b.trainResidual[e]});
                    }
                }
                return out.iterator();
            }).collect();
            int[] ri = new int[coo.size()];
            int[] ci = new int[coo.size()];
            double[] vi = new double[coo.size()];
            for (int e = 0; e < ri.length; e++) {
                ri[e] = (int) coo.get(e)[0];
                ci[e] = (int) coo.get(e)[1];
                vi[e] = coo.get(e)[2];
            }
            SparseMatrix observed = SparseMatrix.fromCoordinates(d1, d2, ri, ci, vi);
            observedAll = observed;
            CompletionProblem problem = CompletionProblem.of(observed,
                    SparseMatrix.fromCoordinates(d1, d2, new int[0], new int[0], new double[0]), "spark ratings");
            Svd svd = TruncatedSvd.of(problem.surrogate(), k, la, new Rng(c.seed()));
            sigma = svd.s();
            vt = svd.vt().rowRange(0, k);
            uDriver = svd.u().columns(0, k);
        } else {
            DistributedSvd.Result r = DistributedSvd.randomized(sc, blocks, d2, k, DistributedSvd.OVERSAMPLE,
                    DistributedSvd.POWER_ITERATIONS, 1.0 / p, d1, la, new Rng(c.seed()));
            sigma = r.s();
            vt = r.vt();
            uSpectral = r.uRows().persist(StorageLevel.MEMORY_AND_DISK());
        }
        return new Prepared(blocks, d1, d2, n, nVal, lo, hi, baseline, seenPtr, seenItems, sigma, vt, uDriver,
                uSpectral, exact, observedAll, (System.nanoTime() - t0) * 1e-9);
    }

    /** Whether the spectral initialisation runs exactly on the driver (small d1·d2) rather than distributed. */
    static boolean exactSpectrum(FitConfig c, int d1, int d2) {
        return c.spectral().equals("exact")
                || (c.spectral().equals("auto") && (long) d1 * d2 <= TruncatedSvd.DENSE_LIMIT);
    }

    /**
     * The same prepared data with the surrogate's leading {@code k} triplets recomputed by the
     * distributed randomized SVD (the previous ones released); for the distributed path only.
     */
    static Prepared withSpectrum(JavaSparkContext sc, Prepared p, FitConfig c, int k, LinearAlgebra la) {
        if (p.exact()) {
            throw new IllegalStateException("the exact spectrum is computed once at full width");
        }
        long t0 = System.nanoTime();
        double prob = p.n() / ((double) p.d1() * p.d2());
        DistributedSvd.Result r = DistributedSvd.randomized(sc, p.blocks(), p.d2(), k, DistributedSvd.OVERSAMPLE,
                DistributedSvd.POWER_ITERATIONS, 1.0 / prob, p.d1(), la, new Rng(c.seed()));
        JavaPairRDD<Integer, double[]> u = r.uRows().persist(StorageLevel.MEMORY_AND_DISK());
        if (p.uSpectral() != null) {
            p.uSpectral().unpersist(false);
        }
        return new Prepared(p.blocks(), p.d1(), p.d2(), p.n(), p.nVal(), p.lo(), p.hi(), p.baseline(), p.seenPtr(),
                p.seenItems(), r.s(), r.vt(), null, u, false, null, p.setupSeconds() + (System.nanoTime() - t0) * 1e-9);
    }

    /**
     * The library's sign-flip parallel analysis ({@code RankSelection}) on the distributed
     * surrogate: the noise edge from {@link DistributedSvd#noiseEdge}, r = the number of the
     * prepared singular values above it (at most {@code RankSelection.MAX_RANK}), r̂ = 2·max(r, 1)
     * capped at min(d1, d2). When every prepared singular value is above the edge and more could
     * be, the caller widens the spectrum and asks again.
     */
    static RankSelection.Result parallelAnalysis(JavaSparkContext sc, Prepared p, double edge) {
        double[] sv = Arrays.copyOf(p.sigma(), Math.min(p.sigma().length, RankSelection.MAX_RANK + 1));
        int r = 0;
        while (r < sv.length && r < RankSelection.MAX_RANK && sv[r] > edge) {
            r++;
        }
        return new RankSelection.Result(r, Math.min(2 * Math.max(r, 1), Math.min(p.d1(), p.d2())), sv, edge);
    }

    /** The noise edge of the prepared surrogate (see {@link DistributedSvd#noiseEdge}). */
    static double noiseEdge(JavaSparkContext sc, Prepared p, long seed, LinearAlgebra la) {
        double prob = p.n() / ((double) p.d1() * p.d2());
        return DistributedSvd.noiseEdge(sc, p.blocks(), p.d1(), p.d2(), 1.0 / prob, RankSelection.TRIALS, seed, la);
    }

    /** Trains the C-DLN of width k ≤ the prepared spectral width. */
    static Result fitOnce(JavaSparkContext sc, Prepared prep, FitConfig c, int k, FitProgress progress,
                          LinearAlgebra la) {
        return fitOnce(sc, prep, c, k, FitHooks.of(progress), la);
    }

    /**
     * What identifies a fit for its checkpoints: the settings, the width, the data's shape and
     * counts, the centering and the step rule (a digest).
     */
    static String identity(Prepared prep, FitConfig c, int k, double eta, double eps) {
        return org.cdln.io.SettingsDigest.digest(c + "|k=" + k + "|" + prep.d1() + "x" + prep.d2() + "|n=" + prep.n()
                + "|val=" + prep.nVal() + "|mu=" + prep.baseline().mean() + "|eta=" + eta + "|eps=" + eps + "|clip="
                + prep.lo() + ".." + prep.hi() + "|sigma1=" + prep.sigma()[0]);
    }

    /** Trains the C-DLN of width k ≤ the prepared spectral width, with the given side effects. */
    static Result fitOnce(JavaSparkContext sc, Prepared prep, FitConfig c, int k, FitHooks hooks,
                          LinearAlgebra la) {
        long t0 = System.nanoTime();
        int d1 = prep.d1();
        int d2 = prep.d2();
        long n = prep.n();
        double lo = prep.lo();
        double hi = prep.hi();
        double lambda = c.biasDamping();
        int nb = c.numBlocks();
        JavaPairRDD<Integer, UserBlock> blocks = prep.blocks();
        double[] sigma = prep.sigma();
        Matrix vt = prep.vt().rowRange(0, k);
        Matrix uDriver = prep.uDriver() == null ? null : prep.uDriver().columns(0, k);
        int kSpec = prep.vt().rows();
        JavaPairRDD<Integer, double[]> uSpectral = prep.uSpectral() == null ? null
                : prep.uSpectral().mapValues(rows -> {
                    int users = rows.length / kSpec;
                    double[] out = new double[users * k];
                    for (int q = 0; q < users; q++) {
                        System.arraycopy(rows, q * kSpec, out, q * k, k);
                    }
                    return out;
                });
        boolean exact = prep.exact();
        double eta = c.stepSize();
        double eps = c.eps();
        String stepRule = "given";
        String epsRule = "given";
        if (eta == 0.0) {
            double[] sums = topPairOnOmega(sc, prep);
            eta = DeepMatrixCompletion.autoStepSize(n, c.depth(), sums);
            stepRule = DeepMatrixCompletion.describeStepRule(n, sums, sigma[0]);
        }
        if (eps == 0.0) {
            eps = DeepMatrixCompletion.autoEps(c.depth(), sigma[0]);
            epsRule = String.format(Locale.ROOT, "auto with σ1 = %.4g", sigma[0]);
        }
        SpectralInit init = new SpectralInit(k, c.depth(), eps);
        double scale = init.outerScale();
        // the layers as SpectralInit.fromSingularVectors builds them: W1 = c·Vᵀ, W_l = ε·I, W_L = c·U
        Matrix w1 = vt.times(scale);
        int depth = c.depth();
        Matrix[] inner = new Matrix[Math.max(0, depth - 2)];
        for (int l = 0; l < inner.length; l++) {
            Matrix eye = Matrix.identity(k);
            eye.scaleInPlace(eps);
            inner[l] = eye;
        }
        JavaPairRDD<Integer, double[]> uRows;
        if (uDriver != null) {
            Broadcast<double[]> bu0 = sc.broadcast(uDriver.times(scale).transpose().data());
            uRows = blocks.mapValues(b -> {
                double[] all = bu0.value();
                double[] out = new double[b.users.length * k];
                for (int q = 0; q < b.users.length; q++) {
                    System.arraycopy(all, b.users[q] * k, out, q * k, k);
                }
                return out;
            });
        } else {
            uRows = uSpectral.mapValues(rows -> {
                double[] out = rows.clone();
                for (int q = 0; q < out.length; q++) {
                    out[q] *= scale;
                }
                return out;
            });
        }
        uRows = uRows.persist(StorageLevel.MEMORY_AND_DISK());
        double setupSeconds = prep.setupSeconds() + (System.nanoTime() - t0) * 1e-9;

        boolean outBlocks = (long) d2 * k > c.broadcastLimit();
        // as the library: an automatic η that diverges is halved and the fit restarted from the same initialisation
        StepHalving step = new StepHalving(c.stepSize() == 0.0, eta);
        Loop loop;
        while (true) {
            // each attempt its own checkpoint identity (η is part of it), so that a resume replays the halvings
            loop = new Loop(sc, blocks, uRows, w1.copy(), Loop.copies(inner), d1, d2, k, depth, n, step.eta(), c, lo,
                    hi, outBlocks, la, hooks, identity(prep, c, k, step.eta(), eps));
            try {
                loop.run();
                break;
            } catch (DivergenceException e) {
                loop.releaseAfterFailure(uRows);
                step.afterDivergence(e, "c-dln r̂ = " + k);
            }
        }
        eta = step.eta();
        uRows.unpersist(false);

        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("model", "c-dln");
        meta.put("engine", "spark " + sc.version() + ", master " + sc.master() + ", " + nb + " user blocks"
                + (outBlocks ? ", out-block path with " + c.itemBlocks() + " item blocks" : ", broadcast path"));
        meta.put("depth", String.valueOf(depth));
        meta.put("rank_hat", String.valueOf(k));
        meta.put("rank_hat_rule", "given");
        meta.put("eps", g(eps));
        meta.put("eps_rule", epsRule);
        meta.put("step", g(eta));
        meta.put("step_rule", step.describe(stepRule));
        if (step.automatic()) {
            meta.put("step_size_halvings", String.valueOf(step.halvings()));
        }
        meta.put("alpha", g(c.alpha()));
        meta.put("optimizer", "gd");
        meta.put("tolerance", g(c.tolerance()));
        meta.put("max_steps", String.valueOf(c.maxSteps()));
        meta.put("eval_every", String.valueOf(c.evalEvery()));
        meta.put("patience", String.valueOf(c.patience()));
        meta.put("centering", c.centering().name().toLowerCase());
        meta.put("bias_damping", g(lambda));
        meta.put("clip", c.clip() ? g(lo) + ".." + g(hi) : "off");
        meta.put("seed", String.valueOf(c.seed()));
        meta.put("spectral_init", exact ? "exact (LAPACK on the driver)" : "distributed randomized subspace iteration");
        meta.put("training_ratings", String.valueOf(n));
        meta.put("validation_ratings", String.valueOf(prep.nVal()));
        meta.put("users", String.valueOf(d1));
        meta.put("items", String.valueOf(d2));
        meta.put("parameters", String.valueOf(init.parameterCount(d1, d2)));
        meta.put("steps", String.valueOf(loop.finalStep));
        meta.put("training_seconds", g(loop.seconds));
        meta.put("seconds_per_step", g(loop.seconds / Math.max(1, loop.finalStep + 1)));
        meta.put("setup_seconds", g(setupSeconds));
        meta.put("stop_reason", loop.reason.name().toLowerCase());
        meta.put("stop_message", loop.message);
        meta.put("best_step", String.valueOf(loop.bestStep));
        meta.put("best_validation_rmse", g(loop.best));
        return new Result(prep.baseline(), loop.chosenU, loop.chosenV, lo, hi, prep.seenPtr(), prep.seenItems(),
                loop.points, meta);
    }

    /**
     * The library's {@code DeepMatrixCompletion.topPairOnOmega} distributed: {Σ_Ω u_i²·v_j²,
     * Σ_Ω u_i·v_j·r_ij, max_i Σ_(j∈Ω_i) v_j², max_j Σ_(i∈Ω_j) u_i², d1·d2} of the surrogate's top
     * singular pair over the training residuals, one pass over the blocks (v broadcast, u from the
     * driver's factor or the blocks' spectral rows; the column masses summed by treeAggregate).
     */
    static double[] topPairOnOmega(JavaSparkContext sc, Prepared prep) {
        int d2 = prep.d2();
        double[] v = new double[d2];
        for (int j = 0; j < d2; j++) {
            v[j] = prep.vt().get(0, j);
        }
        Broadcast<double[]> bv = sc.broadcast(v);
        // acc: [0] Σ u²v², [1] Σ u·v·r, [2] max row mass, [3..3+d2) column masses
        double[] acc;
        if (prep.uDriver() != null) {
            double[] u = new double[prep.d1()];
            for (int i = 0; i < u.length; i++) {
                u[i] = prep.uDriver().get(i, 0);
            }
            Broadcast<double[]> bu = sc.broadcast(u);
            acc = prep.blocks().values().treeAggregate(new double[3 + d2], (a, b) -> {
                double[] uu = bu.value();
                double[] q = new double[b.users.length];
                for (int r = 0; r < q.length; r++) {
                    q[r] = uu[b.users[r]];
                }
                return topPairOfBlock(a, b, q, 1, bv.value());
            }, SparkFit::mergeTopPair, 2);
            bu.destroy();
        } else {
            int kSpec = prep.vt().rows();
            acc = prep.blocks().join(prep.uSpectral()).values().treeAggregate(new double[3 + d2],
                    (a, t) -> topPairOfBlock(a, t._1, t._2, kSpec, bv.value()), SparkFit::mergeTopPair, 2);
        }
        bv.destroy();
        double colMax = 0.0;
        for (int j = 0; j < d2; j++) {
            colMax = Math.max(colMax, acc[3 + j]);
        }
        return new double[] {acc[0], acc[1], acc[2], colMax, prep.d1() * (double) d2};
    }

    /** Adds one block's sums into {@code acc}: u_q = rows[q·stride] for the block's q-th user. */
    static double[] topPairOfBlock(double[] acc, UserBlock b, double[] rows, int stride, double[] v) {
        for (int q = 0; q < b.users.length; q++) {
            double ui = rows[q * stride];
            double ui2 = ui * ui;
            double row = 0.0;
            for (int e = b.trainPtr[q]; e < b.trainPtr[q + 1]; e++) {
                int j = b.items[b.trainItem[e]];
                double vj = v[j];
                row += vj * vj;
                acc[3 + j] += ui2;
                acc[1] += ui * vj * b.trainResidual[e];
            }
            acc[0] += ui2 * row;
            acc[2] = Math.max(acc[2], row);
        }
        return acc;
    }

    static double[] mergeTopPair(double[] a, double[] b) {
        a[0] += b[0];
        a[1] += b[1];
        a[2] = Math.max(a[2], b[2]);
        for (int q = 3; q < a.length; q++) {
            a[q] += b[q];
        }
        return a;
    }

    /** b_u = Σ_i (r − μ − b_i)/(n_u + λ) of the block's rows. */
    static double[] userBiases(UserBlock b, double mu, double[] bi, double lambda) {
        double[] bu = new double[b.users.length];
        for (int q = 0; q < b.users.length; q++) {
            double s = 0.0;
            int cnt = b.trainPtr[q + 1] - b.trainPtr[q];
            for (int e = b.trainPtr[q]; e < b.trainPtr[q + 1]; e++) {
                s += b.trainRating[e] - mu - bi[b.items[b.trainItem[e]]];
            }
            bu[q] = cnt + lambda > 0 ? s / (cnt + lambda) : 0.0;
        }
        return bu;
    }

    static double[] addInto(double[] a, double[] b) {
        for (int q = 0; q < a.length; q++) {
            a[q] += b[q];
        }
        return a;
    }

    static String g(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return String.valueOf(v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** The gradient-descent loop on the driver; mirrors the library's Trainer and ValidationMonitor. */
    private static final class Loop {
        final JavaSparkContext sc;
        final JavaPairRDD<Integer, UserBlock> blocks;
        JavaPairRDD<Integer, double[]> u;
        Matrix w1;
        final Matrix[] inner;
        final int d1;
        final int d2;
        final int k;
        final int depth;
        final long n;
        final double eta;
        final FitConfig c;
        final double lo;
        final double hi;
        final boolean outBlocks;
        final LinearAlgebra la;
        final FitProgress progress;
        final List<FitPoint> points = new ArrayList<>();
        final FitHooks hooks;
        final String identity;
        double best = Double.POSITIVE_INFINITY;
        long bestStep = -1;
        // the loop's state between steps (what a checkpoint holds)
        long step;
        int stale;
        double initialLoss = Double.NaN;
        long lastEvaluated = -1;
        JavaPairRDD<Integer, double[]> bestU;
        Matrix bestW1;
        Matrix[] bestInner;
        JavaPairRDD<Integer, ItemPiece> bestItems;
        long finalStep;
        double seconds;
        StopReason reason;
        String message;
        Matrix chosenU;
        Matrix chosenV;
        // out-block state
        HashPartitioner itemPart;
        JavaPairRDD<Integer, ItemPiece> itemRows;
        JavaPairRDD<Integer, List<Tuple2<Integer, int[]>>> outLinks;

        Loop(JavaSparkContext sc, JavaPairRDD<Integer, UserBlock> blocks, JavaPairRDD<Integer, double[]> u, Matrix w1,
             Matrix[] inner, int d1, int d2, int k, int depth, long n, double eta, FitConfig c, double lo, double hi,
             boolean outBlocks, LinearAlgebra la, FitHooks hooks, String identity) {
            this.sc = sc;
            this.blocks = blocks;
            this.u = u;
            this.w1 = w1;
            this.inner = inner;
            this.d1 = d1;
            this.d2 = d2;
            this.k = k;
            this.depth = depth;
            this.n = n;
            this.eta = eta;
            this.c = c;
            this.lo = lo;
            this.hi = hi;
            this.outBlocks = outBlocks;
            this.la = la;
            this.progress = hooks.progress();
            this.hooks = hooks;
            this.identity = identity;
        }

        /** Drops the cached factors of a failed run, but {@code keep} (the initial user rows). */
        void releaseAfterFailure(JavaPairRDD<Integer, double[]> keep) {
            for (JavaPairRDD<?, ?> r : java.util.Arrays.asList(u, bestU, itemRows, bestItems)) {
                if (r != null && r != keep) {
                    r.unpersist(false);
                }
            }
        }

        /** M = W_(L−1)·…·W_2 (identity for depth 2). */
        Matrix innerProduct(Matrix[] layers, int from, int to) {
            Matrix m = Matrix.identity(k);
            for (int l = from; l <= to; l++) {
                m = la.multiply(layers[l], m);
            }
            return m;
        }

        void run() {
            String phase = sc.getLocalProperty(TaskTimeListener.PHASE);
            sc.setLocalProperty(TaskTimeListener.PHASE, TaskTimeListener.STEP);
            try {
                runSteps();
            } finally {
                sc.setLocalProperty(TaskTimeListener.PHASE, phase);
            }
        }

        void runSteps() {
            ensureCheckpointDir(sc);
            double[] rates = LayerRates.discrepant(depth, c.alpha());
            double rateW1 = eta * rates[0];
            double rateU = eta * rates[depth - 1];
            double invN = 1.0 / n;
            Path ckptFile = hooks.checkpointDir() == null ? null
                    : SparkCheckpoint.file(hooks.checkpointDir(), identity, k);
            long t0 = System.nanoTime();
            if (ckptFile != null && hooks.resume() && Files.exists(ckptFile)) {
                SparkCheckpoint ck = SparkCheckpoint.load(ckptFile);
                if (!ck.identity().equals(identity) || ck.k() != k || ck.d1() != d1 || ck.d2() != d2
                        || ck.inner().length != inner.length) {
                    throw new IllegalArgumentException("the checkpoint " + ckptFile + " belongs to another fit (other "
                            + "data or settings); delete it to fit afresh, or fit without resuming");
                }
                if (restore(ck)) {
                    LOG.info("the fit of r̂ = {} had ended at step {}; its result is read from {}", k, finalStep,
                            ckptFile);
                    return;
                }
                t0 = System.nanoTime() - (long) (ck.seconds() * 1e9);
                LOG.info("resuming the fit of r̂ = {} at step {} from {}", k, step, ckptFile);
            }
            long firstStep = step;
            LOG.info("c-dln r̂ = {}: the user blocks' sweep runs the {} kernel (in this JVM; an executor without the "
                    + "vector module runs the scalar one)", k, FusedSweep.forWidth(k).kernelName());
            if (outBlocks) {
                setUpOutBlocks();
                if (bestW1 != null) {
                    bestItems = itemPieces(bestW1);
                }
            }
            JavaPairRDD<Integer, StepKernel.StepOut> prevPass = null;
            JavaPairRDD<Integer, double[]> prevU = null;
            JavaPairRDD<Integer, ItemPiece> prevItems = null;
            TrainingContext context = new TrainingContext("c-dln spark r̂=" + k, c, null, null, null, firstStep,
                    c.maxSteps(), 1, eta, c.alpha(), points);
            for (TrainingListener l : hooks.listeners()) {
                l.onStart(context);
            }
            long lastSave = System.nanoTime();
            try {
            while (true) {
                Matrix m = innerProduct(inner, 0, inner.length - 1);
                double[] md = m.data();
                int kk = k;
                double l0 = lo;
                double h0 = hi;
                JavaPairRDD<Integer, StepKernel.StepOut> pass;
                Broadcast<double[]> bw = null;
                Broadcast<double[]> bm = sc.broadcast(md);
                if (!outBlocks) {
                    bw = sc.broadcast(w1.data());
                    Broadcast<double[]> bw1 = bw;
                    pass = blocks.join(u).mapValues(t -> StepKernel.step(t._1, t._2,
                            StepKernel.gather(t._1.items, bw1.value(), kk), bm.value(), kk, invN, rateU, l0, h0));
                } else {
                    pass = outBlockPass(bm, invN, rateU);
                }
                pass = pass.persist(StorageLevel.MEMORY_AND_DISK());
                StepKernel.Sum sum = pass.values().treeAggregate(new StepKernel.Sum(d2, k, !outBlocks),
                        StepKernel.Sum::add, StepKernel.Sum::merge, 2).allocate();
                if (bw != null) {
                    bw.unpersist(false);
                }
                if (prevPass != null) {
                    prevPass.unpersist(false);
                }
                if (prevU != null && prevU != bestU) {
                    prevU.unpersist(false);
                }
                if (prevItems != null && prevItems != bestItems) {
                    prevItems.unpersist(false);
                }
                double loss = 0.5 * sum.sumSquares * invN;
                // the library's DivergenceGuard
                if (Double.isNaN(initialLoss)) {
                    initialLoss = loss;
                }
                if (!Double.isFinite(loss) || (initialLoss > 0 && loss > TrainerConfig.DEFAULT_DIVERGENCE_FACTOR
                        * initialLoss)) {
                    throw new DivergenceException("training of the c-dln network diverged at step " + step
                            + ": train loss became " + loss + ", with step size η = " + g(eta) + " and α = "
                            + g(c.alpha()), "lower the step size, e.g. η = " + g(eta / 2) + ", or α", step, loss,
                            eta, c.alpha());
                }
                boolean converged = loss < c.tolerance();
                boolean budget = step >= c.maxSteps();
                boolean requested = false;
                boolean last = converged || budget;
                if ((step % c.evalEvery() == 0 || last) && step != lastEvaluated) {
                    lastEvaluated = step;
                    double secs = (System.nanoTime() - t0) * 1e-9;
                    double rmse = sum.valCount == 0 ? Double.NaN : Math.sqrt(sum.valSquares / sum.valCount);
                    double mae = sum.valCount == 0 ? Double.NaN : sum.valAbs / sum.valCount;
                    FitPoint pt = new FitPoint(step, secs, loss, rmse, mae);
                    points.add(pt);
                    if (sum.valCount == 0) {
                        bestU = u;
                        bestW1 = w1.copy();
                        bestInner = copies(inner);
                        bestItems = itemRows;
                    } else if (rmse < best * (1.0 - LibrarySettings.MIN_IMPROVEMENT)) {
                        if (bestU != null && bestU != u) {
                            bestU.unpersist(false);
                        }
                        if (bestItems != null && bestItems != itemRows) {
                            bestItems.unpersist(false);
                        }
                        best = rmse;
                        bestStep = step;
                        bestU = u;
                        bestW1 = w1.copy();
                        bestInner = copies(inner);
                        bestItems = itemRows;
                        stale = 0;
                    } else if (c.patience() > 0 && ++stale >= c.patience() && step >= 2 * bestStep) {
                        requested = true;
                        reason = StopReason.EARLY_STOPPED;
                        message = "validation RMSE did not improve for " + stale + " evaluations (best "
                                + String.format(Locale.ROOT, "%.4f", best) + " at step " + bestStep + ")";
                    }
                    if (!requested && c.timeLimitSeconds() > 0 && secs >= c.timeLimitSeconds()) {
                        requested = true;
                        reason = StopReason.TIME_LIMIT;
                        message = "time limit of " + g(c.timeLimitSeconds()) + " s reached at step " + step;
                    }
                    if (progress != null) {
                        progress.onEvaluation(pt, c.maxSteps());
                    }
                    for (TrainingListener l : hooks.listeners()) {
                        l.onEvaluation(pt, context);
                    }
                    LOG.info("step {} train loss {} validation RMSE {} ({} s)", step, loss, rmse, secs);
                    last = last || requested;
                }
                if (last) {
                    if (converged) {
                        reason = StopReason.CONVERGED;
                        message = "training loss " + g(loss) + " < tolerance " + g(c.tolerance()) + " after " + step
                                + " steps";
                    } else if (!requested) {
                        reason = StopReason.BUDGET;
                        message = "step budget of " + c.maxSteps() + " used up";
                    }
                    pass.unpersist(false);
                    break;
                }
                // the update, every layer from the gradients at the same iterate
                Matrix[] gradInner = new Matrix[inner.length];
                if (inner.length > 0) {
                    Matrix h = Matrix.wrap(k, k, sum.h.clone());
                    for (int l = 0; l < inner.length; l++) {
                        Matrix a = innerProduct(inner, l + 1, inner.length - 1);
                        Matrix b = innerProduct(inner, 0, l - 1);
                        gradInner[l] = la.multiply(true, a, false, la.multiply(false, h, true, b));
                    }
                }
                double rateInner = inner.length > 0 ? eta * rates[1] : 0.0;
                if (!outBlocks) {
                    double[] w = w1.data();
                    for (int q = 0; q < w.length; q++) {
                        w[q] -= rateW1 * sum.gradW1[q];
                    }
                } else {
                    prevItems = itemRows;
                    itemRows = updateItems(pass, rateW1);
                }
                for (int l = 0; l < inner.length; l++) {
                    double[] wl = inner[l].data();
                    double[] gl = gradInner[l].data();
                    for (int q = 0; q < wl.length; q++) {
                        wl[q] -= rateInner * gl[q];
                    }
                }
                prevU = u;
                prevPass = pass;
                u = pass.mapValues(o -> o.newU).persist(StorageLevel.MEMORY_AND_DISK());
                step++;
                if (step % c.checkpointInterval() == 0) {
                    u.checkpoint();
                    if (outBlocks) {
                        itemRows.checkpoint();
                    }
                }
                for (TrainingListener l : hooks.listeners()) {
                    l.onStep(step, loss, context);
                }
                if (ckptFile != null && (System.nanoTime() - lastSave) * 1e-9 >= hooks.checkpointSeconds()) {
                    save(ckptFile, false, (System.nanoTime() - t0) * 1e-9);
                    lastSave = System.nanoTime();
                }
            }
            } catch (RuntimeException e) {
                for (TrainingListener l : hooks.listeners()) {
                    l.onFailure(e, context);
                }
                throw e;
            }
            seconds = (System.nanoTime() - t0) * 1e-9;
            sc.setLocalProperty(TaskTimeListener.PHASE, "collect");
            finalStep = step;
            if (bestU == null) {
                bestU = u;
                bestW1 = w1;
                bestInner = inner;
                bestItems = itemRows;
            }
            if (outBlocks) {
                bestW1 = collectItems(bestItems);
            }
            chosenU = DistributedSvd.collectRows(blocks, bestU, d1, k);
            Matrix v = bestW1.copy();
            for (Matrix layer : bestInner) {
                v = la.multiply(layer, v);
            }
            chosenV = v;
            if (ckptFile != null) {
                save(ckptFile, true, seconds);
            }
            SparkTrainingResult result = new SparkTrainingResult("c-dln spark r̂=" + k, finalStep, seconds, reason,
                    message, List.copyOf(points), new Provenance<>(org.cdln.Version.get(), la.description(),
                    sc.defaultParallelism(), System.getProperty("java.version"), java.time.Instant.now(), c,
                    "spectral initialisation of width " + k, d1 + "×" + d2 + " ratings on Spark", firstStep));
            for (TrainingListener l : hooks.listeners()) {
                l.onEnd(result);
            }
        }

        /** Rows (row-major d1×k) of the user side in the blocks' partitions. */
        JavaPairRDD<Integer, double[]> distribute(double[] rowMajor) {
            Broadcast<double[]> b = sc.broadcast(rowMajor);
            int kk = k;
            return blocks.mapValues(bl -> {
                double[] all = b.value();
                double[] out = new double[bl.users.length * kk];
                for (int q = 0; q < bl.users.length; q++) {
                    System.arraycopy(all, bl.users[q] * kk, out, q * kk, kk);
                }
                return out;
            }).persist(StorageLevel.MEMORY_AND_DISK());
        }

        /** The loop's state from a checkpoint; true when that fit had ended (its result is then set). */
        boolean restore(SparkCheckpoint ck) {
            best = ck.best();
            bestStep = ck.bestStep();
            stale = ck.stale();
            initialLoss = ck.initialLoss();
            lastEvaluated = ck.lastEvaluated();
            points.clear();
            points.addAll(ck.points());
            step = ck.step();
            if (ck.bestU() != null) {
                bestW1 = Matrix.wrap(k, d2, ck.bestW1().clone());
                bestInner = new Matrix[inner.length];
                for (int l = 0; l < inner.length; l++) {
                    bestInner[l] = Matrix.wrap(k, k, ck.bestInner()[l].clone());
                }
            }
            if (ck.done()) {
                reason = StopReason.valueOf(ck.reason());
                message = ck.message();
                finalStep = ck.finalStep();
                seconds = ck.seconds();
                chosenU = Matrix.wrap(k, d1, ck.bestU().clone()).transpose();
                Matrix v = bestW1.copy();
                for (Matrix layer : bestInner) {
                    v = la.multiply(layer, v);
                }
                chosenV = v;
                return true;
            }
            u.unpersist(false);
            u = distribute(ck.u());
            w1 = Matrix.wrap(k, d2, ck.w1().clone());
            for (int l = 0; l < inner.length; l++) {
                System.arraycopy(ck.inner()[l], 0, inner[l].data(), 0, k * k);
            }
            if (ck.bestU() != null) {
                bestU = distribute(ck.bestU());
            }
            return false;
        }

        /** Writes the loop's state (the iterate of the next step, the best so far) to {@code file}. */
        void save(Path file, boolean done, double secs) {
            double[] uRows = done ? new double[d1 * k] : DistributedSvd.collectRows(blocks, u, d1, k).transpose().data();
            Matrix w = outBlocks && !done ? collectItems(itemRows) : w1;
            double[][] in = new double[inner.length][];
            for (int l = 0; l < inner.length; l++) {
                in[l] = inner[l].data().clone();
            }
            double[] bu = null;
            double[] bw = null;
            double[][] bi = null;
            if (bestU != null) {
                bu = done ? chosenU.transpose().data() : DistributedSvd.collectRows(blocks, bestU, d1, k).transpose().data();
                bw = (outBlocks && !done ? collectItems(bestItems) : bestW1).data();
                bi = new double[inner.length][];
                for (int l = 0; l < inner.length; l++) {
                    bi[l] = bestInner[l].data();
                }
            }
            new SparkCheckpoint(identity, k, d1, d2, step, secs, uRows, w.data(), in, best, bestStep, stale, initialLoss,
                    lastEvaluated, bu, bw, bi, List.copyOf(points), done, reason == null ? "" : reason.name(),
                    message, finalStep).save(file);
        }

        static Matrix[] copies(Matrix[] ms) {
            Matrix[] out = new Matrix[ms.length];
            for (int l = 0; l < ms.length; l++) {
                out[l] = ms[l].copy();
            }
            return out;
        }

        void setUpOutBlocks() {
            int nbi = c.itemBlocks();
            itemPart = new HashPartitioner(nbi);
            itemRows = itemPieces(w1);
            outLinks = blocks.flatMapToPair(t -> {
                Map<Integer, List<Integer>> byBlock = new HashMap<>();
                for (int item : t._2.items) {
                    byBlock.computeIfAbsent(item % nbi, x -> new ArrayList<>()).add(item);
                }
                List<Tuple2<Integer, Tuple2<Integer, int[]>>> out = new ArrayList<>();
                for (Map.Entry<Integer, List<Integer>> e : byBlock.entrySet()) {
                    out.add(new Tuple2<>(e.getKey(), new Tuple2<>(t._1,
                            e.getValue().stream().mapToInt(Integer::intValue).toArray())));
                }
                return out.iterator();
            }).groupByKey(itemPart).mapValues(it -> {
                List<Tuple2<Integer, int[]>> l = new ArrayList<>();
                it.forEach(l::add);
                return l;
            }).persist(StorageLevel.MEMORY_AND_DISK());
        }

        /** W (k×d2) cut into the item blocks' pieces, partitioned by item block. */
        JavaPairRDD<Integer, ItemPiece> itemPieces(Matrix wm) {
            int nbi = c.itemBlocks();
            int kk = k;
            List<Tuple2<Integer, ItemPiece>> pieces = new ArrayList<>();
            double[] w = wm.data();
            for (int j = 0; j < Math.min(nbi, d2); j++) {
                int cnt = (d2 - j + nbi - 1) / nbi;
                int[] items = new int[cnt];
                double[] rows = new double[cnt * kk];
                for (int q = 0; q < cnt; q++) {
                    items[q] = j + q * nbi;
                    System.arraycopy(w, items[q] * kk, rows, q * kk, kk);
                }
                pieces.add(new Tuple2<>(j, new ItemPiece(items, rows)));
            }
            return sc.parallelizePairs(pieces, nbi).partitionBy(itemPart).persist(StorageLevel.MEMORY_AND_DISK());
        }

        /** Each user block receives exactly the item rows it needs, from the item blocks that hold them. */
        JavaPairRDD<Integer, StepKernel.StepOut> outBlockPass(Broadcast<double[]> bm, double invN, double rateU) {
            int nbi = c.itemBlocks();
            int kk = k;
            double l0 = lo;
            double h0 = hi;
            HashPartitioner up = new HashPartitioner(c.numBlocks());
            JavaPairRDD<Integer, Iterable<ItemPiece>> incoming = itemRows.join(outLinks).flatMapToPair(t -> {
                ItemPiece src = t._2._1;
                List<Tuple2<Integer, ItemPiece>> out = new ArrayList<>();
                for (Tuple2<Integer, int[]> link : t._2._2) {
                    int[] items = link._2;
                    double[] rows = new double[items.length * kk];
                    for (int q = 0; q < items.length; q++) {
                        System.arraycopy(src.rows(), (items[q] / nbi) * kk, rows, q * kk, kk);
                    }
                    out.add(new Tuple2<>(link._1, new ItemPiece(items, rows)));
                }
                return out.iterator();
            }).groupByKey(up);
            return blocks.join(u).leftOuterJoin(incoming).mapValues(t -> {
                UserBlock b = t._1._1;
                double[] w = new double[b.items.length * kk];
                Optional<Iterable<ItemPiece>> in = t._2;
                if (in.isPresent()) {
                    for (ItemPiece piece : in.get()) {
                        for (int q = 0; q < piece.items().length; q++) {
                            int local = Arrays.binarySearch(b.items, piece.items()[q]);
                            System.arraycopy(piece.rows(), q * kk, w, local * kk, kk);
                        }
                    }
                }
                return StepKernel.step(b, t._1._2, w, bm.value(), kk, invN, rateU, l0, h0);
            });
        }

        /** W1 ← W1 − η·α·∂W1 with ∂W1 reduced by item block. */
        JavaPairRDD<Integer, ItemPiece> updateItems(JavaPairRDD<Integer, StepKernel.StepOut> pass, double rate) {
            int nbi = c.itemBlocks();
            int kk = k;
            int dd2 = d2;
            JavaPairRDD<Integer, double[]> grads = pass.values().flatMapToPair(o -> {
                Map<Integer, List<Integer>> byBlock = new HashMap<>();
                for (int j = 0; j < o.items.length; j++) {
                    byBlock.computeIfAbsent(o.items[j] % nbi, x -> new ArrayList<>()).add(j);
                }
                List<Tuple2<Integer, double[]>> out = new ArrayList<>();
                for (Map.Entry<Integer, List<Integer>> e : byBlock.entrySet()) {
                    int blk = e.getKey();
                    int cnt = (dd2 - blk + nbi - 1) / nbi;
                    double[] dense = new double[cnt * kk];
                    for (int j : e.getValue()) {
                        int local = o.items[j] / nbi;
                        for (int cc = 0; cc < kk; cc++) {
                            dense[local * kk + cc] += o.itemShare[j * kk + cc];
                        }
                    }
                    out.add(new Tuple2<>(blk, dense));
                }
                return out.iterator();
            }).reduceByKey(itemPart, SparkFit::addInto);
            return itemRows.leftOuterJoin(grads).mapValues(t -> {
                double[] rows = t._1.rows().clone();
                if (t._2.isPresent()) {
                    double[] gr = t._2.get();
                    for (int q = 0; q < rows.length; q++) {
                        rows[q] -= rate * gr[q];
                    }
                }
                return new ItemPiece(t._1.items(), rows);
            }).persist(StorageLevel.MEMORY_AND_DISK());
        }

        Matrix collectItems(JavaPairRDD<Integer, ItemPiece> rows) {
            Matrix w = new Matrix(k, d2);
            double[] wd = w.data();
            for (ItemPiece piece : rows.values().collect()) {
                for (int q = 0; q < piece.items().length; q++) {
                    System.arraycopy(piece.rows(), q * k, wd, piece.items()[q] * k, k);
                }
            }
            return w;
        }
    }

    /**
     * Long iterative lineages overflow the stack unless they are checkpointed: when the context
     * has no checkpoint directory, one is made under the temporary directory (and logged), never
     * skipped.
     */
    static void ensureCheckpointDir(JavaSparkContext sc) {
        if (sc.getCheckpointDir().isPresent()) {
            return;
        }
        try {
            java.nio.file.Path dir = Files.createTempDirectory("cdln-spark-checkpoints-");
            deleteWhenTheJvmExits(dir);
            sc.setCheckpointDir(dir.toString());
            LOG.warn("no Spark checkpoint directory was set; checkpointing the fit's lineage under {} (set one with "
                    + "SparkContext.setCheckpointDir on a cluster)", dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a checkpoint directory under java.io.tmpdir; set one with "
                    + "SparkContext.setCheckpointDir", e);
        }
    }

    /**
     * Removes the directory made by {@link #ensureCheckpointDir} and everything Spark wrote into it
     * when the JVM exits ({@code File.deleteOnExit} would not: it only deletes empty directories,
     * and Spark writes a subdirectory per context), so that fits do not leave their lineage
     * checkpoints behind in the temporary directory.
     */
    private static void deleteWhenTheJvmExits(java.nio.file.Path dir) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (java.util.stream.Stream<java.nio.file.Path> paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // best effort at exit: what is left is in the temporary directory
            }
        }, "cdln-checkpoint-cleanup"));
    }
}
