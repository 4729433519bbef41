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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the version-2 golden model file (settings as a typed record), once, with the code of the
 * day it was made; runs only when asked ({@code -Dcdln.golden.v2.out=<folder>}). The version-1
 * files of {@link GoldenFilesWriter} are left as they were.
 */
@EnabledIfSystemProperty(named = "cdln.golden.v2.out", matches = ".+")
class GoldenFilesWriterV2 {
    @Test
    void write() throws IOException {
        Path out = Path.of(System.getProperty("cdln.golden.v2.out"));
        Files.createDirectories(out);
        CompletionModel m = DeepMatrixCompletion.builder().set(RANK_HAT, 3).set(VALIDATION_FRACTION, 0.2)
                .set(MAX_STEPS, 60L).set(SEED, 5L).build().fit(GoldenFixtures.ratings());
        m.save(out.resolve("model-v2.cdln"));
        Files.writeString(out.resolve("model-v2.expected.txt"),
                Expected.of(CompletionModel.load(out.resolve("model-v2.cdln"))));
    }
}
