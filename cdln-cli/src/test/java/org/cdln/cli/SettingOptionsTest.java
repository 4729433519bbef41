package org.cdln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cdln.recommend.CompletionModel;
import org.cdln.recommend.DeepMatrixCompletion;
import org.cdln.settings.Setting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cdln complete}'s options are derived from the library's declarations: help, parsing, refusals. */
class SettingOptionsTest {
    @Test
    void everyDeclaredSettingIsAnOptionWithItsDescriptionAndDefault() {
        Cli.Run help = Cli.run("complete", "--help");
        assertEquals(0, help.status(), help.err());
        String text = help.out().replaceAll("\\s+", " ");
        for (Setting<?> s : DeepMatrixCompletion.SCHEMA.settings()) {
            if (s.name().equals("network")) {
                continue;   // --model chooses it, with altmin besides
            }
            String flag = s.type() == Boolean.class ? "--[no-]" + SettingOptions.flag(s).substring(2)
                    : SettingOptions.flag(s);
            assertTrue(text.contains(flag), "complete --help lists " + flag);
            assertTrue(text.contains("default " + s.format(s.defaultValue())), s.name() + "'s default in the help");
        }
        assertTrue(text.contains("--step=VALUE|auto") && text.contains("--schedule"), text);
    }

    @Test
    void crossValidateAndEvaluateTakeTheProtocolOptionsFromTheirDeclarations(@TempDir Path dir) {
        String cv = Cli.run("cross-validate", "--help").out().replaceAll("\\s+", " ");
        for (Setting<?> s : java.util.List.of(org.cdln.recommend.EvaluationSettings.COLD_START,
                org.cdln.recommend.EvaluationSettings.RANKING_K, org.cdln.recommend.EvaluationSettings.RELEVANCE_THRESHOLD)) {
            assertTrue(cv.contains(s.description() + " Allowed: " + s.allowed() + "; default "
                    + s.format(s.defaultValue()) + "."), s.name() + " in " + cv);
        }
        assertTrue(cv.contains("-k, --top=VALUE"), cv);
        String ev = Cli.run("evaluate", "--help").out().replaceAll("\\s+", " ");
        assertTrue(ev.contains(org.cdln.recommend.EvaluationSettings.COLD_START.description()), ev);
        Cli.assertOneLineError(Cli.run("cross-validate", "--ratings", "r.data", "-k", "0", "--out",
                dir.toString()), "-k", "≥ 1");
        Cli.assertOneLineError(Cli.run("cross-validate", "--ratings", "r.data", "--threshold", "NaN", "--out",
                dir.toString()), "--threshold", "a finite rating");
        Cli.assertOneLineError(Cli.run("cross-validate", "--ratings", "r.data", "--cold-start", "zero", "--out",
                dir.toString()), "--cold-start", "baseline, nan or drop");
    }

    @Test
    void aRefusedValueNamesTheFlagTheRangeAndTheValue(@TempDir Path dir) throws Exception {
        Path ratings = dir.resolve("r.data");
        Files.writeString(ratings, "1\t1\t5\t0\n1\t2\t3\t0\n2\t1\t4\t0\n2\t2\t1\t0\n3\t1\t2\t0\n3\t2\t5\t0\n");
        Cli.Run r = Cli.run("complete", "--ratings", ratings.toString(), "--out", dir.resolve("m.cdln").toString(),
                "--schedule", "step", "--no-progress");
        Cli.assertOneLineError(r, "--schedule", "constant or cosine");
        r = Cli.run("complete", "--ratings", ratings.toString(), "--out", dir.resolve("m.cdln").toString(),
                "--eps", "-1", "--no-progress");
        Cli.assertOneLineError(r, "--eps", "> 0");
        assertTrue(r.err().contains("got -1.0"), r.err());
    }

    @Test
    void givenValuesReachTheModel(@TempDir Path dir) throws Exception {
        Path ratings = dir.resolve("r.data");
        StringBuilder b = new StringBuilder();
        java.util.Random rng = new java.util.Random(1);
        for (int u = 1; u <= 12; u++) {
            for (int i = 1; i <= 10; i++) {
                if (rng.nextDouble() < 0.7) {
                    b.append(u).append('\t').append(i).append('\t').append(1 + (u * i) % 5).append("\t0\n");
                }
            }
        }
        Files.writeString(ratings, b.toString());
        Path out = dir.resolve("m.cdln");
        Cli.Run r = Cli.run("complete", "--ratings", ratings.toString(), "--out", out.toString(), "--rank-hat", "2",
                "--steps", "15", "--schedule", "cosine", "--no-clip", "--no-progress");
        assertEquals(0, r.status(), r.err());
        var s = CompletionModel.load(out).declaredSettings().orElseThrow();
        assertEquals(2, s.get(DeepMatrixCompletion.RANK_HAT));
        assertEquals(15L, s.get(DeepMatrixCompletion.MAX_STEPS));
        assertEquals("COSINE", s.get(DeepMatrixCompletion.SCHEDULE).name());
        assertEquals(false, s.get(DeepMatrixCompletion.CLIP));
    }
}
