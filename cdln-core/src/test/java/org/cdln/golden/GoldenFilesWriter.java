package org.cdln.golden;

import static org.cdln.recommend.DeepMatrixCompletion.MAX_STEPS;
import static org.cdln.recommend.DeepMatrixCompletion.RANK_HAT;
import static org.cdln.recommend.DeepMatrixCompletion.SEED;
import static org.cdln.recommend.DeepMatrixCompletion.VALIDATION_FRACTION;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cdln.recommend.CompletionModel;
import org.cdln.recommend.DeepMatrixCompletion;
import org.cdln.train.Checkpoint;
import org.cdln.train.CheckpointListener;
import org.cdln.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the golden files, once each, with the code of the day they were made. It is not a test:
 * each method runs only when asked ({@code -Dcdln.golden.out=<folder>} for the version-1 model file
 * and checkpoint, {@code -Dcdln.golden.v2.out=<folder>} for the version-2 model file, whose
 * settings are a typed record); {@link GoldenFilesTest} reads the committed files back on every
 * build. Regenerating them would defeat their purpose.
 */
class GoldenFilesWriter {
    /** The model of every golden model file: the same fit, saved in the format of the day. */
    private static CompletionModel fit() {
        return DeepMatrixCompletion.builder().set(RANK_HAT, 3).set(VALIDATION_FRACTION, 0.2).set(MAX_STEPS, 60L)
                .set(SEED, 5L).build().fit(GoldenFixtures.ratings());
    }

    private static void writeModel(Path out, String name) throws IOException {
        Files.createDirectories(out);
        fit().save(out.resolve(name + ".cdln"));
        Files.writeString(out.resolve(name + ".expected.txt"), Expected.of(CompletionModel.load(out.resolve(name + ".cdln"))));
    }

    @Test
    @EnabledIfSystemProperty(named = "cdln.golden.out", matches = ".+")
    void write() throws IOException {
        Path out = Path.of(System.getProperty("cdln.golden.out"));
        writeModel(out, "model-v1");
        new Trainer(GoldenFixtures.config(GoldenFixtures.CHECKPOINT_STEPS), GoldenFixtures.LA)
                .addListener(new CheckpointListener(out.resolve("checkpoint-v1.ckpt"), 1e9))
                .fit("golden", GoldenFixtures.network(), GoldenFixtures.problem());
        Files.writeString(out.resolve("checkpoint-v1.expected.txt"),
                Expected.of(Checkpoint.load(out.resolve("checkpoint-v1.ckpt"))));
    }

    @Test
    @EnabledIfSystemProperty(named = "cdln.golden.v2.out", matches = ".+")
    void writeVersionTwoModel() throws IOException {
        writeModel(Path.of(System.getProperty("cdln.golden.v2.out")), "model-v2");
    }
}
