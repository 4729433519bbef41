package org.cdln.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.cdln.recommend.CompletionModel;
import org.cdln.train.Checkpoint;
import org.cdln.train.TrainResult;
import org.cdln.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * Files written by an earlier cdln must stay readable: a version-1 model file and a version-1
 * checkpoint, written once by {@link GoldenFilesWriter} and committed, and a version-2 model file
 * (typed settings), also written by {@link GoldenFilesWriter}, are read back by every
 * build and must give exactly what was saved (every double compared by its bits). The checkpoint
 * must also still resume into the run it was cut from.
 */
class GoldenFilesTest {
    private static Path resource(String name) throws URISyntaxException {
        return Path.of(GoldenFilesTest.class.getResource("/golden/" + name).toURI());
    }

    private static String text(String name) throws IOException {
        try (InputStream in = GoldenFilesTest.class.getResourceAsStream("/golden/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void versionOneModelFileLoadsAndPredictsWhatWasSaved() throws Exception {
        CompletionModel m = CompletionModel.load(resource("model-v1.cdln"));
        assertEquals(text("model-v1.expected.txt"), Expected.of(m));
    }

    @Test
    void versionTwoModelFileLoadsWithItsTypedSettings() throws Exception {
        CompletionModel m = CompletionModel.load(resource("model-v2.cdln"));
        assertEquals(text("model-v2.expected.txt"), Expected.of(m));
        org.cdln.settings.Settings s = m.declaredSettings().orElseThrow();
        assertEquals(3, s.get(org.cdln.recommend.DeepMatrixCompletion.RANK_HAT));
        assertEquals(60L, s.get(org.cdln.recommend.DeepMatrixCompletion.MAX_STEPS));
        assertEquals(true, s.isAuto(org.cdln.recommend.DeepMatrixCompletion.WIDTH));
    }

    @Test
    void versionOneCheckpointLoadsWithEveryValue() throws Exception {
        Checkpoint c = Checkpoint.load(resource("checkpoint-v1.ckpt"));
        assertEquals(text("checkpoint-v1.expected.txt"), Expected.of(c));
    }

    @Test
    void versionOneCheckpointResumesIntoTheUninterruptedRun() throws Exception {
        Checkpoint c = Checkpoint.load(resource("checkpoint-v1.ckpt"));
        long steps = 2L * GoldenFixtures.CHECKPOINT_STEPS;
        TrainResult full = new Trainer(GoldenFixtures.config(steps), GoldenFixtures.LA)
                .fit("golden", GoldenFixtures.network(), GoldenFixtures.problem());
        TrainResult resumed = new Trainer(GoldenFixtures.config(steps), GoldenFixtures.LA)
                .resume(c, GoldenFixtures.problem());
        assertEquals(full.steps(), resumed.steps());
        assertEquals(full.trajectory().size(), resumed.trajectory().size());
        for (int i = 0; i < full.trajectory().size(); i++) {
            assertEquals(full.trajectory().get(i).trainLoss(), resumed.trajectory().get(i).trainLoss(), 0.0,
                    "loss at evaluation " + i);
        }
        for (int l = 1; l <= full.network().depth(); l++) {
            assertArrayEquals(full.network().layer(l).data(), resumed.network().layer(l).data(), 0.0, "W" + l);
        }
    }
}
