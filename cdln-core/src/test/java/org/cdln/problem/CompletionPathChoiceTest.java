package org.cdln.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Rng;
import org.cdln.linalg.SparseMatrix;
import org.junit.jupiter.api.Test;

/** The timed choice of the completion path: what decides a race (driven by fake clocks), and the panels a large problem is swept in. */
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

    @Test
    void panelsOfTheFirstColumnsHoldExactlyTheirEntriesInRowOrder() {
        CompletionProblem p = LowRankTarget.random(40, 300, 3, new Rng(3), LinearAlgebra.java())
                .sampleCompletion(3000, 100, new Rng(4), "panels");
        SparseMatrix s = p.observed();
        SparseCompletionOracle.Panels sample = new SparseCompletionOracle.Panels(s, 64, 100);
        assertEquals(2, sample.rowPtr.length);   // columns [0, 64) and [64, 100)
        int n = 0;
        for (int i = 0; i < s.rows(); i++) {
            for (int q = 0; q < 2; q++) {
                int e = sample.rowPtr[q][i];
                for (int f = s.rowPointers()[i]; f < s.rowPointers()[i + 1]; f++) {
                    int j = s.columnIndices()[f];
                    if (j >= 64 * q && j < Math.min(100, 64 * (q + 1))) {
                        assertEquals(j, sample.col[e]);
                        assertEquals(s.values()[f], sample.y[e]);
                        e++;
                        n++;
                    }
                }
                assertEquals(sample.rowPtr[q][i + 1], e, "row " + i + ", panel " + q);
            }
        }
        assertEquals(n, sample.col.length);
        assertTrue(n > 0 && n < s.nonZeros());
    }

    @Test
    void factorsThatNeedPanelsGetAWidthTimedAmongTheBudgets() {
        // R with Lᵀ·G (16·k·d2 bytes) over the panel rule's 2 MiB: each budget's width is timed
        // with each kernel on the problem's own entries (the scalar kernel, twice, here: the
        // vector kernels' compiled state is the business of their own tests) and one pair is
        // returned
        int k = 20;
        CompletionProblem p = LowRankTarget.random(300, 8000, 3, new Rng(5), LinearAlgebra.java())
                .sampleCompletion(60_000, 100, new Rng(6), "wide");
        assertTrue(SparseCompletionOracle.Panels.needed(k, p.cols()));
        StringBuilder why = new StringBuilder();
        java.util.List<CompletionKernel> two = java.util.List.of(CompletionKernel.scalar(), CompletionKernel.scalar());
        CompletionPathChoice.PanelTimes t = CompletionPathChoice.panelTimes(p, k, two, why);
        int width = t.width();
        assertTrue(t.kernel() == 0 || t.kernel() == 1, why.toString());
        assertTrue(t.secondsPerEntry() > 0 && t.secondsPerEntry() < 1e-6, why.toString());
        java.util.Set<Integer> allowed = new java.util.LinkedHashSet<>();
        for (long budget : CompletionPathChoice.PANEL_BUDGETS) {
            int w = SparseCompletionOracle.Panels.width(k, budget);
            allowed.add(w >= p.cols() ? 0 : w);
        }
        assertEquals(3, allowed.size());   // 3276 and 6553 columns, and none (8000 columns fit 4 MiB)
        assertTrue(allowed.contains(width), why.toString());
        for (int w : allowed) {
            String shown = w == 0 ? "none " : w + " columns ";
            // once per kernel
            assertEquals(2, why.toString().split(shown, -1).length - 1, why.toString());
        }
        // factors under the rule's budget are not timed: no panels
        assertEquals(0, CompletionPathChoice.panelTimes(LowRankTarget.random(300, 500, 3, new Rng(7),
                LinearAlgebra.java()).sampleCompletion(20_000, 100, new Rng(8), "narrow"), k,
                two, new StringBuilder()).width());
    }

    @Test
    void theClosestPairsAreTimedOnWholeEvaluations() {
        int k = 20;
        CompletionProblem p = LowRankTarget.random(300, 8000, 3, new Rng(5), LinearAlgebra.java())
                .sampleCompletion(60_000, 100, new Rng(6), "wide");
        StringBuilder why = new StringBuilder();
        java.util.List<CompletionPathChoice.Pair> finalists = java.util.List.of(new CompletionPathChoice.Pair(0, 3276),
                new CompletionPathChoice.Pair(0, 0));
        CompletionPathChoice.Finalist f = CompletionPathChoice.wholeEvaluations(p, k,
                java.util.List.of(CompletionKernel.scalar()), finalists, why);
        assertEquals(0, f.kernel());
        assertTrue(f.width() == 3276 || f.width() == 0, why.toString());
        assertTrue(f.seconds() > 0 && f.seconds() < 10, why.toString());
        assertTrue(why.toString().contains("scalar 3276 columns ") && why.toString().contains("scalar no panels "),
                why.toString());
    }

    @Test
    void aSmallProblemIsTimedWithTheOneVectorKernelExpectedFastestForItsWidth() {
        org.junit.jupiter.api.Assumptions.assumeTrue(CompletionKernel.vector() != null,
                "the jdk.incubator.vector module is not in this JVM: no vector kernel to time");
        assertEquals(CompletionKernel.vectorPaddedRegisters(), CompletionPathChoice.smallKernel(10));
        assertEquals(CompletionKernel.vectorRegisters(), CompletionPathChoice.smallKernel(20));
        assertEquals(CompletionKernel.vector(), CompletionPathChoice.smallKernel(100));
        // |Ω|·k = 3·10⁴, under the full list's 10⁵: the scalar kernel, the padded one, the dense path
        CompletionProblem p = LowRankTarget.random(100, 100, 5, new Rng(7), LinearAlgebra.java())
                .sampleCompletion(3000, 100, new Rng(8), "small");
        String why = CompletionPathChoice.choose(p, 10, LinearAlgebra.java()).describe();
        assertTrue(why.contains("scalar/1 ") && why.contains(CompletionKernel.vectorPaddedRegisters().name() + "/1 ")
                && why.contains("dense "), why);
        assertFalse(why.contains(CompletionKernel.vectorRegisters().name() + "/1 "), why);
        // |Ω|·k = 2·10³, under 10⁴: no vector kernel
        CompletionProblem tiny = LowRankTarget.random(40, 40, 3, new Rng(9), LinearAlgebra.java())
                .sampleCompletion(400, 40, new Rng(10), "tiny");
        String tinyWhy = CompletionPathChoice.choose(tiny, 5, LinearAlgebra.java()).describe();
        assertFalse(tinyWhy.contains("vector"), tinyWhy);
    }
}
