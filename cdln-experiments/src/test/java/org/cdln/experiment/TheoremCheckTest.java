package org.cdln.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.train.StopSignal;
import org.cdln.train.TrainingInterruptedException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The paper's factorization theorem, error_c(t) ≤ error_o(t) at every evaluated step, on a small grid. */
class TheoremCheckTest {
    private final LinearAlgebra la = LinearAlgebra.instance();

    @Tag("slow")   // seconds, not milliseconds; mvn -B test still runs it (-DexcludedGroups=slow skips it)
    @Test
    void compressedErrorNeverExceedsOriginalOnASmallGrid() {
        long[] seeds = {0, 1, 2, 3, 4};
        for (TheoremCheck.Setting s : new TheoremCheck.Setting[] {
            new TheoremCheck.Setting(20, 2, 1e-2), new TheoremCheck.Setting(24, 3, 3e-3)}) {
            TheoremCheck.SettingResult res = TheoremCheck.run(s, seeds, 3, 1e-10, 200_000, 20, la,
                    ListenerFactory.none());
            assertEquals(5, res.runs().size());
            assertTrue(res.maxRatio() <= 1 + 1e-9, s.label() + ": max ratio " + res.maxRatio());
            for (TheoremCheck.SeedRun run : res.runs()) {
                // meaningful: the singular values were learned (relative loss < 1e-10 within the budget)
                assertEquals(org.cdln.train.StopReason.CONVERGED, run.original().stopReason(), s.label());
                assertEquals(run.original().steps(), run.compressed().steps());
                assertTrue(run.ratios().size() > 20, "compared at many steps: " + run.ratios().size());
            }
        }
    }

    /**
     * Stopped (as by SIGTERM) inside the compressed run of the first seed or the original run of
     * the second, then resumed from the checkpoints: the same ratios, runs and weights as without
     * the interruption.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void anInterruptedCheckResumesIntoTheUninterruptedOne(int run, @TempDir Path dir) {
        TheoremCheck.Setting st = new TheoremCheck.Setting(12, 2, 1e-2);
        long[] seeds = {0, 1};
        TheoremCheck.SettingResult full = TheoremCheck.run(st, seeds, 3, 1e-8, 50_000, 5, la, ListenerFactory.none());
        RecoveryExperiments.Checkpointing fresh = new RecoveryExperiments.Checkpointing(dir, false, 1e9);
        long at = full.runs().get(run / 2).original().steps() / 3;
        try {
            TrainingInterruptedException e = assertThrows(TrainingInterruptedException.class, () -> TheoremCheck.run(
                    st, seeds, 3, 1e-8, 50_000, 5, la, Interruptions.stopAt(run, at), fresh));
            assertEquals(at + 1, e.step(), "stopped before the step after the request");
            assertTrue(e.checkpoint() != null && Files.isRegularFile(e.checkpoint()), "saved at the interruption");
        } finally {
            StopSignal.clear();
        }
        RecoveryExperiments.Checkpointing resume = new RecoveryExperiments.Checkpointing(dir, true, 1e9);
        for (int pass = 0; pass < 2; pass++) {   // the second resumes only finished runs
            TheoremCheck.SettingResult resumed = TheoremCheck.run(st, seeds, 3, 1e-8, 50_000, 5, la,
                    ListenerFactory.none(), resume);
            assertEquals(full.maxRatio(), resumed.maxRatio(), 0.0);
            // it did resume: the interrupted run continued from its checkpoint, the finished ones from their ends
            TheoremCheck.SeedRun first = resumed.runs().get(0);
            assertEquals(pass == 0 && run == 1 ? at + 1 : first.compressed().steps(),
                    first.compressed().provenance().resumedFromStep());
            TheoremCheck.SeedRun second = resumed.runs().get(1);
            assertEquals(pass == 0 ? (run == 2 ? at + 1 : 0) : second.original().steps(),
                    second.original().provenance().resumedFromStep());
            for (int i = 0; i < seeds.length; i++) {
                TheoremCheck.SeedRun a = full.runs().get(i);
                TheoremCheck.SeedRun b = resumed.runs().get(i);
                assertEquals(a.maxAtStep(), b.maxAtStep());
                assertEquals(a.ratios().size(), b.ratios().size());
                for (int k = 0; k < a.ratios().size(); k++) {
                    assertArrayEquals(a.ratios().get(k), b.ratios().get(k), 0.0);
                }
                Interruptions.assertSameRun(a.original(), b.original());
                Interruptions.assertSameRun(a.compressed(), b.compressed());
            }
        }
    }

    @Test
    void settingsAreValidatedNamingTheSetting() {
        // the library names the setting; the CLI maps it to its flag (DynamicsCommandsTest: --r, --eps, --d)
        org.cdln.settings.InvalidSettingException e = assertThrows(org.cdln.settings.InvalidSettingException.class,
                () -> new TheoremCheck.Setting(10, 6, 1e-2));
        assertTrue(e.setting() == TheoremSettings.R && e.getMessage().startsWith("r ")
                && e.getMessage().contains("[1, 5]"), e.getMessage());
        e = assertThrows(org.cdln.settings.InvalidSettingException.class, () -> new TheoremCheck.Setting(10, 2, 0));
        assertTrue(e.setting() == TheoremSettings.EPS && e.getMessage().startsWith("eps"), e.getMessage());
        e = assertThrows(org.cdln.settings.InvalidSettingException.class, () -> new TheoremCheck.Setting(1, 1, 1e-2));
        assertTrue(e.setting() == TheoremSettings.D && e.getMessage().contains("≥ 2"), e.getMessage());
        e = assertThrows(org.cdln.settings.InvalidSettingException.class, () -> new TheoremSettings(List.of(10, 30),
                List.of(2, 6), List.of(1e-2), 1, 3, 1e-10, 10, 1));
        assertTrue(e.setting() == TheoremSettings.R && e.getMessage().contains("[1, 5]"), e.getMessage());
    }
}
