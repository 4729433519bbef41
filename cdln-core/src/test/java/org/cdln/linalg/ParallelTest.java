package org.cdln.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The crew that runs split kernels: every part exactly once, failures rethrown, nesting and concurrent callers safe. */
class ParallelTest {
    @AfterEach
    void reset() {
        LinearAlgebra.setThreads(null);
    }

    @Test
    void everyPartRunsOnceOverItsBoundsForManyConsecutiveCalls() {
        LinearAlgebra.setThreads(3);
        for (int call = 0; call < 2_000; call++) {
            int n = 1 + call % 97;
            int parts = 1 + call % 5;   // also more parts than threads: the caller runs the rest
            int[] hits = new int[n];
            Parallel.forParts(parts, n, (part, from, to) -> {
                for (int i = from; i < to; i++) {
                    hits[i]++;
                }
            });
            int[] ones = new int[n];
            java.util.Arrays.fill(ones, 1);
            assertArrayEquals(ones, hits, "call " + call);
        }
    }

    @Test
    void aFailingWorkerPartIsRethrownToTheCallerAndTheCrewStaysUsable() {
        LinearAlgebra.setThreads(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                Parallel.forParts(2, 10, (part, from, to) -> {
                    if (part == 1) {
                        throw new IllegalArgumentException("part 1 failed");
                    }
                }));
        assertEquals("part 1 failed", e.getMessage());
        AtomicInteger sum = new AtomicInteger();
        Parallel.forParts(2, 10, (part, from, to) -> sum.addAndGet(to - from));
        assertEquals(10, sum.get());
    }

    @Test
    void nestedAndConcurrentCallsRunEveryPart() throws Exception {
        LinearAlgebra.setThreads(2);
        // a part that splits again runs its sub-parts itself
        AtomicInteger inner = new AtomicInteger();
        Parallel.forParts(2, 2, (part, from, to) -> Parallel.forParts(2, 100, (p, f, t) -> inner.addAndGet(t - f)));
        assertEquals(200, inner.get());
        // two callers at once: one gets the crew, the other runs its parts on its own thread
        long[] totals = new long[2];
        Thread[] callers = new Thread[2];
        for (int c = 0; c < 2; c++) {
            final int me = c;
            callers[c] = new Thread(() -> {
                for (int call = 0; call < 500; call++) {
                    AtomicInteger s = new AtomicInteger();
                    Parallel.forParts(2, 1_000, (part, from, to) -> s.addAndGet(to - from));
                    totals[me] += s.get();
                }
            });
            callers[c].start();
        }
        for (Thread t : callers) {
            t.join(60_000);
            assertTrue(!t.isAlive(), "a caller did not finish");
        }
        assertEquals(500_000L, totals[0]);
        assertEquals(500_000L, totals[1]);
    }

    @Test
    void everyChunkRunsOnceWhicheverThreadClaimsItForManyConsecutiveCalls() {
        LinearAlgebra.setThreads(2);
        for (int call = 0; call < 2_000; call++) {
            int n = 1 + call % 97;
            int chunks = Math.min(n, 1 + call % 7);
            int[] bounds = new int[chunks + 1];
            for (int c = 0; c <= chunks; c++) {
                bounds[c] = (int) ((long) c * c * n / ((long) chunks * chunks));   // unequal chunks
            }
            int[] hits = new int[n];
            int[] chunkHits = new int[chunks];
            Parallel.forChunks(chunks, c -> bounds[c], (chunk, from, to) -> {
                assertEquals(bounds[chunk], from);
                assertEquals(bounds[chunk + 1], to);
                chunkHits[chunk]++;
                for (int i = from; i < to; i++) {
                    hits[i]++;
                }
            });
            int[] ones = new int[n];
            java.util.Arrays.fill(ones, 1);
            assertArrayEquals(ones, hits, "call " + call);
            int[] once = new int[chunks];
            java.util.Arrays.fill(once, 1);
            assertArrayEquals(once, chunkHits, "call " + call);
            // a call of fixed parts right after one of claimed chunks: the worker must still take its part
            AtomicInteger sum = new AtomicInteger();
            Parallel.forParts(2, n, (part, from, to) -> sum.addAndGet(to - from));
            assertEquals(n, sum.get(), "call " + call);
        }
    }

    @Test
    void aFailingChunkIsRethrownAndNestedChunksRunInline() {
        LinearAlgebra.setThreads(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () ->
                Parallel.forChunks(4, c -> c, (chunk, from, to) -> {
                    if (chunk == 2) {
                        throw new IllegalStateException("chunk 2 failed");
                    }
                }));
        assertEquals("chunk 2 failed", e.getMessage());
        AtomicInteger inner = new AtomicInteger();
        Parallel.forParts(2, 2, (part, from, to) -> Parallel.forChunks(3, c -> 10 * c, (c, f, t) -> inner.addAndGet(t - f)));
        assertEquals(60, inner.get());
    }
}
