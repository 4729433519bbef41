package org.cdln.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cdln.data.Ratings;
import org.cdln.data.Splits;
import org.cdln.recommend.CompletionModel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small fit on a real standalone cluster (scripts/spark-standalone.sh: a master and two workers
 * on 127.0.0.1) agrees with the library's fit to 1e-9; skipped, with the reason, when the cluster
 * cannot start within its time on this machine.
 */
@Tag("slow")
class StandaloneClusterTest {
    static Splits.Split problem() {
        Ratings all = SparkTestSession.lowRank(30, 20, 2, 0.6, 21);
        return Splits.random(all, 0.1, 5);
    }

    @Test
    void fitsOnAStandaloneClusterLikeTheLibrary(@TempDir Path dir) throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        Path script = root.resolve("scripts/spark-standalone.sh");
        assumeTrue(Files.isExecutable(script), "no " + script);
        Files.createDirectories(root.resolve("cdln-spark/target"));
        // the script lists the Spark jars from this test JVM's classpath instead of running Maven again
        Path cpFile = root.resolve("cdln-spark/target/spark-classpath.txt");
        if (!Files.exists(cpFile)) {
            Files.writeString(cpFile, System.getProperty("java.class.path"));
        }
        String port = String.valueOf(17077 + (int) (ProcessHandle.current().pid() % 1000));
        ProcessBuilder start = new ProcessBuilder("bash", script.toString(), "start").redirectErrorStream(true);
        start.environment().put("SPARK_MASTER_PORT", port);
        start.environment().put("SPARK_START_TIMEOUT", "60");
        start.redirectOutput(dir.resolve("start.log").toFile());
        Process p = start.start();
        boolean up = p.waitFor(150, TimeUnit.SECONDS) && p.exitValue() == 0;
        try {
            assumeTrue(up, "the standalone cluster did not start in time here: " + tail(dir.resolve("start.log")));
            Path out = dir.resolve("cluster.cdln");
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(ClusterFitMain.class.getName());
            cmd.add("spark://127.0.0.1:" + port);
            cmd.add(out.toString());
            Process fit = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("fit.log")
                    .toFile()).start();
            assertTrue(fit.waitFor(300, TimeUnit.SECONDS), "the cluster fit did not finish in 300 s");
            assertEquals(0, fit.exitValue(), tail(dir.resolve("fit.log")));
            CompletionModel cluster = CompletionModel.load(out);
            Splits.Split s = problem();
            CompletionModel lib = org.cdln.recommend.DeepMatrixCompletion.builder().set(org.cdln.recommend.DeepMatrixCompletion.RANK_HAT, 3).set(org.cdln.recommend.DeepMatrixCompletion.MAX_STEPS, 40L).set(org.cdln.recommend.DeepMatrixCompletion.EVAL_EVERY, 2)
                    .set(org.cdln.recommend.DeepMatrixCompletion.PATIENCE, 5).set(org.cdln.recommend.DeepMatrixCompletion.SEED, 4L).build().fit(s.train(), s.test());
            assertEquals(lib.settings().get("best_step"), cluster.settings().get("best_step"));
            for (String u : s.train().users().ids()) {
                for (String i : s.train().items().ids()) {
                    double a = lib.predict(u, i);
                    assertEquals(a, cluster.predict(u, i), 1e-9 * Math.abs(a));
                }
            }
        } finally {
            ProcessBuilder stop = new ProcessBuilder("bash", script.toString(), "stop").redirectErrorStream(true)
                    .redirectOutput(new File("/dev/null"));
            stop.environment().put("SPARK_MASTER_PORT", port);
            stop.start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (java.io.IOException e) {
            return "(no log)";
        }
    }
}
