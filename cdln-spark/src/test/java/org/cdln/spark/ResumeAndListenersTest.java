package org.cdln.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.cdln.data.Ratings;
import org.cdln.data.Splits;
import org.cdln.recommend.CompletionModel;
import org.cdln.train.TrainingContext;
import org.cdln.train.TrainingListener;
import org.cdln.train.TrainingPoint;
import org.cdln.train.TrainingResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Spark fit killed after N steps continues from its last checkpoint and ends with the factors
 * of the uninterrupted fit (bit for bit: the same iterate, the same sums), in the broadcast and
 * the out-block path; a finished fit is read back from its last checkpoint; and the library's
 * training listeners hear the fit's start, every step, every evaluation and its end.
 */
class ResumeAndListenersTest {
    private static final Ratings ALL = SparkTestSession.lowRank(40, 30, 3, 0.5, 17);
    private static final Splits.Split SPLIT = Splits.random(ALL, 0.1, 5);

    private static DeepMatrixCompletion estimator(long broadcastLimit) {
        return new DeepMatrixCompletion().setRankHat(4).setMaxSteps(30).setEvalEvery(2).setPatience(50).setSeed(3)
                .setValidationCol("val").setNumBlocks(2).setNumItemBlocks(2).setBroadcastLimit(broadcastLimit);
    }

    private static Dataset<Row> data() {
        return SparkTestSession.frame(SPLIT.train(), SPLIT.test());
    }

    private static void killedThenResumed(long broadcastLimit, Path dir) {
        CompletionModel uninterrupted = estimator(broadcastLimit).fit(data()).toCompletionModel();
        RuntimeException kill = assertThrows(RuntimeException.class, () -> estimator(broadcastLimit)
                .setCheckpoints(dir, false, 0.0).setProgress((p, max) -> {
                    if (p.step() >= 12) {
                        throw new IllegalStateException("killed at step " + p.step());
                    }
                }).fit(data()));
        assertTrue(kill.getMessage().contains("killed at step 12"), kill.getMessage());
        AtomicInteger firstStep = new AtomicInteger(-1);
        TrainingListener start = new TrainingListener() {
            @Override
            public void onStart(TrainingContext context) {
                firstStep.set((int) context.firstStep());
            }
        };
        CompletionModel resumed = estimator(broadcastLimit).setCheckpoints(dir, true, 0.0)
                .setListeners(List.of(start)).fit(data()).toCompletionModel();
        assertEquals(12, firstStep.get(), "the resumed fit starts at the checkpoint's step");
        assertEquals(uninterrupted.settings().get("steps"), resumed.settings().get("steps"));
        assertEquals(uninterrupted.settings().get("best_step"), resumed.settings().get("best_step"));
        assertArrayEquals(uninterrupted.userFactors().data(), resumed.userFactors().data(), 0.0);
        assertArrayEquals(uninterrupted.itemFactors().data(), resumed.itemFactors().data(), 0.0);
        assertEquals(uninterrupted.trajectory().size(), resumed.trajectory().size());

        // a finished fit is read back from its final checkpoint without a step
        AtomicInteger steps = new AtomicInteger();
        TrainingListener count = new TrainingListener() {
            @Override
            public void onStep(long step, double loss, TrainingContext context) {
                steps.incrementAndGet();
            }
        };
        CompletionModel again = estimator(broadcastLimit).setCheckpoints(dir, true, 0.0).setListeners(List.of(count))
                .fit(data()).toCompletionModel();
        assertEquals(0, steps.get());
        assertArrayEquals(uninterrupted.userFactors().data(), again.userFactors().data(), 0.0);
    }

    @Test
    void killedFitResumesIntoTheUninterruptedFactors(@TempDir Path dir) throws Exception {
        killedThenResumed(1L << 24, dir.resolve("broadcast"));
        assertTrue(Files.list(dir.resolve("broadcast")).anyMatch(f -> f.getFileName().toString().endsWith(".ckpt")));
    }

    @Test
    void outBlockPathResumesToo(@TempDir Path dir) {
        killedThenResumed(1, dir.resolve("out-blocks"));
    }

    @Test
    void libraryListenersHearEveryStepAndEvaluation() {
        AtomicInteger starts = new AtomicInteger();
        AtomicInteger steps = new AtomicInteger();
        AtomicInteger evaluations = new AtomicInteger();
        long[] ended = {-1};
        TrainingListener l = new TrainingListener() {
            @Override
            public void onStart(TrainingContext context) {
                starts.incrementAndGet();
                assertEquals(30, context.maxSteps());
            }

            @Override
            public void onStep(long step, double loss, TrainingContext context) {
                steps.incrementAndGet();
            }

            @Override
            public void onEvaluation(TrainingPoint point, TrainingContext context) {
                evaluations.incrementAndGet();
            }

            @Override
            public void onEnd(TrainingResult result) {
                ended[0] = result.steps();
            }
        };
        CompletionModel m = estimator(1L << 24).setListeners(List.of(l)).fit(data()).toCompletionModel();
        long finalStep = Long.parseLong(m.settings().get("steps"));
        assertEquals(1, starts.get());
        assertEquals(finalStep, ended[0]);
        assertEquals(finalStep, steps.get(), "one onStep per update");
        assertEquals(m.trajectory().size(), evaluations.get());
    }
}
