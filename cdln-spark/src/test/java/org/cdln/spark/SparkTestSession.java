package org.cdln.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cdln.data.Ratings;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;

/**
 * The one SparkSession every Spark test class shares (local[2], UI off, driver on 127.0.0.1),
 * started once per test JVM, and the small seeded rating problems the tests fit.
 */
final class SparkTestSession {
    private static SparkSession spark;

    private SparkTestSession() {
    }

    static synchronized SparkSession get() {
        if (spark == null) {
            spark = SparkSession.builder()
                    .master("local[2]")
                    .appName("cdln-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.default.parallelism", "2")
                    .getOrCreate();
            spark.sparkContext().setLogLevel("ERROR");
        }
        return spark;
    }

    /**
     * A d1×d2 low-rank-plus-noise rating matrix in about [1, 5], each entry observed with
     * probability {@code density}; ids are "1".."d1" and "1".."d2", added in that order.
     */
    static Ratings lowRank(int d1, int d2, int rank, double density, long seed) {
        Rng rng = new Rng(seed);
        Matrix a = rng.gaussianMatrix(d1, rank, 1.0);
        Matrix b = rng.gaussianMatrix(rank, d2, 1.0);
        Ratings.Builder rb = Ratings.builder("synthetic " + d1 + "x" + d2);
        for (int u = 0; u < d1; u++) {
            for (int i = 0; i < d2; i++) {
                if (rng.uniform(0, 1) < density) {
                    double s = 3.0;
                    for (int c = 0; c < rank; c++) {
                        s += 0.6 * a.get(u, c) * b.get(c, i);
                    }
                    s += 0.3 * rng.gaussian();
                    rb.add(String.valueOf(u + 1), String.valueOf(i + 1), Math.max(1, Math.min(5, s)));
                }
            }
        }
        return rb.build();
    }

    /** Rows (user int, item int, rating double, validation boolean) of a training and a validation set. */
    static Dataset<Row> frame(Ratings train, Ratings validation) {
        List<Row> rows = new ArrayList<>();
        for (Ratings r : List.of(train, validation)) {
            boolean val = r == validation;
            for (int k = 0; k < r.size(); k++) {
                rows.add(RowFactory.create(Integer.parseInt(r.users().id(r.userIndex(k))),
                        Integer.parseInt(r.items().id(r.itemIndex(k))), r.rating(k), val));
            }
        }
        StructType schema = new StructType().add("user", DataTypes.IntegerType).add("item", DataTypes.IntegerType)
                .add("rating", DataTypes.DoubleType).add("val", DataTypes.BooleanType);
        return get().createDataFrame(rows, schema);
    }
}
