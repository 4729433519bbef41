package org.cdln.spark;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.cdln.data.Splits;

/**
 * Run by {@link StandaloneClusterTest} in its own JVM (a JVM holds one SparkContext, and the test
 * JVM's is local): fits the agreement problem on the given master and saves the library model.
 * Arguments: master URL, output file.
 */
public final class ClusterFitMain {
    private ClusterFitMain() {
    }

    public static void main(String[] args) {
        SparkSession spark = SparkSession.builder().master(args[0]).appName("cdln cluster test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.executor.memory", "512m")
                .config("spark.cores.max", "2")
                .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .getOrCreate();
        try {
            Splits.Split s = StandaloneClusterTest.problem();
            // SparkTestSession.get() returns this JVM's session, the cluster's (getOrCreate keeps an active one)
            org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> df = SparkTestSession.frame(s.train(), s.test());
            new DeepMatrixCompletion().setRankHat(3).setMaxSteps(40).setEvalEvery(2).setPatience(5).setSeed(4)
                    .setValidationCol("val").setNumBlocks(2).fit(df).toCompletionModel().save(Path.of(args[1]));
        } finally {
            spark.stop();
        }
    }
}
