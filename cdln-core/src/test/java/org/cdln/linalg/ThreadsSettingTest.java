package org.cdln.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Threads are an in-process setting of the facade: a library user sets them without environment variables. */
class ThreadsSettingTest {
    @AfterEach
    void reset() {
        LinearAlgebra.setThreads(null);
    }

    @Test
    void setThreadsSizesThePoolAndTheSplitInThisProcess() {
        LinearAlgebra.setThreads(3);
        assertEquals(3, LinearAlgebra.configuredThreads());
        assertEquals(3, Parallel.threads());
        // a large range is cut into one part per thread, and the parts run on distinct threads
        Set<String> names = ConcurrentHashMap.newKeySet();
        Parallel.forParts(3, 3_000, (part, from, to) -> names.add(Thread.currentThread().getName()));
        assertEquals(3, names.size(), names.toString());
        assertEquals(3, Parallel.partsFor(1_000_000, 1L << 40));
        LinearAlgebra.setThreads(1);
        assertEquals(1, Parallel.partsFor(1_000_000, 1L << 40));
        assertThrows(IllegalArgumentException.class, () -> LinearAlgebra.setThreads(0));
    }

    @Test
    void clearingTheSettingGoesBackToTheEnvironment() {
        int before = LinearAlgebra.configuredThreads();
        LinearAlgebra.setThreads(before + 2);
        LinearAlgebra.setThreads(null);
        assertEquals(before, LinearAlgebra.configuredThreads());
    }
}
