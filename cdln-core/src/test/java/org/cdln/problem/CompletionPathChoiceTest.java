package org.cdln.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The timed choice of the completion path, driven by fake clocks: what decides a race. */
class CompletionPathChoiceTest {
    /** A fake trial: candidate i's n-th call takes times[i].at(n) seconds; counts the calls. */
    private static final class Fake implements CompletionPathChoice.Trial {
        private final java.util.function.IntToDoubleFunction[] times;
        final int[] calls;
        double total;

        Fake(java.util.function.IntToDoubleFunction... times) {
            this.times = times;
            this.calls = new int[times.length];
        }

        @Override
        public double run(int candidate) {
            double t = times[candidate].applyAsDouble(calls[candidate]++);
            total += t;
            return t;
        }
    }

    @Test
    void oneFastOutlierDoesNotWinAgainstAConsistentlyFasterCandidate() {
        // candidate 1 is 1.5× slower but once, in a quiet moment, ran 5× faster than candidate 0:
        // a best-of-rounds rule picks it, the median does not
        Fake fake = new Fake(n -> 1e-3, n -> n == 6 ? 0.2e-3 : 1.5e-3);
        CompletionPathChoice.Race race = CompletionPathChoice.race(2, fake);
        assertEquals(0, race.winner());
        assertEquals(1e-3, race.medians()[0], 1e-12);
        assertEquals(1.5e-3, race.medians()[1], 1e-12);
    }

    @Test
    void aCandidateStillCompilingIsWarmedUpBeforeItIsTimed() {
        // candidate 0 runs 50× slower for its first 5 calls (interpreted: the warm-up ends on
        // time before the JIT is done), then is the fastest
        Fake fake = new Fake(n -> n < 5 ? 25e-3 : 0.5e-3, n -> 0.8e-3);
        CompletionPathChoice.Race race = CompletionPathChoice.race(2, fake);
        assertEquals(0, race.winner());
        assertEquals(0.5e-3, race.medians()[0], 1e-12);
    }

    @Test
    void aCandidateThatStillAllocatesIsWarmedUpEvenWhenItsTimesAreSteady() {
        // candidate 0 is an uncompiled vector kernel: for its first 40 calls it runs steadily
        // 40× too slow and boxes its vectors (allocates); compiled, it is the fastest. Its times
        // alone look settled: without the allocation rule it leaves the race as hopeless
        java.util.function.IntToDoubleFunction kernel = n -> n < 40 ? 20e-3 : 0.5e-3;
        Fake plain = new Fake(kernel, n -> 0.8e-3);
        assertEquals(1, CompletionPathChoice.race(2, plain).winner());
        int[] kernelCalls = new int[1];
        CompletionPathChoice.Trial allocating = new CompletionPathChoice.Trial() {
            @Override
            public double run(int c) {
                return c == 0 ? kernel.applyAsDouble(kernelCalls[0]++) : 0.8e-3;
            }

            @Override
            public long allocatedBytes(int c) {
                return c == 0 && kernelCalls[0] <= 40 ? 100_000_000L : 0L;
            }
        };
        CompletionPathChoice.Race race = CompletionPathChoice.race(2, allocating, CompletionPathChoice.allocationLimit(90_000));
        assertEquals(0, race.winner());
        assertEquals(0.5e-3, race.medians()[0], 1e-12);
    }

    @Test
    void aHopelessCandidateLeavesEarlyAndTheCloseOnesGetTheRounds() {
        Fake fake = new Fake(n -> 1e-3, n -> 1.1e-3, n -> 10e-3);
        CompletionPathChoice.Race race = CompletionPathChoice.race(3, fake);
        assertEquals(0, race.winner());
        assertEquals(CompletionPathChoice.MIN_ROUNDS, race.rounds()[2]);
        assertTrue(race.rounds()[0] > 3 * CompletionPathChoice.MIN_ROUNDS, "rounds " + race.rounds()[0]);
        assertEquals(race.rounds()[0], race.rounds()[1]);
    }

    @Test
    void theRaceKeepsToItsBudget() {
        // 0.2 s per round: the minimum rounds, not more
        Fake fake = new Fake(n -> 0.1, n -> 0.1);
        CompletionPathChoice.Race race = CompletionPathChoice.race(2, fake);
        assertEquals(CompletionPathChoice.MIN_ROUNDS, race.rounds()[0]);
        // fast candidates: the budget ends the race (or the round limit), not before
        Fake quick = new Fake(n -> 1e-3, n -> 2e-3 + 1e-6 * (n % 3));
        CompletionPathChoice.Race r2 = CompletionPathChoice.race(2, quick);
        assertTrue(quick.total <= CompletionPathChoice.MAX_WARMUP_SECONDS + 1.1 * CompletionPathChoice.BUDGET_SECONDS,
                "spent " + quick.total);
        assertTrue(r2.rounds()[0] == CompletionPathChoice.MAX_ROUNDS || quick.total > CompletionPathChoice.BUDGET_SECONDS,
                "rounds " + r2.rounds()[0] + ", spent " + quick.total);
    }
}
