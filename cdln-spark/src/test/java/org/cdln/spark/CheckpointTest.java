package org.cdln.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.api.java.JavaSparkContext;
import org.cdln.data.Ratings;
import org.cdln.data.Splits;
import org.cdln.recommend.CompletionModel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A long fit checkpoints its lineage (a checkpoint directory is set when the context has none,
 * never skipped), so 1,000 steps do not overflow the stack; the out-block path checkpoints its item
 * blocks as well.
 */
@Tag("slow")
class CheckpointTest {
    @Test
    void thousandStepsDoNotOverflowTheStack() {
        Ratings all = SparkTestSession.lowRank(12, 10, 2, 0.7, 3);
        Splits.Split s = Splits.random(all, 0.1, 1);
        // broadcast path: 1,000 steps, the lineage checkpointed every 50
        CompletionModel m = new DeepMatrixCompletion().setRankHat(2).setMaxSteps(1000).setEvalEvery(500)
                .setPatience(0).setValidationCol("val").setNumBlocks(2).setCheckpointInterval(50)
                .fit(SparkTestSession.frame(s.train(), s.test())).toCompletionModel();
        assertEquals("1000", m.settings().get("steps"));
        assertEquals("budget", m.settings().get("stop_reason"));
        // out-block path: item blocks are checkpointed too (every 5 of 40 steps)
        CompletionModel o = new DeepMatrixCompletion().setRankHat(2).setMaxSteps(40).setEvalEvery(20)
                .setPatience(0).setValidationCol("val").setNumBlocks(2).setCheckpointInterval(5).setBroadcastLimit(1)
                .fit(SparkTestSession.frame(s.train(), s.test())).toCompletionModel();
        assertEquals("40", o.settings().get("steps"));
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
        assertTrue(sc.getCheckpointDir().isPresent(), "a checkpoint directory was set for the fit");
    }
}
