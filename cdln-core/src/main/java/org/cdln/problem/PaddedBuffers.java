package org.cdln.problem;

import java.lang.ref.WeakReference;

/**
 * The buffers {@link SparseCompletionOracle} gives a kernel on padded factors (stride k̄ > k): R
 * copied to stride k̄, and one Lᵀ·G buffer at stride k̄ per row chunk — and, for buffers up to
 * {@link #MAX_DOUBLES}, the choice of where in memory they lie.
 *
 * <p>A 256-bit load or store that crosses a 64-byte cache line costs more than one that does
 * not, and a Java array's data start where the allocator put it: 8-byte aligned, at one of four
 * offsets modulo 32. With k̄ = 12 (96 bytes per column) every column starts at that same offset,
 * so either no access of the sweep crosses a line or half of them do. The padded kernel on a
 * factor whose columns start 32-byte aligned took 4.8–5.0 ns per entry against 5.4–5.6 ns
 * otherwise (d = 300, k = 10, 1 thread, AMD EPYC Zen 4, 16 pairs of arrays timed interleaved in
 * one process). Java cannot read an array's address, so {@link #CANDIDATES} sets of the buffers
 * are allocated to lie at the four offsets and timed, in turn, on the oracle's own first fused
 * calls ({@link #begin}, {@link #end}); the fastest is kept. The results are the same bits
 * whichever set runs.
 *
 * <p>A garbage collection may move the arrays (a young one moves every young array, to offsets
 * of its own); a weakly referenced canary tells that one happened, and the next call then starts
 * a new trial on fresh sets, at most {@link #MAX_TRIALS} per oracle. A training step allocates
 * nothing, so in a fit the collections come, if at all, while the JIT still compiles at its start.
 * During a trial four sets are held; memory O(k̄·d2·(parts + 1)) otherwise.
 */
final class PaddedBuffers {
    /** Sets of buffers a trial times: one per 8-byte offset modulo 32. */
    static final int CANDIDATES = 4;

    /**
     * Calls per candidate set in a trial; the first {@link #SKIPPED} rounds are left out (cold
     * arrays, and the first oracle of a process may still be compiling around its kernel).
     */
    static final int ROUNDS = 12;

    /** The rounds of a trial whose times are not used. */
    static final int SKIPPED = 4;

    /** Largest buffer (doubles) worth choosing a place for: 1 MiB, where the sweep's accesses hit L2 and alignment shows. */
    static final int MAX_DOUBLES = 1 << 17;

    /** Most trials per oracle: a process that collects garbage all the time keeps its last choice. */
    static final int MAX_TRIALS = 8;

    private final int parts;
    /** Doubles per buffer. */
    private final int length;
    /** The set in use: [0] R at stride k̄, [1 + p] part p's Lᵀ·G. */
    private double[][] set;
    /** The sets under trial, or null when none is running. */
    private double[][][] candidates;
    /** Nanoseconds of candidate c's calls, at c·{@link #ROUNDS} + round; null when there is no choice. */
    private final double[] nanos;
    private int calls;
    private int chosen = -1;
    private int trials;
    /** Cleared by the first collection after the current trial started; null when there is no choice. */
    private WeakReference<Object> canary;

    /** Buffers of k̄·d2 = {@code doubles} each for {@code parts} row parts; placed by trial when small enough. */
    PaddedBuffers(int doubles, int parts) {
        this.parts = parts;
        boolean choose = doubles <= MAX_DOUBLES;
        this.length = choose ? lengthOnBoundary(doubles) : doubles;
        this.nanos = choose ? new double[CANDIDATES * ROUNDS] : null;
        if (choose) {
            startTrial();
        } else {
            set = newSet(false);
        }
    }

    /** n rounded up so that an array of n doubles (16-byte header) is a multiple of 32 bytes long. */
    private static int lengthOnBoundary(int n) {
        return n + Math.floorMod(2 - n, 4);
    }

    /**
     * One set: arrays each a multiple of 32 bytes long, so that arrays placed one after the other
     * start at one offset modulo 32 — but, in a trial, the last 8 bytes longer, so that the next
     * set starts 8 bytes further on and the four sets cover the four offsets (when the allocator
     * places them one after the other, as it does within a thread's allocation buffer).
     */
    private void fill(double[][] s, boolean shiftNext) {
        for (int a = 0; a <= parts; a++) {
            s[a] = new double[shiftNext && a == parts ? length + 1 : length];
        }
    }

    private double[][] newSet(boolean shiftNext) {
        double[][] s = new double[parts + 1][];
        fill(s, shiftNext);
        return s;
    }

    private void startTrial() {
        // the small arrays of references first, all of them: allocated between the sets, each
        // would shift the next set by its own size and undo the 8-byte steps
        candidates = new double[CANDIDATES][parts + 1][];
        for (int c = 0; c < CANDIDATES; c++) {
            fill(candidates[c], true);
        }
        calls = 0;
        chosen = -1;
        trials++;
        canary = new WeakReference<>(new Object());
        set = candidates[0];
    }

    /** R at stride k̄ (rows k..k̄ zero), for the coming call. */
    double[] right() {
        return set[0];
    }

    /** Part p's Lᵀ·G buffer at stride k̄, for the coming call. */
    double[] colOut(int part) {
        return set[1 + part];
    }

    /**
     * Before a fused call: starts a new trial if a collection may have moved the buffers since
     * the last one began, and tells whether this call is to be timed ({@link #end}).
     */
    boolean begin() {
        if (candidates == null && canary != null && canary.get() == null && trials < MAX_TRIALS) {
            startTrial();
        }
        return candidates != null;
    }

    /** After a call {@link #begin} asked to time: records it, moves to the next set or settles on the fastest. */
    void end(long callNanos) {
        nanos[(calls % CANDIDATES) * ROUNDS + calls / CANDIDATES] = callNanos;
        calls++;
        if (calls < CANDIDATES * ROUNDS) {
            set = candidates[calls % CANDIDATES];
            return;
        }
        // the least time of each set's later rounds: the sets are timed interleaved, so each
        // meets the machine's quiet moments (this guest's memory side switches between two
        // speeds every second or so), and no call can run faster than its set allows
        int best = 0;
        double least = Double.POSITIVE_INFINITY;
        for (int c = 0; c < CANDIDATES; c++) {
            for (int round = SKIPPED; round < ROUNDS; round++) {
                if (nanos[c * ROUNDS + round] < least) {
                    least = nanos[c * ROUNDS + round];
                    best = c;
                }
            }
        }
        set = candidates[best];
        chosen = best;
        candidates = null;
        // a collection during the trial: its times may mix places, and the kept set may have
        // moved; the next call's begin() starts another
    }

    /** Whether a trial is running (or, after {@link #begin}, about to). */
    boolean trying() {
        return candidates != null;
    }

    /** The set kept by the last trial (−1 while one runs, or when there is no choice), for tests. */
    int choice() {
        return chosen;
    }
}
