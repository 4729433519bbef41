package org.cdln.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The roofline's arithmetic: which bandwidth the bytes are charged at, and which level is named. */
class RooflineTest {
    private static final StepBenchmark.Case D1000 = new StepBenchmark.Case("completion", "compressed", 1000, 1000,
            300_000, 5, 10);
    /** A machine whose reported L3 is so large that its own triad (at half of it) measured DRAM. */
    private static final List<StepBenchmark.MemoryLevel> LEVELS = List.of(
            new StepBenchmark.MemoryLevel("L2", 2L << 20, 100.0),
            new StepBenchmark.MemoryLevel("L3", 480L << 20, 15.0),
            new StepBenchmark.MemoryLevel("DRAM", Long.MAX_VALUE, 15.0));

    @Test
    void bytesAreChargedAtTheWorkingSetsOwnTriadNotTheLevelsOne() {
        double ws = StepBenchmark.workingSetBytes(D1000, 10);
        // 12·|Ω| + 4·(d1 + 1) + 8·(4·k·d2 + 2·d1·k + 2·k²)
        assertEquals(12.0 * 300_000 + 4.0 * 1001 + 8.0 * (4 * 10 * 1000 + 2 * 1000 * 10 + 2 * 100), ws, 1e-6);
        StepBenchmark.Roofline slow = StepBenchmark.roofline(D1000, 10, 1e-3, 70.0, LEVELS, 15.0);
        StepBenchmark.Roofline fast = StepBenchmark.roofline(D1000, 10, 1e-3, 70.0, LEVELS, 30.0);
        assertEquals("L3", slow.level().name(), "4 MB does not fit 3/4 of a 2 MiB L2");
        assertEquals(30.0, fast.bandwidthGbPerS());
        // at 15 GB/s the bytes bound it; at 30 the FLOPs do
        assertTrue(slow.memoryBound());
        assertEquals(slow.bytesPerStep() / 15e9, slow.boundSeconds(), 1e-15);
        assertFalse(fast.memoryBound());
        assertEquals(fast.flopsPerStep() / 70e9, fast.boundSeconds(), 1e-15);
        assertEquals(fast.boundSeconds() / 1e-3, fast.fraction(), 1e-12);
    }

    @Test
    void onlyAWorkingSetOfStreamsSizeOrMoreIsBeyondTheCaches() {
        // 10⁴×10⁴ with 10⁶ entries (21.7 MB) gets a triad of its own; 10⁵×10⁵ with 10⁷ (216 MB) the DRAM one
        StepBenchmark.Case d1e4 = new StepBenchmark.Case("completion", "compressed", 10_000, 10_000, 1_000_000, 10, 20);
        StepBenchmark.Case d1e5 = new StepBenchmark.Case("completion", "compressed", 100_000, 100_000, 10_000_000, 10, 20);
        assertFalse(StepBenchmark.beyondCaches(StepBenchmark.workingSetBytes(d1e4, 20)));
        assertTrue(StepBenchmark.beyondCaches(StepBenchmark.workingSetBytes(d1e5, 20)));
        assertTrue(StepBenchmark.beyondCaches(96.0 * 1024 * 1024) && !StepBenchmark.beyondCaches(96.0 * 1024 * 1024 - 8));
    }

    @Test
    void aSmallWorkingSetIsNamedByTheFirstLevelThatHoldsIt() {
        StepBenchmark.Case d100 = new StepBenchmark.Case("completion", "compressed", 100, 100, 3000, 5, 10);
        StepBenchmark.Roofline r = StepBenchmark.roofline(d100, 10, 2e-5, 70.0, LEVELS, 100.0);
        assertEquals("L2", r.level().name());
        assertFalse(r.memoryBound());
    }
}
