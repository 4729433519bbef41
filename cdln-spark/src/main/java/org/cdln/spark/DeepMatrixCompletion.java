package org.cdln.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.cdln.data.IdMapping;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.recommend.Centering;
import org.cdln.recommend.CompletionModel;
import org.cdln.recommend.FitPoint;
import org.cdln.recommend.RankSelection;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.isnan;

/**
 * Deep matrix completion (the compressed deep linear network, C-DLN) as a Spark ML estimator,
 * in the conventions of {@code org.apache.spark.ml.recommendation.ALS}: set the columns and
 * settings, {@link #fit} a ratings DataFrame, get a {@link DeepMatrixCompletionModel}.
 *
 * <pre>{@code
 * DeepMatrixCompletionModel m = new DeepMatrixCompletion()
 *         .setUserCol("userId").setItemCol("movieId").setRatingCol("rating")
 *         .setRankHat(16).setMaxSteps(2000)
 *         .fit(ratings);
 * m.transform(test); m.recommendForAllUsers(10); m.toCompletionModel().save(Path.of("model.cdln"));
 * }</pre>
 *
 * <p>It runs the library's algorithm (centering with damped biases, spectral initialisation of
 * width r̂ from the surrogate (1/p)·P_Ω(R), full-batch gradient descent with the discrepant rate
 * α on the outer layers, early stopping on the validation RMSE keeping the best factors,
 * clipping), distributed by user blocks; from the same data, split and settings it makes the
 * same predictions as {@code org.cdln.recommend.DeepMatrixCompletion} to rounding. Every
 * default and description of a training setting is the library's. Ids may be int, long or
 * string columns; they are mapped densely. Rows with a null id, or a null, NaN or infinite
 * rating are refused before any work, with one message naming the column, the value and a row.
 * Cost per step O(|Ω|·r̂ + (d1 + d2)·r̂²) spread over the blocks, plus a broadcast of d2·r̂
 * doubles (or the out-block exchange above {@link #broadcastLimit()}).
 */
public final class DeepMatrixCompletion extends Estimator<DeepMatrixCompletionModel> implements MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> userCol;
    private final Param<String> itemCol;
    private final Param<String> ratingCol;
    private final Param<String> predictionCol;
    private final Param<String> validationCol;
    private final Param<String> coldStartStrategy;
    private final IntParam depth;
    private final IntParam rankHat;
    private final DoubleParam eps;
    private final DoubleParam stepSize;
    private final DoubleParam alpha;
    private final LongParam maxSteps;
    private final DoubleParam tolerance;
    private final IntParam evalEvery;
    private final DoubleParam validationFraction;
    private final IntParam patience;
    private final Param<String> centering;
    private final DoubleParam biasDamping;
    private final BooleanParam clip;
    private final LongParam seed;
    private final IntParam numBlocks;
    private final IntParam numItemBlocks;
    private final IntParam checkpointInterval;
    private final LongParam broadcastLimit;
    private final Param<String> spectralMethod;
    private final DoubleParam timeLimit;
    private transient FitProgress progress;
    private transient java.util.List<org.cdln.train.TrainingListener> listeners = java.util.List.of();
    private transient java.nio.file.Path checkpointDir;
    private transient boolean resume;
    private transient double checkpointSeconds = 30.0;

    public DeepMatrixCompletion() {
        this(Identifiable$.MODULE$.randomUID("cdln-dmc"));
    }

    public DeepMatrixCompletion(String uid) {
        this.uid = uid;
        userCol = new Param<>(this, "userCol", "column of user ids (int, long or string)");
        itemCol = new Param<>(this, "itemCol", "column of item ids (int, long or string)");
        ratingCol = new Param<>(this, "ratingCol", "column of ratings (numeric)");
        predictionCol = new Param<>(this, "predictionCol", "column the model writes its predictions to");
        validationCol = new Param<>(this, "validationCol", "optional boolean column marking the validation rows; "
                + "empty: a seeded random validationFraction of the rows");
        coldStartStrategy = new Param<>(this, "coldStartStrategy", "prediction for a user or item unknown to the "
                + "model: baseline (the known part of mu + b_u + b_i), nan, or drop (remove the row)");
        depth = new IntParam(this, "depth", LibrarySettings.doc(org.cdln.recommend.DeepMatrixCompletion.DEPTH));
        rankHat = new IntParam(this, "rankHat", LibrarySettings.doc(org.cdln.recommend.DeepMatrixCompletion.RANK_HAT));
        eps = new DoubleParam(this, "eps", LibrarySettings.doc(org.cdln.recommend.DeepMatrixCompletion.EPS));
        stepSize = new DoubleParam(this, "stepSize", LibrarySettings.doc(org.cdln.recommend.DeepMatrixCompletion.STEP_SIZE));
        alpha = new DoubleParam(this, "alpha", LibrarySettings.doc(org.cdln.recommend.DeepMatrixCompletion.ALPHA));
        maxSteps = new LongParam(this, "maxSteps", LibrarySettings.doc(org.cdln.recommend.DeepMatrixCompletion.MAX_STEPS));
        tolerance = new DoubleParam(this, "tolerance", LibrarySettings.doc(org.cdln.recommend.DeepMatrixCompletion.TOLERANCE));
        evalEvery = new IntParam(this, "evalEvery", LibrarySettings.doc(org.cdln.recommend.DeepMatrixCompletion.EVAL_EVERY));
        validationFraction = new DoubleParam(this, "validationFraction", LibrarySettings.doc(org.cdln.recommend.DeepMatrixCompletion.VALIDATION_FRACTION));
        patience = new IntParam(this, "patience", LibrarySettings.doc(org.cdln.recommend.DeepMatrixCompletion.PATIENCE));
        centering = new Param<>(this, "centering", LibrarySettings.doc(org.cdln.recommend.DeepMatrixCompletion.CENTERING));
        biasDamping = new DoubleParam(this, "biasDamping", LibrarySettings.doc(org.cdln.recommend.DeepMatrixCompletion.BIAS_DAMPING));
        clip = new BooleanParam(this, "clip", LibrarySettings.doc(org.cdln.recommend.DeepMatrixCompletion.CLIP));
        seed = new LongParam(this, "seed", LibrarySettings.doc(org.cdln.recommend.DeepMatrixCompletion.SEED));
        numBlocks = new IntParam(this, "numBlocks", "user blocks (partitions of the ratings), or 0 for the "
                + "default parallelism");
        numItemBlocks = new IntParam(this, "numItemBlocks", "item blocks of the out-block path, or 0 for numBlocks");
        checkpointInterval = new IntParam(this, "checkpointInterval", "steps between checkpoints of the lineage "
                + ">= 1 (a temporary checkpoint directory is used when the SparkContext has none)");
        broadcastLimit = new LongParam(this, "broadcastLimit", "largest items x r-hat broadcast per step; above it "
                + "each user block receives only the item rows it needs (out-blocks)");
        spectralMethod = new Param<>(this, "spectralMethod", "spectral initialisation: auto (exact on the driver "
                + "for small matrices, as the library), exact, or randomized (distributed)");
        timeLimit = new DoubleParam(this, "timeLimit", LibrarySettings.doc(org.cdln.recommend.DeepMatrixCompletion.TIME_LIMIT_SECONDS));
        setDefault(userCol, "user");
        setDefault(itemCol, "item");
        setDefault(ratingCol, "rating");
        setDefault(predictionCol, "prediction");
        setDefault(validationCol, "");
        setDefault(coldStartStrategy, org.cdln.recommend.ColdStart.DEFAULT.label());
        setDefault(depth, LibrarySettings.depth());
        setDefault(rankHat, LibrarySettings.rankHat());
        setDefault(eps, LibrarySettings.eps());
        setDefault(stepSize, LibrarySettings.stepSize());
        setDefault(alpha, LibrarySettings.alpha());
        setDefault(maxSteps, LibrarySettings.maxSteps());
        setDefault(tolerance, LibrarySettings.tolerance());
        setDefault(evalEvery, LibrarySettings.evalEvery());
        setDefault(validationFraction, LibrarySettings.validationFraction());
        setDefault(patience, LibrarySettings.patience());
        setDefault(centering, LibrarySettings.centering());
        setDefault(biasDamping, LibrarySettings.biasDamping());
        setDefault(clip, LibrarySettings.clip());
        setDefault(seed, LibrarySettings.seed());
        setDefault(numBlocks, 0);
        setDefault(numItemBlocks, 0);
        setDefault(checkpointInterval, 10);
        setDefault(broadcastLimit, 1L << 24);
        setDefault(spectralMethod, "auto");
        setDefault(timeLimit, 0.0);
    }

    @Override
    public String uid() {
        return uid;
    }

    // Params (public no-argument accessors, as Spark ML discovers them)
    public Param<String> userCol() { return userCol; }
    public Param<String> itemCol() { return itemCol; }
    public Param<String> ratingCol() { return ratingCol; }
    public Param<String> predictionCol() { return predictionCol; }
    public Param<String> validationCol() { return validationCol; }
    public Param<String> coldStartStrategy() { return coldStartStrategy; }
    public IntParam depth() { return depth; }
    public IntParam rankHat() { return rankHat; }
    public DoubleParam eps() { return eps; }
    public DoubleParam stepSize() { return stepSize; }
    public DoubleParam alpha() { return alpha; }
    public LongParam maxSteps() { return maxSteps; }
    public DoubleParam tolerance() { return tolerance; }
    public IntParam evalEvery() { return evalEvery; }
    public DoubleParam validationFraction() { return validationFraction; }
    public IntParam patience() { return patience; }
    public Param<String> centering() { return centering; }
    public DoubleParam biasDamping() { return biasDamping; }
    public BooleanParam clip() { return clip; }
    public LongParam seed() { return seed; }
    public IntParam numBlocks() { return numBlocks; }
    public IntParam numItemBlocks() { return numItemBlocks; }
    public IntParam checkpointInterval() { return checkpointInterval; }
    public LongParam broadcastLimit() { return broadcastLimit; }
    public Param<String> spectralMethod() { return spectralMethod; }
    public DoubleParam timeLimit() { return timeLimit; }

    public DeepMatrixCompletion setUserCol(String v) { set(userCol, v); return this; }
    public DeepMatrixCompletion setItemCol(String v) { set(itemCol, v); return this; }
    public DeepMatrixCompletion setRatingCol(String v) { set(ratingCol, v); return this; }
    public DeepMatrixCompletion setPredictionCol(String v) { set(predictionCol, v); return this; }
    public DeepMatrixCompletion setValidationCol(String v) { set(validationCol, v); return this; }
    public DeepMatrixCompletion setColdStartStrategy(String v) { set(coldStartStrategy, v); return this; }
    public DeepMatrixCompletion setDepth(int v) { set(depth, v); return this; }
    public DeepMatrixCompletion setRankHat(int v) { set(rankHat, v); return this; }
    public DeepMatrixCompletion setEps(double v) { set(eps, v); return this; }
    public DeepMatrixCompletion setStepSize(double v) { set(stepSize, v); return this; }
    public DeepMatrixCompletion setAlpha(double v) { set(alpha, v); return this; }
    public DeepMatrixCompletion setMaxSteps(long v) { set(maxSteps, v); return this; }
    public DeepMatrixCompletion setTolerance(double v) { set(tolerance, v); return this; }
    public DeepMatrixCompletion setEvalEvery(int v) { set(evalEvery, v); return this; }
    public DeepMatrixCompletion setValidationFraction(double v) { set(validationFraction, v); return this; }
    public DeepMatrixCompletion setPatience(int v) { set(patience, v); return this; }
    public DeepMatrixCompletion setCentering(String v) { set(centering, v); return this; }
    public DeepMatrixCompletion setBiasDamping(double v) { set(biasDamping, v); return this; }
    public DeepMatrixCompletion setClip(boolean v) { set(clip, v); return this; }
    public DeepMatrixCompletion setSeed(long v) { set(seed, v); return this; }
    public DeepMatrixCompletion setNumBlocks(int v) { set(numBlocks, v); return this; }
    public DeepMatrixCompletion setNumItemBlocks(int v) { set(numItemBlocks, v); return this; }
    public DeepMatrixCompletion setCheckpointInterval(int v) { set(checkpointInterval, v); return this; }
    public DeepMatrixCompletion setBroadcastLimit(long v) { set(broadcastLimit, v); return this; }
    public DeepMatrixCompletion setSpectralMethod(String v) { set(spectralMethod, v); return this; }
    public DeepMatrixCompletion setTimeLimit(double v) { set(timeLimit, v); return this; }

    /** Driver-side progress at every evaluation (step, training loss, validation RMSE, seconds). */
    public DeepMatrixCompletion setProgress(FitProgress p) {
        progress = p;
        return this;
    }

    /**
     * The library's training listeners (e.g. a progress bar), told of every fit's start, steps,
     * evaluations and end, on the driver.
     */
    public DeepMatrixCompletion setListeners(java.util.List<org.cdln.train.TrainingListener> l) {
        listeners = java.util.List.copyOf(l);
        return this;
    }

    /**
     * Resumable checkpoints of the fit on the driver's file system: every {@code seconds} of
     * training and at the end of each fit of the r̂ sweep, in {@code dir}; with {@code resume} a
     * fit continues from its checkpoint there (a finished one is read back without stepping), so
     * that a fit killed mid-run ends with the factors of an uninterrupted one. Null: none. (The
     * lineage checkpoints of {@code checkpointInterval} truncate the DAG; they are not this.)
     */
    public DeepMatrixCompletion setCheckpoints(java.nio.file.Path dir, boolean resumeFromThem, double seconds) {
        if (!(seconds >= 0)) {
            throw new IllegalArgumentException("checkpoint seconds must be ≥ 0, got " + seconds);
        }
        checkpointDir = dir;
        resume = resumeFromThem;
        checkpointSeconds = seconds;
        return this;
    }

    FitHooks hooks() {
        return new FitHooks(progress, listeners, checkpointDir, resume, checkpointSeconds);
    }

    private String str(Param<String> p) {
        return getOrDefault(p);
    }

    private int i(IntParam p) {
        return (Integer) getOrDefault(p);
    }

    private long l(LongParam p) {
        return (Long) getOrDefault(p);
    }

    private double d(DoubleParam p) {
        return (Double) getOrDefault(p);
    }

    /** The library's validated settings of these Params (its messages name the setting and its range). */
    LibrarySettings.View librarySettings() {
        Centering cen = Centering.parse(str(centering));
        try {
            return LibrarySettings.View.of(LibrarySettings.declared(i(depth), i(rankHat), d(eps), d(stepSize), d(alpha),
                    d(tolerance), l(maxSteps), i(evalEvery), d(validationFraction), i(patience), cen, d(biasDamping),
                    (Boolean) getOrDefault(clip), l(seed), d(timeLimit)));
        } catch (org.cdln.settings.InvalidSettingException e) {
            throw new IllegalArgumentException("Param " + e.setting().name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public StructType transformSchema(StructType schema) {
        checkColumns(schema, true);
        return schema.add(str(predictionCol), DataTypes.DoubleType, false);
    }

    /** Column presence and types; the message names the column, its type and what is allowed. */
    void checkColumns(StructType schema, boolean withRating) {
        List<String> names = Arrays.asList(schema.fieldNames());
        for (Param<String> p : withRating ? List.of(userCol, itemCol, ratingCol) : List.of(userCol, itemCol)) {
            String c = str(p);
            if (!names.contains(c)) {
                throw new IllegalArgumentException("column '" + c + "' (" + p.name() + ") is not in the data, whose "
                        + "columns are " + names + "; set " + p.name() + " to one of them");
            }
            DataType t = schema.apply(c).dataType();
            if (p == ratingCol ? !(t instanceof NumericType)
                    : !(t.equals(DataTypes.IntegerType) || t.equals(DataTypes.LongType)
                        || t.equals(DataTypes.StringType))) {
                throw new IllegalArgumentException("column '" + c + "' has type " + t.simpleString() + "; "
                        + (p == ratingCol ? "ratings must be numeric" : "ids must be int, long or string")
                        + "; cast it first");
            }
        }
        String v = str(validationCol);
        if (withRating && !v.isEmpty()) {
            if (!names.contains(v)) {
                throw new IllegalArgumentException("validation column '" + v + "' is not in the data, whose columns "
                        + "are " + names);
            }
            if (!schema.apply(v).dataType().equals(DataTypes.BooleanType)) {
                throw new IllegalArgumentException("validation column '" + v + "' has type "
                        + schema.apply(v).dataType().simpleString() + "; it must be boolean");
            }
        }
    }

    /** Refuses the first bad row (null id, null/NaN/infinite rating, null validation flag) with one message. */
    void refuseBadRows(Dataset<?> data) {
        String u = str(userCol);
        String it = str(itemCol);
        String r = str(ratingCol);
        Column rd = col(r).cast(DataTypes.DoubleType);
        Column bad = col(u).isNull().or(col(it).isNull()).or(col(r).isNull()).or(isnan(rd))
                .or(rd.equalTo(Double.POSITIVE_INFINITY)).or(rd.equalTo(Double.NEGATIVE_INFINITY));
        String v = str(validationCol);
        if (!v.isEmpty()) {
            bad = bad.or(col(v).isNull());
        }
        Row[] rows = (Row[]) data.toDF().filter(bad).limit(1).collect();
        if (rows.length == 0) {
            return;
        }
        Row row = rows[0];
        String column;
        Object value;
        if (row.isNullAt(row.fieldIndex(u))) {
            column = u;
            value = null;
        } else if (row.isNullAt(row.fieldIndex(it))) {
            column = it;
            value = null;
        } else if (row.isNullAt(row.fieldIndex(r))) {
            column = r;
            value = null;
        } else if (!v.isEmpty() && row.isNullAt(row.fieldIndex(v))) {
            column = v;
            value = null;
        } else {
            column = r;
            value = row.get(row.fieldIndex(r));
        }
        throw new IllegalArgumentException("column '" + column + "' has the value " + value + " in row " + row
                + (column.equals(r) ? "; ratings must be finite numbers" : "; ids and flags must not be null")
                + ": drop or fix such rows before fitting (e.g. dataset.na().drop())");
    }

    @Override
    public DeepMatrixCompletionModel fit(Dataset<?> dataset) {
        LibrarySettings.View s = librarySettings();
        checkColumns(dataset.schema(), true);
        org.cdln.recommend.ColdStart.parse(str(coldStartStrategy));
        String sm = str(spectralMethod);
        if (!List.of("auto", "exact", "randomized").contains(sm)) {
            throw new IllegalArgumentException("spectralMethod '" + sm + "' is not one of auto, exact, randomized");
        }
        if (i(checkpointInterval) < 1) {
            throw new IllegalArgumentException("checkpointInterval must be ≥ 1 step, got " + i(checkpointInterval));
        }
        if (l(broadcastLimit) < 0 || i(numBlocks) < 0 || i(numItemBlocks) < 0) {
            throw new IllegalArgumentException("broadcastLimit, numBlocks and numItemBlocks must be ≥ 0");
        }
        refuseBadRows(dataset);
        SparkSession spark = dataset.sparkSession();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String u = str(userCol);
        String it = str(itemCol);
        String r = str(ratingCol);
        String v = str(validationCol);
        Dataset<Row> df = dataset.toDF();
        StructType schema = df.schema();
        String userType = schema.apply(u).dataType().typeName();
        String itemType = schema.apply(it).dataType().typeName();
        IdMapping users = IdMapping.of(distinctIds(df, u));
        IdMapping items = IdMapping.of(distinctIds(df, it));
        Broadcast<Map<String, Integer>> bu = sc.broadcast(indexOf(users));
        Broadcast<Map<String, Integer>> bi = sc.broadcast(indexOf(items));
        double fraction = s.validationFraction();
        long seedValue = s.seed();
        List<String> cols = new ArrayList<>(List.of(u, it, r));
        if (!v.isEmpty()) {
            cols.add(v);
        }
        boolean flagged = !v.isEmpty();
        JavaRDD<IndexedRating> indexed = df.select(cols.stream().map(c -> col(c)).toArray(Column[]::new))
                .toJavaRDD().map(row -> {
                    String uid = row.get(0).toString();
                    String iid = row.get(1).toString();
                    double rating = ((Number) row.get(2)).doubleValue();
                    boolean val = flagged ? row.getBoolean(3) : fraction > 0 && ValidationSplit.isValidation(seedValue,
                            uid, iid, fraction);
                    return new IndexedRating(bu.value().get(uid), bi.value().get(iid), rating, val);
                });
        int blocks = i(numBlocks) > 0 ? i(numBlocks) : Math.max(1, sc.defaultParallelism());
        int itemBlocks = i(numItemBlocks) > 0 ? i(numItemBlocks) : blocks;
        FitConfig base = new FitConfig(s.depth(), s.rankHat(), s.eps(), s.stepSize(), s.alpha(), s.maxSteps(),
                s.tolerance(), s.evalEvery(), s.patience(), s.centering(), s.biasDamping(), s.clip(), s.seed(),
                blocks, itemBlocks, i(checkpointInterval), l(broadcastLimit), sm, s.timeLimitSeconds());
        LinearAlgebra la = LinearAlgebra.instance();
        SparkFit.Result result;
        String rule = "given";
        if (s.rankHat() > 0) {
            SparkFit.Prepared prep = SparkFit.prepare(sc, indexed, users.size(), items.size(), base, base.rankHat(), la);
            try {
                result = SparkFit.fitOnce(sc, prep, base, base.rankHat(), hooks(), la);
            } finally {
                prep.release();
            }
        } else {
            int cap = Math.min(Math.min(users.size(), items.size()),
                    org.cdln.recommend.DeepMatrixCompletion.SWEEP_MAX_RANK_HAT);
            boolean exact = SparkFit.exactSpectrum(base, users.size(), items.size());
            // the exact spectrum is cheap at full width; the distributed one is computed as wide as needed
            int width = exact ? cap : Math.min(cap, DISTRIBUTED_START_WIDTH);
            SparkFit.Prepared prep = SparkFit.prepare(sc, indexed, users.size(), items.size(), base, width, la);
            try {
                int start;
                StringBuilder why = new StringBuilder("validation sweep from ");
                RankSelection.Result pa;
                if (prep.observed() != null) {
                    pa = RankSelection.parallelAnalysis(prep.observed(), prep.sigma(), s.seed(), la);
                } else {
                    double edge = SparkFit.noiseEdge(sc, prep, s.seed(), la);
                    pa = SparkFit.parallelAnalysis(sc, prep, edge);
                    int widest = Math.min(cap, RankSelection.MAX_RANK + 1);
                    if (pa.rank() >= prep.sigma().length && prep.sigma().length < widest) {
                        prep = SparkFit.withSpectrum(sc, prep, base, widest, la);
                        pa = SparkFit.parallelAnalysis(sc, prep, edge);
                    }
                }
                start = pa.rankHat();
                why.append(pa.describe());
                why.append(':');
                SparkFit.Result bestFit = null;
                int rh = Math.min(start, cap);
                for (int tries = 0; tries < org.cdln.recommend.DeepMatrixCompletion.SWEEP_MAX_FITS; tries++) {
                    if (rh > prep.sigma().length) {
                        // wide enough for this r̂ and the next doubling
                        prep = SparkFit.withSpectrum(sc, prep, base, Math.min(cap, 2 * rh), la);
                    }
                    SparkFit.Result fit = SparkFit.fitOnce(sc, prep, base, rh, hooks(), la);
                    double rmse = Double.parseDouble(fit.meta().get("best_validation_rmse"));
                    why.append(" r̂=").append(rh).append(" → ").append(String.format(Locale.ROOT, "%.4f", rmse))
                            .append(';');
                    boolean better = bestFit == null || rmse < Double.parseDouble(bestFit.meta()
                            .get("best_validation_rmse")) * (1 - org.cdln.recommend.DeepMatrixCompletion.SWEEP_GAIN);
                    if (better) {
                        bestFit = fit;
                    }
                    if (!better || rh >= cap || prep.nVal() == 0) {
                        break;
                    }
                    rh = Math.min(2 * rh, cap);
                }
                result = bestFit;
                rule = why.append(" chose r̂=").append(bestFit.userFactors().cols()).toString();
            } finally {
                prep.release();
            }
        }
        Map<String, String> meta = new LinkedHashMap<>(result.meta());
        meta.put("rank_hat_rule", rule);
        meta.put("training_data", "Spark DataFrame " + u + "/" + it + "/" + r);
        meta.put("backend", la.description());
        meta.put("cdln_version", org.cdln.Version.get());
        meta.put("java", System.getProperty("java.version"));
        meta.put("created_at", java.time.Instant.now().toString());
        CompletionModel cm = CompletionModel.of(org.cdln.recommend.ModelKind.CDLN, users, items, result.baseline(),
                result.userFactors(), result.itemFactors(), result.clipMin(), result.clipMax(), result.seenPtr(),
                result.seenItems(), meta, result.trajectory());
        DeepMatrixCompletionModel model = new DeepMatrixCompletionModel(uid + "-model", cm, userType, itemType);
        copyValues(model, extractParamMap());
        model.setParent(this);
        return model;
    }

    /**
     * How many singular values the distributed spectrum computes first for automatic r̂ (widened to
     * the parallel analysis's 65 when all are above the noise edge, and to 2·r̂ when the sweep asks
     * for a wider r̂).
     */
    static final int DISTRIBUTED_START_WIDTH = 32;

    private static List<String> distinctIds(Dataset<Row> df, String column) {
        DataType t = df.schema().apply(column).dataType();
        List<String> ids = new ArrayList<>();
        for (Row row : df.select(col(column)).distinct().collectAsList()) {
            ids.add(row.get(0).toString());
        }
        if (t.equals(DataTypes.StringType)) {
            ids.sort(null);
        } else {
            ids.sort((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
        }
        return ids;
    }

    private static Map<String, Integer> indexOf(IdMapping m) {
        Map<String, Integer> out = new HashMap<>(m.size() * 2);
        for (int q = 0; q < m.size(); q++) {
            out.put(m.id(q), q);
        }
        return out;
    }

    /** The fit's evaluations of a model made by this estimator. */
    public static List<FitPoint> trajectory(DeepMatrixCompletionModel m) {
        return m.toCompletionModel().trajectory();
    }

    @Override
    public DeepMatrixCompletion copy(ParamMap extra) {
        DeepMatrixCompletion c = (DeepMatrixCompletion) defaultCopy(extra);
        c.progress = progress;
        c.listeners = listeners;
        c.checkpointDir = checkpointDir;
        c.resume = resume;
        c.checkpointSeconds = checkpointSeconds;
        return c;
    }

    @Override
    public MLWriter write() {
        DeepMatrixCompletion self = this;
        return new MLWriter() {
            @Override
            public void saveImpl(String path) {
                DefaultParamsWriter.saveMetadata(self, path, sparkSession());
            }
        };
    }

    /** Reads an estimator written by {@link #write()}. */
    public static MLReader<DeepMatrixCompletion> read() {
        return new MLReader<>() {
            @Override
            public DeepMatrixCompletion load(String path) {
                DefaultParamsReader.Metadata md = DefaultParamsReader.loadMetadata(path, sparkSession(), "");
                DeepMatrixCompletion e = new DeepMatrixCompletion(md.uid());
                md.getAndSetParams(e, scala.Option.empty());
                return e;
            }
        };
    }

    public static DeepMatrixCompletion load(String path) {
        return read().load(path);
    }
}
