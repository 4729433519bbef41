package org.cdln.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cdln.recommend.ColdStart;
import org.cdln.recommend.CompletionModel;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.udf;

/**
 * A fitted deep-matrix-completion model in Spark ML: {@link #transform} adds the predicted rating
 * clip(μ + b_u + b_i + U[u, :]·V[:, i]); recommendations for all users, all items or a subset;
 * the factors as DataFrames; {@link #write()}/{@link #read()} through Spark ML persistence (the
 * data is stored in the library's model file format, so that {@link #toCompletionModel()} and
 * {@link #fromCompletionModel} convert both ways exactly, and a model fitted on a cluster is
 * served by the plain library and the CLI). The model's parts are held on the driver and
 * broadcast to executors: O((d1 + d2)·r̂) memory.
 */
public final class DeepMatrixCompletionModel extends Model<DeepMatrixCompletionModel> implements MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final transient CompletionModel model;
    private final Param<String> userCol;
    private final Param<String> itemCol;
    private final Param<String> predictionCol;
    private final Param<String> coldStartStrategy;
    private final Param<String> userIdType;
    private final Param<String> itemIdType;
    private transient Broadcast<Scorer> scorer;

    DeepMatrixCompletionModel(String uid, CompletionModel model, String userType, String itemType) {
        this.uid = uid;
        this.model = model;
        userCol = new Param<>(this, "userCol", "column of user ids (int, long or string)");
        itemCol = new Param<>(this, "itemCol", "column of item ids (int, long or string)");
        predictionCol = new Param<>(this, "predictionCol", "column the model writes its predictions to");
        coldStartStrategy = new Param<>(this, "coldStartStrategy", "prediction for a user or item unknown to the "
                + "model: baseline (the known part of mu + b_u + b_i), nan, or drop (remove the row)");
        userIdType = new Param<>(this, "userIdType", "Spark type of the user ids the model was fitted on");
        itemIdType = new Param<>(this, "itemIdType", "Spark type of the item ids the model was fitted on");
        setDefault(userCol, "user");
        setDefault(itemCol, "item");
        setDefault(predictionCol, "prediction");
        setDefault(coldStartStrategy, ColdStart.DEFAULT.label());
        setDefault(userIdType, userType);
        setDefault(itemIdType, itemType);
        set(userIdType, userType);
        set(itemIdType, itemType);
    }

    /**
     * A Spark model of a library model (e.g. one read with {@code CompletionModel.load}); ids
     * become string columns unless given as "integer" or "long".
     */
    public static DeepMatrixCompletionModel fromCompletionModel(CompletionModel m, String userIdType,
                                                                String itemIdType) {
        return new DeepMatrixCompletionModel(org.apache.spark.ml.util.Identifiable$.MODULE$.randomUID("cdln-dmc-model"),
                m, userIdType, itemIdType);
    }

    /** {@link #fromCompletionModel(CompletionModel, String, String)} with string ids. */
    public static DeepMatrixCompletionModel fromCompletionModel(CompletionModel m) {
        return fromCompletionModel(m, "string", "string");
    }

    /** The library model: its predictions are this model's; save it with {@code save(Path)}. */
    public CompletionModel toCompletionModel() {
        return model;
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> userCol() { return userCol; }
    public Param<String> itemCol() { return itemCol; }
    public Param<String> predictionCol() { return predictionCol; }
    public Param<String> coldStartStrategy() { return coldStartStrategy; }
    public Param<String> userIdType() { return userIdType; }
    public Param<String> itemIdType() { return itemIdType; }

    public DeepMatrixCompletionModel setUserCol(String v) { set(userCol, v); return this; }
    public DeepMatrixCompletionModel setItemCol(String v) { set(itemCol, v); return this; }
    public DeepMatrixCompletionModel setPredictionCol(String v) { set(predictionCol, v); return this; }
    public DeepMatrixCompletionModel setColdStartStrategy(String v) { set(coldStartStrategy, v); return this; }

    /** r̂, the inner dimension of U·V. */
    public int rank() {
        return model.rank();
    }

    private Broadcast<Scorer> scorer(SparkSession spark) {
        if (scorer == null) {
            scorer = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(new Scorer(model));
        }
        return scorer;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        for (Param<String> p : List.of(userCol, itemCol)) {
            String c = getOrDefault(p);
            if (!List.of(schema.fieldNames()).contains(c)) {
                throw new IllegalArgumentException("column '" + c + "' (" + p.name() + ") is not in the data, whose "
                        + "columns are " + List.of(schema.fieldNames()) + "; set " + p.name() + " to one of them");
            }
        }
        return schema.add(getOrDefault(predictionCol), DataTypes.DoubleType, false);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        ColdStart cs = ColdStart.parse(getOrDefault(coldStartStrategy));
        Broadcast<Scorer> b = scorer(dataset.sparkSession());
        UserDefinedFunction predict = udf((UDF2<Object, Object, Double>) (u, i) -> b.value().predict(u, i, cs),
                DataTypes.DoubleType);
        String out = getOrDefault(predictionCol);
        Dataset<Row> df = dataset.toDF().withColumn(out, predict.apply(col(getOrDefault(userCol)),
                col(getOrDefault(itemCol))));
        return cs == ColdStart.DROP ? df.filter(isnan(col(out)).unary_$bang()) : df;
    }

    private DataType idType(String name) {
        return switch (name) {
            case "integer" -> DataTypes.IntegerType;
            case "long" -> DataTypes.LongType;
            default -> DataTypes.StringType;
        };
    }

    private static Object typed(String id, DataType t) {
        if (t.equals(DataTypes.IntegerType)) {
            return Integer.parseInt(id);
        }
        if (t.equals(DataTypes.LongType)) {
            return Long.parseLong(id);
        }
        return id;
    }

    /** User factors U (rows of W_L): columns id, features (array of r̂ doubles). */
    public Dataset<Row> userFactors() {
        SparkSession spark = SparkSession.active();
        DataType t = idType(getOrDefault(userIdType));
        double[] u = model.userFactors().transpose().data();
        int k = model.rank();
        List<Row> rows = new ArrayList<>();
        for (int q = 0; q < model.users().size(); q++) {
            rows.add(RowFactory.create(typed(model.users().id(q), t), boxed(u, q * k, k)));
        }
        return spark.createDataFrame(rows, factorSchema(t));
    }

    /** Item factors V (columns of W_(L−1)·…·W_1): columns id, features. */
    public Dataset<Row> itemFactors() {
        SparkSession spark = SparkSession.active();
        DataType t = idType(getOrDefault(itemIdType));
        double[] v = model.itemFactors().data();
        int k = model.rank();
        List<Row> rows = new ArrayList<>();
        for (int q = 0; q < model.items().size(); q++) {
            rows.add(RowFactory.create(typed(model.items().id(q), t), boxed(v, q * k, k)));
        }
        return spark.createDataFrame(rows, factorSchema(t));
    }

    private static StructType factorSchema(DataType t) {
        return new StructType().add("id", t, false)
                .add("features", DataTypes.createArrayType(DataTypes.DoubleType, false), false);
    }

    private static scala.collection.immutable.Seq<Object> boxed(double[] a, int from, int len) {
        List<Object> out = new ArrayList<>(len);
        for (int c = 0; c < len; c++) {
            out.add(a[from + c]);
        }
        return seq(out);
    }

    private static <T> scala.collection.immutable.Seq<T> seq(List<T> l) {
        return scala.jdk.javaapi.CollectionConverters.asScala(l).toList();
    }

    /** Top-k items for every user: columns (userCol, recommendations: array of (itemCol, rating)). */
    public Dataset<Row> recommendForAllUsers(int k) {
        return recommend(allIndices(model.users().size()), k, true);
    }

    /** Top-k users for every item: columns (itemCol, recommendations: array of (userCol, rating)). */
    public Dataset<Row> recommendForAllItems(int k) {
        return recommend(allIndices(model.items().size()), k, false);
    }

    /** Top-k items for the distinct users of {@code dataset}'s user column that the model knows. */
    public Dataset<Row> recommendForUserSubset(Dataset<?> dataset, int k) {
        List<Integer> idx = new ArrayList<>();
        for (Row r : dataset.toDF().select(col(getOrDefault(userCol))).distinct().collectAsList()) {
            if (!r.isNullAt(0)) {
                int q = model.users().indexOf(r.get(0).toString());
                if (q >= 0) {
                    idx.add(q);
                }
            }
        }
        return recommend(idx, k, true);
    }

    /** Top-k users for the distinct items of {@code dataset}'s item column that the model knows. */
    public Dataset<Row> recommendForItemSubset(Dataset<?> dataset, int k) {
        List<Integer> idx = new ArrayList<>();
        for (Row r : dataset.toDF().select(col(getOrDefault(itemCol))).distinct().collectAsList()) {
            if (!r.isNullAt(0)) {
                int q = model.items().indexOf(r.get(0).toString());
                if (q >= 0) {
                    idx.add(q);
                }
            }
        }
        return recommend(idx, k, false);
    }

    private static List<Integer> allIndices(int n) {
        List<Integer> l = new ArrayList<>(n);
        for (int q = 0; q < n; q++) {
            l.add(q);
        }
        return l;
    }

    /** Scores every candidate for each source in parallel; O(d_other·r̂ + d_other·log k) per source. */
    private Dataset<Row> recommend(List<Integer> sources, int k, boolean forUsers) {
        if (k < 1) {
            throw new IllegalArgumentException("the number of recommendations must be ≥ 1, got " + k);
        }
        SparkSession spark = SparkSession.active();
        Broadcast<Scorer> b = scorer(spark);
        DataType srcType = idType(getOrDefault(forUsers ? userIdType : itemIdType));
        DataType dstType = idType(getOrDefault(forUsers ? itemIdType : userIdType));
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<Row> rows = sc.parallelize(sources, Math.max(1, sc.defaultParallelism())).map(src -> {
            Scorer s = b.value();
            int n = forUsers ? s.itemIds.length : s.userIds.length;
            double[] score = new double[n];
            for (int j = 0; j < n; j++) {
                score[j] = forUsers ? s.score(src, j) : s.score(j, src);
            }
            PriorityQueue<Integer> heap = new PriorityQueue<>(k + 1, (x, y) -> {
                int c = Double.compare(score[x], score[y]);
                return c != 0 ? c : Integer.compare(y, x);
            });
            for (int j = 0; j < n; j++) {
                heap.add(j);
                if (heap.size() > k) {
                    heap.poll();
                }
            }
            List<Row> recs = new ArrayList<>();
            while (!heap.isEmpty()) {
                int j = heap.poll();
                recs.add(0, RowFactory.create(typed(forUsers ? s.itemIds[j] : s.userIds[j], dstType),
                        (float) s.clip(score[j])));
            }
            return RowFactory.create(typed(forUsers ? s.userIds[src] : s.itemIds[src], srcType), seq(recs));
        });
        String srcCol = getOrDefault(forUsers ? userCol : itemCol);
        String dstCol = getOrDefault(forUsers ? itemCol : userCol);
        StructType rec = new StructType().add(dstCol, dstType, false).add("rating", DataTypes.FloatType, false);
        StructType schema = new StructType().add(srcCol, srcType, false)
                .add("recommendations", DataTypes.createArrayType(rec, false), false);
        return spark.createDataFrame(rows, schema);
    }

    @Override
    public DeepMatrixCompletionModel copy(ParamMap extra) {
        DeepMatrixCompletionModel m = new DeepMatrixCompletionModel(uid, model, getOrDefault(userIdType),
                getOrDefault(itemIdType));
        copyValues(m, extra);
        return m.setParent(parent());
    }

    /** The data file inside a saved model's directory (the library's model format). */
    static final String DATA_FILE = "data/model.cdln";

    @Override
    public MLWriter write() {
        DeepMatrixCompletionModel self = this;
        return new MLWriter() {
            @Override
            public void saveImpl(String path) {
                DefaultParamsWriter.saveMetadata(self, path, sparkSession());
                copyToHadoop(self.model, path + "/" + DATA_FILE, sparkSession().sparkContext().hadoopConfiguration());
            }
        };
    }

    /** Reads a model written by {@link #write()}. */
    public static MLReader<DeepMatrixCompletionModel> read() {
        return new MLReader<>() {
            @Override
            public DeepMatrixCompletionModel load(String path) {
                DefaultParamsReader.Metadata md = DefaultParamsReader.loadMetadata(path, sparkSession(), "");
                CompletionModel cm = readFromHadoop(path + "/" + DATA_FILE,
                        sparkSession().sparkContext().hadoopConfiguration());
                DeepMatrixCompletionModel m = new DeepMatrixCompletionModel(md.uid(), cm, "string", "string");
                md.getAndSetParams(m, scala.Option.empty());
                return m;
            }
        };
    }

    public static DeepMatrixCompletionModel load(String path) {
        return read().load(path);
    }

    private static void copyToHadoop(CompletionModel m, String target, Configuration conf) {
        try {
            java.nio.file.Path tmp = Files.createTempFile("cdln-model-", ".cdln");
            try {
                m.save(tmp);
                org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path(target);
                FileSystem fs = dst.getFileSystem(conf);
                fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(tmp.toUri()), dst);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model data to " + target + ": " + e.getMessage(), e);
        }
    }

    private static CompletionModel readFromHadoop(String source, Configuration conf) {
        try {
            java.nio.file.Path tmp = Files.createTempFile("cdln-model-", ".cdln");
            try {
                org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(source);
                src.getFileSystem(conf).copyToLocalFile(false, src, new org.apache.hadoop.fs.Path(tmp.toUri()), true);
                return CompletionModel.load(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model data from " + source + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "DeepMatrixCompletionModel[" + uid + ", " + model + "]";
    }
}
