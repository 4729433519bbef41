package org.cdln.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cdln.data.Ratings;
import org.cdln.data.Splits;
import org.cdln.recommend.CompletionModel;

/**
 * The library's {@code fit(Ratings)} run on Spark, for the CLI: the same seeded validation split
 * ({@link Splits#random}), the ratings as a DataFrame with a validation column, the estimator with
 * the library's settings, and a library model whose seen items are all the given ratings, as the
 * library's fit makes it. Predictions equal the single-machine fit's up to rounding (ids are
 * ordered differently, so sums run in another order).
 */
public final class SparkEngine {
    private SparkEngine() {
    }

    /** A session for the CLI: the given master, UI off, a local driver bound to 127.0.0.1. */
    public static SparkSession session(String master, String appName) {
        SparkSession.Builder b = SparkSession.builder().master(master).appName(appName)
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                // the checkpoints of an iterative fit are removed when their RDDs are collected
                .config("spark.cleaner.referenceTracking.cleanCheckpoints", "true");
        SparkSession s = b.getOrCreate();
        s.sparkContext().setLogLevel("WARN");
        return s;
    }

    /** The ratings (and a validation flag per rating) as a DataFrame with string ids. */
    public static Dataset<Row> frame(SparkSession spark, Ratings train, Ratings validation) {
        List<Row> rows = new ArrayList<>(train.size() + validation.size());
        for (Ratings r : List.of(train, validation)) {
            boolean val = r == validation;
            for (int k = 0; k < r.size(); k++) {
                rows.add(RowFactory.create(r.users().id(r.userIndex(k)), r.items().id(r.itemIndex(k)), r.rating(k), val));
            }
        }
        StructType schema = new StructType().add("user", DataTypes.StringType, false)
                .add("item", DataTypes.StringType, false).add("rating", DataTypes.DoubleType, false)
                .add("validation", DataTypes.BooleanType, false);
        return spark.createDataFrame(rows, schema);
    }

    /**
     * Fits the C-DLN with the library's settings on Spark.
     *
     * @param numBlocks user blocks, 0 for the default parallelism
     */
    public static CompletionModel fit(SparkSession spark, Ratings ratings, org.cdln.settings.Settings settings,
                                      int numBlocks, FitProgress progress) {
        return fit(spark, ratings, settings, numBlocks, progress, List.of(), null, false);
    }

    /**
     * The same with the library's training listeners (e.g. the CLI's progress bar) and resumable
     * checkpoints in {@code checkpointDir} (null: none; see {@link DeepMatrixCompletion#setCheckpoints}).
     */
    public static CompletionModel fit(SparkSession spark, Ratings ratings, org.cdln.settings.Settings settings,
                                      int numBlocks, FitProgress progress,
                                      List<org.cdln.train.TrainingListener> listeners,
                                      java.nio.file.Path checkpointDir, boolean resume) {
        LibrarySettings.View s = LibrarySettings.View.of(settings);
        if (s.network() != org.cdln.recommend.DeepMatrixCompletion.Network.COMPRESSED
                || s.optimizer() != org.cdln.optim.OptimizerConfig.Kind.GD) {
            throw new IllegalArgumentException("the Spark engine fits the compressed network (c-dln) with gradient "
                    + "descent; drop the model or optimizer setting, or use the local engine");
        }
        Ratings train = ratings;
        Ratings validation = ratings.subset(new int[0], "no validation");
        if (s.validationFraction() > 0) {
            Splits.Split split = Splits.random(ratings, s.validationFraction(), s.seed());
            train = split.train();
            validation = split.test();
        }
        DeepMatrixCompletion est = new DeepMatrixCompletion().setDepth(s.depth()).setRankHat(s.rankHat())
                .setEps(s.eps()).setStepSize(s.stepSize()).setAlpha(s.alpha()).setMaxSteps(s.maxSteps())
                .setTolerance(s.tolerance()).setEvalEvery(s.evalEvery()).setPatience(s.patience())
                .setCentering(s.centering().name().toLowerCase()).setBiasDamping(s.biasDamping()).setClip(s.clip())
                .setSeed(s.seed()).setTimeLimit(s.timeLimitSeconds()).setValidationCol("validation")
                .setNumBlocks(numBlocks).setProgress(progress).setListeners(listeners)
                .setCheckpoints(checkpointDir, resume, CHECKPOINT_SECONDS);
        CompletionModel m = est.fit(frame(spark, train, validation)).toCompletionModel();
        return withSeen(m, ratings);
    }

    /**
     * {@link #fit} in a session of its own on {@code master} (stopped at the end), for callers
     * without Spark on their compile classpath (the CLI).
     */
    public static CompletionModel fitOn(String master, Ratings ratings,
                                        org.cdln.settings.Settings s, int numBlocks,
                                        FitProgress progress, java.io.PrintWriter out) {
        return fitOn(master, ratings, s, numBlocks, progress, List.of(), null, false, out);
    }

    /** {@link #fitOn} with listeners and resumable checkpoints. */
    public static CompletionModel fitOn(String master, Ratings ratings, org.cdln.settings.Settings s, int numBlocks,
                                        FitProgress progress, List<org.cdln.train.TrainingListener> listeners,
                                        java.nio.file.Path checkpointDir, boolean resume, java.io.PrintWriter out) {
        SparkSession spark = session(master, "cdln complete");
        try {
            out.printf(java.util.Locale.ROOT, "spark %s, master %s, default parallelism %d%n", spark.version(), master,
                    spark.sparkContext().defaultParallelism());
            out.flush();
            return fit(spark, ratings, s, numBlocks, progress, listeners, checkpointDir, resume);
        } finally {
            spark.stop();
        }
    }

    /** Seconds of training between two resumable checkpoints (as the local engine's). */
    public static final double CHECKPOINT_SECONDS = 30.0;

    /** The model with the seen items of every given rating (validation share included). */
    static CompletionModel withSeen(CompletionModel m, Ratings all) {
        int d1 = m.users().size();
        List<List<Integer>> per = new ArrayList<>(d1);
        for (int u = 0; u < d1; u++) {
            per.add(new ArrayList<>());
        }
        for (int k = 0; k < all.size(); k++) {
            int u = m.users().indexOf(all.users().id(all.userIndex(k)));
            int i = m.items().indexOf(all.items().id(all.itemIndex(k)));
            if (u >= 0 && i >= 0) {
                per.get(u).add(i);
            }
        }
        int[] ptr = new int[d1 + 1];
        for (int u = 0; u < d1; u++) {
            ptr[u + 1] = ptr[u] + per.get(u).size();
        }
        int[] items = new int[ptr[d1]];
        for (int u = 0; u < d1; u++) {
            int[] row = per.get(u).stream().mapToInt(Integer::intValue).toArray();
            Arrays.sort(row);
            System.arraycopy(row, 0, items, ptr[u], row.length);
        }
        return CompletionModel.of(m.kind(), m.users(), m.items(), m.baseline(), m.userFactors(), m.itemFactors(),
                m.clipMin(), m.clipMax(), ptr, items, m.settings(), m.trajectory());
    }
}
