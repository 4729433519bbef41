package org.cdln.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cdln.data.Ratings;
import org.cdln.recommend.CompletionModel;
import org.cdln.recommend.Recommendation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spark ML conventions: Pipeline, CrossValidator, evaluator with cold-start rows, persistence, ids, bad rows. */
class SparkMlIntegrationTest {
    private static Ratings all;
    private static Dataset<Row> ratings;
    private static DeepMatrixCompletionModel model;

    @BeforeAll
    static void fit() {
        all = SparkTestSession.lowRank(30, 24, 2, 0.6, 9);
        ratings = SparkTestSession.frame(all, all.subset(new int[0], "none")).drop("val");
        model = estimator().fit(ratings);
    }

    private static DeepMatrixCompletion estimator() {
        return new DeepMatrixCompletion().setRankHat(3).setMaxSteps(60).setPatience(5).setValidationFraction(0.1)
                .setSeed(2).setNumBlocks(2);
    }

    @Test
    void transformAddsPredictionsEqualToTheLibraryModel() {
        CompletionModel cm = model.toCompletionModel();
        List<Row> out = model.transform(ratings).select("user", "item", "prediction").collectAsList();
        assertEquals(all.size(), out.size());
        for (Row r : out) {
            assertEquals(cm.predict(String.valueOf(r.getInt(0)), String.valueOf(r.getInt(1))), r.getDouble(2), 0.0);
        }
    }

    @Test
    void coldStartRowsKeepTheMetricFinite() {
        StructType schema = new StructType().add("user", DataTypes.IntegerType).add("item", DataTypes.IntegerType)
                .add("rating", DataTypes.DoubleType);
        Dataset<Row> test = SparkTestSession.get().createDataFrame(List.of(RowFactory.create(1, 1, 4.0),
                RowFactory.create(999, 1, 3.0), RowFactory.create(2, 999, 2.0), RowFactory.create(998, 997, 5.0)),
                schema);
        RegressionEvaluator rmse = new RegressionEvaluator().setMetricName("rmse").setLabelCol("rating");
        assertTrue(Double.isFinite(rmse.evaluate(model.transform(test))), "baseline strategy");
        DeepMatrixCompletionModel drop = model.copy(new ParamMap()).setColdStartStrategy("drop");
        assertEquals(1, drop.transform(test).count());
        assertTrue(Double.isFinite(rmse.evaluate(drop.transform(test))), "drop strategy");
        DeepMatrixCompletionModel nan = model.copy(new ParamMap()).setColdStartStrategy("nan");
        assertTrue(Double.isNaN(rmse.evaluate(nan.transform(test))), "nan strategy is what ALS does by default");
    }

    @Test
    void worksInAPipelineWithCrossValidation() {
        DeepMatrixCompletion dmc = estimator().setMaxSteps(10);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {dmc});
        ParamMap[] grid = new ParamGridBuilder().addGrid(dmc.rankHat(), new int[] {1, 3}).build();
        CrossValidator cv = new CrossValidator().setEstimator(pipeline).setEstimatorParamMaps(grid).setNumFolds(2)
                .setSeed(1).setEvaluator(new RegressionEvaluator().setMetricName("rmse").setLabelCol("rating"));
        CrossValidatorModel cvm = cv.fit(ratings);
        for (double m : cvm.avgMetrics()) {
            assertTrue(Double.isFinite(m), "cross-validated RMSE " + m);
        }
        assertEquals(all.size(), cvm.transform(ratings).count());
    }

    @Test
    void savesAndLoadsThroughSparkMlAndTheLibraryFile(@TempDir Path dir) throws Exception {
        String path = dir.resolve("spark-model").toString();
        model.write().overwrite().save(path);
        DeepMatrixCompletionModel back = DeepMatrixCompletionModel.load(path);
        assertEquals(model.transform(ratings).select("prediction").collectAsList(),
                back.transform(ratings).select("prediction").collectAsList());
        assertEquals("integer", back.getOrDefault(back.userIdType()));

        PipelineModel pm = new Pipeline().setStages(new PipelineStage[] {estimator().setMaxSteps(10)}).fit(ratings);
        pm.write().overwrite().save(dir.resolve("pipeline").toString());
        PipelineModel pm2 = PipelineModel.load(dir.resolve("pipeline").toString());
        assertEquals(pm.transform(ratings).select("prediction").collectAsList(),
                pm2.transform(ratings).select("prediction").collectAsList());

        Path file = dir.resolve("model.cdln");
        model.toCompletionModel().save(file);
        CompletionModel lib = CompletionModel.load(file);
        DeepMatrixCompletionModel fromLib = DeepMatrixCompletionModel.fromCompletionModel(lib, "integer", "integer");
        assertEquals(model.transform(ratings).select("prediction").collectAsList(),
                fromLib.transform(ratings).select("prediction").collectAsList());
        assertTrue(Files.size(file) > 0);
    }

    @Test
    void recommendsAndExposesFactors() {
        CompletionModel cm = model.toCompletionModel();
        List<Row> recs = model.recommendForAllUsers(3).collectAsList();
        assertEquals(all.numUsers(), recs.size());
        for (Row r : recs) {
            String user = String.valueOf(r.getInt(0));
            List<Row> items = r.getList(1);
            List<Recommendation> lib = cm.recommend(user, 3, false);
            for (int q = 0; q < 3; q++) {
                assertEquals(lib.get(q).itemId(), String.valueOf(items.get(q).getInt(0)));
            }
        }
        assertEquals(all.numItems(), model.recommendForAllItems(2).count());
        assertEquals(1, model.recommendForUserSubset(ratings.filter("user = 3"), 2).count());
        assertEquals(all.numUsers(), model.userFactors().count());
        assertEquals(model.rank(), model.itemFactors().first().getList(1).size());
    }

    @Test
    void mapsStringAndLongIdsDensely() {
        Dataset<Row> strings = ratings.selectExpr("concat('u', cast(user as string)) as user",
                "cast(item as long) as item", "rating");
        DeepMatrixCompletionModel m = estimator().fit(strings);
        assertEquals(all.numUsers(), m.toCompletionModel().users().size());
        List<Row> a = m.transform(strings).orderBy("user", "item").select("prediction").collectAsList();
        assertFalse(a.isEmpty());
        assertTrue(m.recommendForAllUsers(1).first().get(0) instanceof String);
        assertTrue(m.recommendForAllItems(1).first().get(0) instanceof Long);
    }

    @Test
    void paramsTakeTheLibrarysDefaultsAndDescriptions() {
        DeepMatrixCompletion e = new DeepMatrixCompletion();
        assertTrue(e.depth().doc().startsWith(org.cdln.recommend.DeepMatrixCompletion.DEPTH.description()),
                e.depth().doc());
        assertEquals(LibrarySettings.depth(), (Integer) e.getOrDefault(e.depth()));
        assertEquals(LibrarySettings.alpha(), (Double) e.getOrDefault(e.alpha()));
        assertEquals(LibrarySettings.maxSteps(), (Long) e.getOrDefault(e.maxSteps()));
    }

    @Test
    void refusesBadRowsWithOneMessage() {
        StructType schema = new StructType().add("user", DataTypes.IntegerType).add("item", DataTypes.IntegerType)
                .add("rating", DataTypes.DoubleType);
        List<Object[]> cases = new ArrayList<>();
        cases.add(new Object[] {null, 2, 3.0, "'user'"});
        cases.add(new Object[] {1, null, 3.0, "'item'"});
        cases.add(new Object[] {1, 2, Double.NaN, "NaN"});
        cases.add(new Object[] {1, 2, Double.POSITIVE_INFINITY, "Infinity"});
        for (Object[] c : cases) {
            Dataset<Row> bad = SparkTestSession.get().createDataFrame(List.of(RowFactory.create(1, 1, 4.0),
                    RowFactory.create(c[0], c[1], c[2])), schema);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> estimator().fit(bad));
            assertTrue(e.getMessage().contains((String) c[3]) && e.getMessage().contains("row"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
        Dataset<Row> wrongType = ratings.selectExpr("cast(user as double) as user", "item", "rating");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> estimator().fit(wrongType));
        assertTrue(e.getMessage().contains("'user' has type double"), e.getMessage());
        IllegalArgumentException depth = assertThrows(IllegalArgumentException.class,
                () -> estimator().setDepth(1).fit(ratings));
        assertTrue(depth.getMessage().contains("depth"), depth.getMessage());
    }
}
