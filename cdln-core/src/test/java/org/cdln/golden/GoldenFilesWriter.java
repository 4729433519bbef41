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
 * Writes the version-1 golden files, once, with the code of the day they were made. It is not a
 * test: it runs only when asked ({@code -Dcdln.golden.out=<folder>}); {@link GoldenFilesTest}
 * reads the committed files back on every build. Regenerating them would defeat their purpose.
 */
@EnabledIfSystemProperty(named = "cdln.golden.out", matches = ".+")
class GoldenFilesWriter {
    @Test
    void write() throws IOException {
        Path out = Path.of(System.getProperty("cdln.golden.out"));
        Files.createDirectories(out);
        CompletionModel m = DeepMatrixCompletion.builder().set(RANK_HAT, 3).set(VALIDATION_FRACTION, 0.2).set(MAX_STEPS, 60L).set(SEED, 5L)
                .build().fit(GoldenFixtures.ratings());
        m.save(out.resolve("model-v1.cdln"));
        Files.writeString(out.resolve("model-v1.expected.txt"), Expected.of(CompletionModel.load(out.resolve("model-v1.cdln"))));
        new Trainer(GoldenFixtures.config(GoldenFixtures.CHECKPOINT_STEPS), GoldenFixtures.LA)
                .addListener(new CheckpointListener(out.resolve("checkpoint-v1.ckpt"), 1e9))
                .fit("golden", GoldenFixtures.network(), GoldenFixtures.problem());
        Files.writeString(out.resolve("checkpoint-v1.expected.txt"),
                Expected.of(Checkpoint.load(out.resolve("checkpoint-v1.ckpt"))));
    }
}
