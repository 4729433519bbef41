package org.cdln.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.cdln.data.Splits;
import org.cdln.optim.LearningRateSchedule;
import org.cdln.settings.InvalidSettingException;
import org.cdln.settings.Rule;
import org.cdln.settings.Schema;
import org.cdln.settings.Setting;
import org.cdln.settings.Settings;
import org.junit.jupiter.api.Test;

/** The declarations of deep matrix completion: defaults, validation, text round trip, provenance. */
class DeepMatrixCompletionSettingsTest {
    private static final Schema S = DeepMatrixCompletion.SCHEMA;

    @Test
    void everyDeclarationHasItsDefaultAndRoundTripsThroughText() {
        Settings d = S.defaults();
        for (Setting<?> s : S.settings()) {
            assertEquals(s.defaultValue(), d.raw(s), s.name());
            Object back = s.parse(s.format(d.raw(s)));
            assertEquals(d.raw(s), back, s.name() + " through its text form");
            assertFalse(s.description().isBlank(), s.name());
        }
        assertEquals(d, Settings.fromText(S, d.asText()));
        assertTrue(d.isAuto(DeepMatrixCompletion.RANK_HAT) && d.isAuto(DeepMatrixCompletion.STEP_SIZE));
        assertTrue(d.given(DeepMatrixCompletion.EPS).isEmpty());
        assertEquals(3, d.get(DeepMatrixCompletion.DEPTH));
    }

    @Test
    void refusalsNameTheSettingTheRangeAndTheValue() {
        Settings d = S.defaults();
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> d.with(DeepMatrixCompletion.DEPTH, 1));
        assertEquals("depth must be ≥ 2, got 1", e.getMessage());
        assertEquals(DeepMatrixCompletion.DEPTH, e.setting());
        e = assertThrows(InvalidSettingException.class, () -> d.withText(DeepMatrixCompletion.EPS, "small"));
        assertTrue(e.getMessage().contains("eps ε must be a finite number > 0 or auto, got 'small'"), e.getMessage());
        e = assertThrows(InvalidSettingException.class, () -> d.with(DeepMatrixCompletion.ALPHA, Setting.AUTO));
        assertTrue(e.getMessage().contains("alpha α has no automatic choice"), e.getMessage());
        e = assertThrows(InvalidSettingException.class, () -> d.withText(DeepMatrixCompletion.SCHEDULE, "step"));
        assertTrue(e.getMessage().contains("constant or cosine"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> S.add(Setting.ofInt("depth", "d", "again", Rule.atLeast(1), 1)));
    }

    @Test
    void aModelRecordsEveryDeclaredSettingAndItsVersion() {
        Splits.Split s = SyntheticRatings.standardSplit();
        CompletionModel m = DeepMatrixCompletion.builder().set(DeepMatrixCompletion.RANK_HAT, 4)
                .set(DeepMatrixCompletion.MAX_STEPS, 20L).set(DeepMatrixCompletion.SCHEDULE, LearningRateSchedule.COSINE)
                .build().fit(s.train());
        Map<String, String> meta = m.settings();
        for (Setting<?> setting : S.settings()) {
            assertTrue(meta.containsKey(setting.key()), "the model records " + setting.key() + ": " + meta.keySet());
        }
        assertEquals("cosine", meta.get("schedule"));
        assertEquals("4", meta.get("rank_hat"));
        assertEquals(String.valueOf(S.version()), meta.get("settings_version"));
        assertFalse(meta.get("step_size").equals("auto"), "an automatic step size is recorded with the value it took");
        Settings typed = m.declaredSettings().orElseThrow();
        assertEquals(LearningRateSchedule.COSINE, typed.get(DeepMatrixCompletion.SCHEDULE));
        assertEquals(4, typed.get(DeepMatrixCompletion.RANK_HAT));
        assertEquals(20L, typed.get(DeepMatrixCompletion.MAX_STEPS));
        assertFalse(typed.isAuto(DeepMatrixCompletion.STEP_SIZE));
    }

    @Test
    void theTypedRecordSurvivesSaveAndLoad(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Splits.Split s = SyntheticRatings.standardSplit();
        CompletionModel m = DeepMatrixCompletion.builder().set(DeepMatrixCompletion.RANK_HAT, 3)
                .set(DeepMatrixCompletion.MAX_STEPS, 10L).build().fit(s.train());
        java.nio.file.Path f = dir.resolve("m.cdln");
        m.save(f);
        assertEquals(m.declaredSettings(), CompletionModel.load(f).declaredSettings());
        assertTrue(new AltMin(AltMin.DEFAULTS.with(2, 1.0)).fit(s.train()).declaredSettings().isEmpty());
    }

    @Test
    void theScheduleChangesTheRunAndConstantIsTheDefault() {
        Splits.Split s = SyntheticRatings.standardSplit();
        DeepMatrixCompletion.Builder b = DeepMatrixCompletion.builder().set(DeepMatrixCompletion.RANK_HAT, 4)
                .set(DeepMatrixCompletion.MAX_STEPS, 30L).set(DeepMatrixCompletion.VALIDATION_FRACTION, 0.0);
        CompletionModel constant = b.build().fit(s.train());
        CompletionModel cosine = b.set(DeepMatrixCompletion.SCHEDULE, LearningRateSchedule.COSINE).build().fit(s.train());
        assertEquals(LearningRateSchedule.CONSTANT, DeepMatrixCompletion.DEFAULTS.get(DeepMatrixCompletion.SCHEDULE));
        double a = constant.trajectory().get(constant.trajectory().size() - 1).trainLoss();
        double c = cosine.trajectory().get(cosine.trajectory().size() - 1).trainLoss();
        assertTrue(a != c, "cosine must step differently from constant: " + a + " vs " + c);
    }
}
