package org.cdln.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cdln.linalg.LinearAlgebra;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

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

    @Test
    void settingsAreValidatedWithTheFlagName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TheoremCheck.Setting(10, 6, 1e-2));
        assertTrue(e.getMessage().contains("--r") && e.getMessage().contains("[1, 5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TheoremCheck.Setting(10, 2, 0));
        assertTrue(e.getMessage().contains("--eps"), e.getMessage());
    }
}
