package org.cdln.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's tests run without Spark on the classpath (it is a provided dependency of cdln-spark):
 * asking for the Spark engine then refuses in one line that says how to get it; a bad engine name
 * is refused too.
 */
class SparkEngineFlagsTest {
    @Test
    void sparkEngineWithoutSparkJarsRefusesInOneLine(@TempDir Path dir) throws Exception {
        Path ratings = dir.resolve("r.tsv");
        Files.writeString(ratings, "1\t1\t4\t0\n1\t2\t3\t0\n2\t1\t5\t0\n2\t2\t2\t0\n");
        Cli.Run r = Cli.run("complete", "--ratings", ratings.toString(), "--out", dir.resolve("m.cdln").toString(),
                "--engine", "spark", "--master", "local[2]");
        Cli.assertOneLineError(r, "Spark", "./cdln");
        assertTrue(!Files.exists(dir.resolve("m.cdln")), "no model file is written");
        Cli.assertOneLineError(Cli.run("bench", "spark", "--data", dir.toString()), "Spark", "./cdln");
        Cli.assertOneLineError(Cli.run("complete", "--ratings", ratings.toString(), "--out",
                dir.resolve("m.cdln").toString(), "--engine", "hadoop"), "--engine", "local or spark");
        Cli.assertOneLineError(Cli.run("bench", "spark", "--splits", "none", "--synthetic", "0.01", "--models", "svd"),
                "--models", "als and c-dln");
    }
}
