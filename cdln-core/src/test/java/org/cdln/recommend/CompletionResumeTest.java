package org.cdln.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cdln.data.Splits;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.train.StopSignal;
import org.cdln.train.TrainingContext;
import org.cdln.train.TrainingInterruptedException;
import org.cdln.train.TrainingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ratings fit interrupted by {@link StopSignal} (SIGTERM in the CLI) and resumed from its
 * checkpoint gives exactly the model of the uninterrupted fit: the validation monitor's best
 * factors, patience count and curve travel in the checkpoint.
 */
class CompletionResumeTest {
    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        StopSignal.clear();
    }

    private static DeepMatrixCompletion.Builder builder() {
        return DeepMatrixCompletion.builder().set(DeepMatrixCompletion.RANK_HAT, 4)
                .set(DeepMatrixCompletion.VALIDATION_FRACTION, 0.2).set(DeepMatrixCompletion.MAX_STEPS, 400L)
                .set(DeepMatrixCompletion.PATIENCE, 5).linearAlgebra(LinearAlgebra.java());
    }

    @Test
    void anInterruptedFitResumesIntoTheUninterruptedModel() {
        Splits.Split split = SyntheticRatings.standardSplit();
        CompletionModel full = builder().build().fit(split.train());
        long stopAt = Long.parseLong(full.settings().get("steps")) / 2 + 1;
        Path ckpts = dir.resolve("ckpt");
        TrainingListener stopper = new TrainingListener() {
            @Override
            public void onStep(long step, double loss, TrainingContext context) {
                if (step == stopAt) {
                    StopSignal.request("test");
                }
            }
        };
        TrainingInterruptedException e = assertThrows(TrainingInterruptedException.class,
                () -> builder().listener(stopper).checkpoints(ckpts, false, 1e9).build().fit(split.train()));
        assertTrue(e.checkpoint() != null && Files.isRegularFile(e.checkpoint()), "saved at the interruption");
        StopSignal.clear();
        CompletionModel resumed = builder().checkpoints(ckpts, true, 1e9).build().fit(split.train());
        assertArrayEquals(full.userFactors().data(), resumed.userFactors().data(), 0.0);
        assertArrayEquals(full.itemFactors().data(), resumed.itemFactors().data(), 0.0);
        assertEquals(full.settings().get("steps"), resumed.settings().get("steps"));
        assertEquals(full.settings().get("stop_reason"), resumed.settings().get("stop_reason"));
        assertEquals(full.settings().get("best_step"), resumed.settings().get("best_step"));
        assertEquals(full.trajectory().size(), resumed.trajectory().size());
        for (int i = 0; i < full.trajectory().size(); i++) {
            assertEquals(full.trajectory().get(i).validationRmse(), resumed.trajectory().get(i).validationRmse(), 0.0);
        }
        // resuming the finished fit gives the same model again without training
        CompletionModel again = builder().checkpoints(ckpts, true, 1e9).build().fit(split.train());
        assertArrayEquals(full.userFactors().data(), again.userFactors().data(), 0.0);
    }
}
