package org.cdln.spark;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cdln.data.Ratings;
import org.cdln.data.Splits;
import org.cdln.linalg.Rng;
import org.cdln.recommend.CompletionModel;

import static org.apache.spark.sql.functions.col;

/**
 * Side by side with Spark's ALS, in one session on one master: for each data set, ALS (rank and
 * regParam chosen on a validation share of the training ratings, maxIter 20) and the C-DLN (early
 * stopping on the same validation share), each fitted on the rest of the training ratings; test
 * RMSE and MAE on the test ratings whose user and item both models know, fit seconds, the C-DLN's
 * seconds per step and step of the best validation error, and the JVM's peak heap (driver and
 * executors share it in local mode).
 */
public final class SparkBench {
    private final SparkSession spark;
    private final PrintWriter out;
    private final int[] alsRanks;
    private final double[] alsRegs;
    private final DeepMatrixCompletion cdln;
    private final double validationFraction;
    private final long seed;
    private final TaskTimeListener tasks = new TaskTimeListener();
    /** Which models run: "als", "c-dln" or both. */
    private java.util.Set<String> models = java.util.Set.of("als", "c-dln");

    /** Runs only the given models ("als", "c-dln"). */
    public SparkBench models(java.util.Set<String> m) {
        models = java.util.Set.copyOf(m);
        return this;
    }

    public SparkBench(SparkSession spark, PrintWriter out, int[] alsRanks, double[] alsRegs, DeepMatrixCompletion cdln,
                      double validationFraction, long seed) {
        this.spark = spark;
        this.out = out;
        this.alsRanks = alsRanks.clone();
        this.alsRegs = alsRegs.clone();
        this.cdln = cdln;
        this.validationFraction = validationFraction;
        this.seed = seed;
        spark.sparkContext().addSparkListener(tasks);
        // ALS honours its checkpointInterval (10) only with a checkpoint directory; without one its
        // 20 iterations' lineage overflows the task threads' stacks on large data
        SparkFit.ensureCheckpointDir(JavaSparkContext.fromSparkContext(spark.sparkContext()));
    }

    /**
     * The whole comparison in a session of its own on {@code master} (for callers without Spark on
     * their compile classpath, the CLI): MovieLens splits of {@code data}, then the synthetic set
     * at {@code syntheticScale} (null: not run).
     *
     * @param rankHat the C-DLN's r̂, 0 for automatic
     */
    public static void run(String master, PrintWriter out, Path data, List<String> splits, Double syntheticScale,
                           int[] alsRanks, double[] alsRegs, int rankHat, Long maxSteps, Integer blocks,
                           double validationFraction, long seed) {
        run(master, out, data, splits, syntheticScale, alsRanks, alsRegs, rankHat, maxSteps, blocks, validationFraction,
                seed, java.util.Set.of("als", "c-dln"), 0.0);
    }

    /** {@link #run} of the given models only ("als", "c-dln"), the C-DLN with step size {@code stepSize} (0: auto). */
    public static void run(String master, PrintWriter out, Path data, List<String> splits, Double syntheticScale,
                           int[] alsRanks, double[] alsRegs, int rankHat, Long maxSteps, Integer blocks,
                           double validationFraction, long seed, java.util.Set<String> models, double stepSize) {
        SparkSession spark = SparkEngine.session(master, "cdln bench spark");
        try {
            out.printf(Locale.ROOT, "spark %s, master %s (default parallelism %d), java %s, %d cores visible%n",
                    spark.version(), master, spark.sparkContext().defaultParallelism(),
                    System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
            DeepMatrixCompletion est = new DeepMatrixCompletion().setSeed(seed).setRankHat(rankHat)
                    .setStepSize(stepSize);
            if (maxSteps != null) {
                est.setMaxSteps(maxSteps);
            }
            if (blocks != null) {
                est.setNumBlocks(blocks);
            }
            SparkBench bench = new SparkBench(spark, out, alsRanks, alsRegs, est, validationFraction, seed)
                    .models(models);
            if (!splits.isEmpty()) {
                List<Line> lines = bench.movieLens(data, splits);
                bench.summary(lines);
            }
            if (syntheticScale != null) {
                bench.synthetic(syntheticScale);
            }
        } finally {
            spark.stop();
        }
    }

    /** One model's result on one data set. */
    public record Line(String data, String model, String chosen, int testCount, double rmse, double mae,
                       double fitSeconds, String steps) {
    }

    /** MovieLens-100K GroupLens splits (u1…u5) from {@code dir}; returns ALS and C-DLN lines per split. */
    public List<Line> movieLens(Path dir, List<String> splits) {
        List<Line> lines = new ArrayList<>();
        for (String name : splits) {
            Splits.Split s = Splits.groupLens(dir, name);
            Splits.Split inner = Splits.random(s.train(), validationFraction, seed);
            Dataset<Row> fitTrain = frame(inner.train(), false);
            Dataset<Row> validation = frame(inner.test(), true);
            Dataset<Row> test = frame(s.test(), false);
            lines.addAll(compare(name, fitTrain, validation, test));
        }
        return lines;
    }

    /**
     * A synthetic ratings set of MovieLens-25M's shape times {@code scale} (162,541 users ×
     * 59,047 items, 25 million ratings at scale 1): r = 3.5 + b_u + b_i + a_u·b_i (rank 10) + noise,
     * with b_u ~ N(0, 0.3²), b_i ~ N(0, 0.4²), a_u·b_i of variance {@value Synthetic#INTERACTION_VARIANCE}
     * (about what matrix factorisation gains over the biases on MovieLens) and N(0, 0.5²) noise;
     * long-tailed (Zipf) item popularity and Pareto-distributed user activity, ratings rounded to
     * 0.5…5; 10 % of the ratings are the test set. Generated on the executors, seeded.
     */
    public List<Line> synthetic(double scale) {
        Dataset<Row> all = Synthetic.generate(spark, scale, seed).cache();
        Dataset<Row> test = all.filter(col("split").equalTo(2)).drop("split");
        Dataset<Row> fitTrain = all.filter(col("split").equalTo(0)).drop("split");
        Dataset<Row> validation = all.filter(col("split").equalTo(1)).drop("split");
        List<Line> l = compare(String.format(Locale.ROOT, "synthetic-25M×%s", SparkFit.g(scale)), fitTrain, validation,
                test);
        all.unpersist();
        return l;
    }

    private List<Line> compare(String name, Dataset<Row> fitTrain, Dataset<Row> validation, Dataset<Row> test) {
        fitTrain = fitTrain.cache();
        validation = validation.cache();
        long n = fitTrain.count();
        out.printf(Locale.ROOT, "%s: %,d training, %,d validation, %,d test ratings%n", name, n, validation.count(),
                test.count());
        out.flush();
        // the test rows both models can score: user and item seen in the training share
        Dataset<Row> known = test.join(fitTrain.select("user").distinct(), "user")
                .join(fitTrain.select("item").distinct(), "item").cache();
        int nKnown = (int) known.count();
        RegressionEvaluator rmse = new RegressionEvaluator().setMetricName("rmse").setLabelCol("rating");
        RegressionEvaluator mae = new RegressionEvaluator().setMetricName("mae").setLabelCol("rating");

        int slots = spark.sparkContext().defaultParallelism();
        List<Line> lines = new ArrayList<>();
        if (models.contains("c-dln")) {
            lines.add(cdln(name, fitTrain, validation, known, nKnown, rmse, mae, slots));
        }
        if (models.contains("als")) {
            lines.add(als(name, fitTrain, validation, known, nKnown, rmse, mae));
        }
        known.unpersist();
        fitTrain.unpersist();
        validation.unpersist();
        return lines;
    }

    private Line cdln(String name, Dataset<Row> fitTrain, Dataset<Row> validation, Dataset<Row> known, int nKnown,
                      RegressionEvaluator rmse, RegressionEvaluator mae, int slots) {
        out.printf(Locale.ROOT, "  load average before the C-DLN: %s%n", loadAverage());
        Dataset<Row> withVal = fitTrain.withColumn("validation", org.apache.spark.sql.functions.lit(false))
                .union(validation.withColumn("validation", org.apache.spark.sql.functions.lit(true)));
        resetPeakHeap();
        double run0 = tasks.runSeconds();
        double des0 = tasks.deserializeSeconds();
        double gc0 = tasks.gcSeconds();
        long tasks0 = tasks.tasks();
        long stages0 = tasks.stages();
        LoopClock clock = new LoopClock(out);
        long t1 = System.nanoTime();
        DeepMatrixCompletionModel m = cdln.copy(new org.apache.spark.ml.param.ParamMap()).setValidationCol("validation")
                .setProgress(clock).fit(withVal);
        double cdlnSeconds = (System.nanoTime() - t1) * 1e-9;
        double cdlnPeak = peakHeapMb();
        Dataset<Row> pred = m.transform(known);
        CompletionModel cm = m.toCompletionModel();
        java.util.Map<String, String> s = cm.settings();
        Line c = new Line(name, "c-dln", "r̂ " + s.get("rank_hat") + ", depth " + s.get("depth")
                + String.format(Locale.ROOT, " (val %.4f)", Double.parseDouble(s.get("best_validation_rmse"))), nKnown,
                rmse.evaluate(pred), mae.evaluate(pred), cdlnSeconds, s.get("steps") + " steps, best " + s.get("best_step")
                + ", " + String.format(Locale.ROOT, "%.3f", Double.parseDouble(s.get("seconds_per_step"))) + " s/step");
        print(c);
        out.printf(Locale.ROOT, "  c-dln r̂ rule: %s%n", s.get("rank_hat_rule"));
        out.printf(Locale.ROOT, "  c-dln step size η %s (%s), ε %s (%s)%n", s.get("step"), s.get("step_rule"),
                s.get("eps"), s.get("eps_rule"));
        out.printf(Locale.ROOT, "  c-dln setup %s s (blocks, centering, spectral init) of the chosen fit; %d steps in "
                + "all fits of the sweep, %.1f s in their loops%n", s.get("setup_seconds"), clock.totalSteps(),
                clock.totalSeconds());
        try {
            Thread.sleep(2000); // let the listener bus deliver the last task ends
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        double run = tasks.runSeconds() - run0;
        double wall = clock.totalSeconds();
        double compute = run / slots;
        out.printf(Locale.ROOT, "  c-dln step time split: %d stages, %d tasks; task run time %.1f s (GC %.1f s, "
                + "deserialisation %.1f s more) over %d slots = %.1f s of %.1f s loop wall: %.0f %% task compute, "
                + "%.0f %% scheduling, serialisation, broadcasts and driver updates%n", tasks.stages() - stages0,
                tasks.tasks() - tasks0, run, tasks.gcSeconds() - gc0, tasks.deserializeSeconds() - des0, slots,
                compute, wall, wall > 0 ? 100 * compute / wall : Double.NaN,
                wall > 0 ? 100 * (1 - compute / wall) : Double.NaN);
        out.printf(Locale.ROOT, "  c-dln peak heap %.0f MB (max heap %.0f MB; driver and executors: one JVM in local "
                + "mode); load average after the C-DLN: %s%n", cdlnPeak, Runtime.getRuntime().maxMemory() / 1048576.0,
                loadAverage());
        out.flush();
        return c;
    }

    private Line als(String name, Dataset<Row> fitTrain, Dataset<Row> validation, Dataset<Row> known, int nKnown,
                     RegressionEvaluator rmse, RegressionEvaluator mae) {
        out.printf(Locale.ROOT, "  load average before ALS: %s%n", loadAverage());
        resetPeakHeap();
        long t0 = System.nanoTime();
        double bestVal = Double.POSITIVE_INFINITY;
        ALSModel best = null;
        String chosen = "";
        for (int rank : alsRanks) {
            for (double reg : alsRegs) {
                long f0 = System.nanoTime();
                ALSModel am = new ALS().setUserCol("user").setItemCol("item").setRatingCol("rating").setRank(rank)
                        .setRegParam(reg).setMaxIter(ALS_ITERATIONS).setSeed(seed).setColdStartStrategy("drop")
                        .fit(fitTrain);
                double fitS = (System.nanoTime() - f0) * 1e-9;
                double v = rmse.evaluate(am.transform(validation));
                out.printf(Locale.ROOT, "    als rank %d reg %s: validation RMSE %.4f, fit %.1f s (%.2f s per iteration "
                        + "incl. setup), %.1f s with validation%n", rank, reg, v, fitS, fitS / ALS_ITERATIONS,
                        (System.nanoTime() - f0) * 1e-9);
                out.flush();
                if (v < bestVal) {
                    bestVal = v;
                    best = am;
                    chosen = "rank " + rank + ", reg " + reg;
                }
            }
        }
        double alsSeconds = (System.nanoTime() - t0) * 1e-9;
        double alsPeak = peakHeapMb();
        Dataset<Row> alsPred = best.setColdStartStrategy("nan").transform(known);
        Line als = new Line(name, "spark-als", chosen + String.format(Locale.ROOT, " (val %.4f; %d fits: rank %s × "
                + "regParam %s)", bestVal, alsRanks.length * alsRegs.length, Arrays.toString(alsRanks),
                Arrays.toString(alsRegs)), nKnown, rmse.evaluate(alsPred), mae.evaluate(alsPred), alsSeconds,
                ALS_ITERATIONS + " it");
        print(als);
        out.printf(Locale.ROOT, "  ALS peak heap %.0f MB; load average after ALS: %s%n", alsPeak, loadAverage());

        return als;
    }

    /** ALS's iterations (maxIter), as in the comparison's protocol. */
    static final int ALS_ITERATIONS = 20;

    /** Sums the loop seconds and steps of every fit of a sweep (a fit's evaluations restart at step 0). */
    static final class LoopClock implements FitProgress {
        private static final long serialVersionUID = 1L;
        private final transient PrintWriter out;
        private double done;
        private long doneSteps;
        private double current;
        private long currentStep = -1;
        private int evaluations;

        LoopClock(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void onEvaluation(org.cdln.recommend.FitPoint p, long maxSteps) {
            if (p.step() < currentStep) {
                done += current;
                doneSteps += currentStep;
            }
            current = p.seconds();
            currentStep = p.step();
            if (out != null && evaluations++ % 10 == 0) {
                out.printf(Locale.ROOT, "    c-dln step %d: train loss %.5f, validation RMSE %.4f, %.1f s%n", p.step(),
                        p.trainLoss(), p.validationRmse(), p.seconds());
                out.flush();
            }
        }

        double totalSeconds() {
            return done + current;
        }

        long totalSteps() {
            return doneSteps + Math.max(0, currentStep);
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException | RuntimeException e) {
            return "n/a";
        }
    }

    static void resetPeakHeap() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    private void print(Line l) {
        out.printf(Locale.ROOT, "  %-9s test RMSE %.4f  MAE %.4f  on %,d  fit %.1f s  [%s; %s]%n", l.model(), l.rmse(),
                l.mae(), l.testCount(), l.fitSeconds(), l.chosen(), l.steps());
        out.flush();
    }

    /** Mean and sample standard deviation per model over the data sets. */
    public void summary(List<Line> lines) {
        for (String model : List.of("spark-als", "c-dln")) {
            List<Line> l = lines.stream().filter(x -> x.model().equals(model)).toList();
            if (l.isEmpty()) {
                continue;
            }
            out.printf(Locale.ROOT, "%-9s over %d: test RMSE %s, MAE %s, fit %s s%n", model, l.size(),
                    meanSd(l.stream().mapToDouble(Line::rmse).toArray(), "%.4f"),
                    meanSd(l.stream().mapToDouble(Line::mae).toArray(), "%.4f"),
                    meanSd(l.stream().mapToDouble(Line::fitSeconds).toArray(), "%.1f"));
        }
        out.flush();
    }

    private static String meanSd(double[] x, String fmt) {
        double m = 0;
        for (double v : x) {
            m += v / x.length;
        }
        double ss = 0;
        for (double v : x) {
            ss += (v - m) * (v - m);
        }
        double sd = x.length > 1 ? Math.sqrt(ss / (x.length - 1)) : 0;
        return String.format(Locale.ROOT, fmt + " ± " + fmt, m, sd);
    }

    static double peakHeapMb() {
        double b = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
                b += p.getPeakUsage().getUsed();
            }
        }
        return b / 1048576.0;
    }

    private Dataset<Row> frame(Ratings r, boolean unused) {
        List<Row> rows = new ArrayList<>(r.size());
        for (int k = 0; k < r.size(); k++) {
            rows.add(RowFactory.create(Integer.parseInt(r.users().id(r.userIndex(k))),
                    Integer.parseInt(r.items().id(r.itemIndex(k))), r.rating(k)));
        }
        StructType schema = new StructType().add("user", DataTypes.IntegerType, false)
                .add("item", DataTypes.IntegerType, false).add("rating", DataTypes.DoubleType, false);
        return spark.createDataFrame(rows, schema);
    }

    /** The seeded synthetic generator (see {@link #synthetic}). */
    static final class Synthetic {
        private Synthetic() {
        }

        static final int USERS = 162_541;
        static final int ITEMS = 59_047;
        static final long RATINGS = 25_000_095L;
        static final int RANK = 10;

        static Dataset<Row> generate(SparkSession spark, double scale, long seed) {
            int users = Math.max(10, (int) Math.round(USERS * scale));
            int items = Math.max(10, (int) Math.round(ITEMS * scale));
            long ratings = Math.max(100, Math.round(RATINGS * scale));
            // Pareto(1.5) activity m·X (E X = 3) capped at half the items: E min(m·X, cap) = m·(3 − 2/√(cap/m));
            // m is chosen so that this mean times the users is the wanted number of ratings
            double wantPerUser = (double) ratings / users;
            double cap = items / 2;
            double lo = 0;
            double hi = wantPerUser;
            for (int it = 0; it < 100; it++) {
                double m = (lo + hi) / 2;
                double mean = m * (3 - 2 / Math.sqrt(Math.max(1, cap / m)));
                if (mean < wantPerUser) {
                    lo = m;
                } else {
                    hi = m;
                }
            }
            double meanPerUser = 3 * (lo + hi) / 2;
            // Zipf(1) item popularity: the cumulative weights, broadcast
            double[] cdf = new double[items];
            double acc = 0;
            for (int i = 0; i < items; i++) {
                acc += 1.0 / (i + 10.0);
                cdf[i] = acc;
            }
            for (int i = 0; i < items; i++) {
                cdf[i] /= acc;
            }
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            Broadcast<double[]> bc = sc.broadcast(cdf);
            // about 250,000 ratings per partition, generated lazily user by user (never a list of all rows)
            int parts = (int) Math.max(2L * sc.defaultParallelism(), (ratings + 249_999) / 250_000);
            List<Integer> ps = new ArrayList<>();
            for (int p = 0; p < parts; p++) {
                ps.add(p);
            }
            int itemsF = items;
            JavaRDD<Row> rows = sc.parallelize(ps, parts).flatMap(p -> new java.util.Iterator<Row>() {
                final double[] c = bc.value();
                int u = p - parts;
                Rng r;
                int n;
                double[] a;
                double bu;
                final Set<Integer> seen = new HashSet<>();
                int guard;
                Row next;

                @Override
                public boolean hasNext() {
                    while (next == null) {
                        if (r == null || seen.size() >= n || guard >= 20 * n) {
                            u += parts;
                            if (u >= users) {
                                return false;
                            }
                            r = new Rng(seed * 1_000_003L + u);
                            // Pareto(α = 1.5) activity with the data set's mean, at least 5 and at most half the items
                            double pareto = Math.pow(1 - r.uniform(0, 1), -1 / 1.5);
                            n = (int) Math.min(itemsF / 2, Math.max(5, Math.round(meanPerUser / 3.0 * pareto)));
                            a = factor(seed, u, true);
                            bu = 0.3 * r.gaussian();
                            seen.clear();
                            guard = 0;
                        }
                        guard++;
                        int i = java.util.Arrays.binarySearch(c, r.uniform(0, 1));
                        i = i < 0 ? Math.min(itemsF - 1, -i - 1) : i;
                        if (!seen.add(i)) {
                            continue;
                        }
                        double[] b = factor(seed, i, false);
                        double s = 3.5 + bu + 0.4 * b[RANK];
                        for (int k = 0; k < RANK; k++) {
                            s += a[k] * b[k];
                        }
                        s += 0.5 * r.gaussian();
                        double rating = Math.max(0.5, Math.min(5.0, Math.round(s * 2) / 2.0));
                        double h = r.uniform(0, 1);
                        int split = h < 0.1 ? 2 : h < 0.1 + 0.9 * 0.05 ? 1 : 0;
                        next = RowFactory.create(u, i, rating, split);
                    }
                    return true;
                }

                @Override
                public Row next() {
                    if (!hasNext()) {
                        throw new java.util.NoSuchElementException();
                    }
                    Row x = next;
                    next = null;
                    return x;
                }
            });
            StructType schema = new StructType().add("user", DataTypes.IntegerType, false)
                    .add("item", DataTypes.IntegerType, false).add("rating", DataTypes.DoubleType, false)
                    .add("split", DataTypes.IntegerType, false);
            return spark.createDataFrame(rows, schema);
        }

        /** A seeded factor row of a user or an item (the item's last entry is its bias). */
        static double[] factor(long seed, int id, boolean user) {
            Rng r = new Rng(seed * 31 + (user ? 1 : 2) * 1_000_000_007L + id);
            double[] f = new double[RANK + 1];
            // entries of variance v with RANK·v² = INTERACTION_VARIANCE; the item's last entry N(0, 1)
            double scale = Math.sqrt(Math.sqrt(INTERACTION_VARIANCE / RANK));
            for (int k = 0; k <= RANK; k++) {
                f[k] = (k == RANK ? 1.0 : scale) * r.gaussian();
            }
            return f;
        }

        /** Variance of the low-rank part a_u·b_i of a rating. */
        static final double INTERACTION_VARIANCE = 0.12;
    }
}
