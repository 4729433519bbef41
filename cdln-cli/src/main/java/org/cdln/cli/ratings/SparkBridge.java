package org.cdln.cli.ratings;

import java.io.PrintWriter;
import java.util.Locale;
import org.cdln.data.Ratings;
import org.cdln.recommend.CompletionModel;
import org.cdln.recommend.DeepMatrixCompletion;

/**
 * {@code --engine spark}: runs the fit through the cdln-spark module. Spark is not bundled with
 * the CLI (it is a provided dependency, ≈ 300 MB); the launcher puts its jars on the classpath
 * when the Spark engine is asked for, and without them the command refuses with one line.
 */
public final class SparkBridge {
    private SparkBridge() {
    }

    /** Whether {@code --engine} asks for Spark; refuses values other than local and spark. */
    public static boolean requested(String engine) {
        String e = engine == null ? "local" : engine.trim().toLowerCase(Locale.ROOT);
        if (!e.equals("local") && !e.equals("spark")) {
            throw new IllegalArgumentException("--engine must be local or spark, got '" + engine + "'");
        }
        return e.equals("spark");
    }

    /** Refuses, in one line, when the Spark jars are not on the classpath. */
    public static void requireSpark() {
        try {
            Class.forName("org.apache.spark.sql.SparkSession", false, SparkBridge.class.getClassLoader());
            Class.forName("org.cdln.spark.SparkEngine", false, SparkBridge.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("the Spark engine needs Spark 4.1.0 (_2.13) on the classpath, and it is "
                    + "not there: run cdln through its launcher (./cdln adds cdln-spark's dependency jars when the "
                    + "Spark engine is asked for), or use --engine local");
        }
    }

    /**
     * Fits on Spark with the library's settings; {@code listeners} (the progress bar) hear every
     * step and evaluation; checkpoints go to {@code checkpointDir} every 30 s and at the end of
     * each fit, and {@code resume} continues from them.
     */
    public static CompletionModel fit(Ratings ratings, org.cdln.settings.Settings s, String master, int blocks,
                                      java.util.List<org.cdln.train.TrainingListener> listeners,
                                      java.nio.file.Path checkpointDir, boolean resume, PrintWriter out) {
        requireSpark();
        return org.cdln.spark.SparkEngine.fitOn(master, ratings, s, blocks, null, listeners, checkpointDir, resume,
                out);
    }
}
