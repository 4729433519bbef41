package org.cdln.linalg;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one Java-side thread pool of cdln: the sparse kernels (sparse products, the sparse
 * completion evaluator) and, when native BLAS runs one thread, the blocks of large GEMM/GEMV
 * calls ({@link LinearAlgebra#gemm}) run on it. Sized (and remade when the setting changes) by
 * {@link LinearAlgebra#configuredThreads()} — the {@code --threads} of the CLI. A part that asks
 * for parallelism again runs its sub-parts itself.
 *
 * <p>A range [0, n) is cut into contiguous parts, one per thread; the caller runs part 0 itself
 * and waits for the others. Work below {@link #MIN_WORK_PER_PART} multiply-adds per part runs on
 * the caller alone: handing a task to another thread costs tens of microseconds on a busy
 * machine, more than small kernels take.
 */
public final class Parallel {
    /** Least work (multiply-adds) worth a part of its own. */
    public static final long MIN_WORK_PER_PART = 400_000L;

    private static volatile ExecutorService pool;
    private static volatile int poolThreads;

    private Parallel() {
    }

    /** A task over rows [from, to). */
    @FunctionalInterface
    public interface RangeTask {
        void run(int from, int to);
    }

    /** A task over rows [from, to) that knows its part number (for per-part buffers). */
    @FunctionalInterface
    public interface PartTask {
        void run(int part, int from, int to);
    }

    /** The number of threads the pool uses (the caller included). */
    public static int threads() {
        return Math.max(1, LinearAlgebra.configuredThreads());
    }

    /** How many parts a range of n rows with this total work is cut into: 1 ≤ parts ≤ threads. */
    public static int partsFor(int n, long work) {
        long byWork = Math.max(1L, work / MIN_WORK_PER_PART);
        return (int) Math.max(1, Math.min(Math.min(threads(), byWork), Math.max(1, n)));
    }

    /** Runs task over [0, n) cut into {@link #partsFor} parts. */
    public static void forRange(int n, long work, RangeTask task) {
        int parts = partsFor(n, work);
        forParts(parts, n, (part, from, to) -> task.run(from, to));
    }

    /**
     * Runs task over [0, n) cut into exactly {@code parts} contiguous parts of nearly equal size;
     * part p covers [p·n/parts, (p+1)·n/parts). Returns when all are done; rethrows the first
     * failure.
     */
    public static void forParts(int parts, int n, PartTask task) {
        if (parts <= 1) {
            task.run(0, 0, n);
            return;
        }
        forPartsWithBounds(parts, p -> (int) ((long) p * n / parts), task);
    }

    /** Bounds of part p (0..parts); bound(0) = 0 and bound(parts) = n. */
    @FunctionalInterface
    public interface Bounds {
        int at(int part);
    }

    /** Like {@link #forParts} with caller-chosen part bounds (e.g. balanced by stored entries). */
    public static void forPartsWithBounds(int parts, Bounds bounds, PartTask task) {
        if (parts <= 1 || Thread.currentThread() instanceof Worker) {
            // a task of the pool that asks for parallelism runs its parts itself: waiting on the
            // pool from inside it could deadlock
            for (int p = 0; p < Math.max(1, parts); p++) {
                task.run(p, bounds.at(p), bounds.at(p + 1));
            }
            return;
        }
        ExecutorService ex = pool();
        @SuppressWarnings("unchecked")
        Future<?>[] futures = new Future<?>[parts];
        for (int p = 1; p < parts; p++) {
            final int part = p;
            futures[p] = ex.submit(() -> task.run(part, bounds.at(part), bounds.at(part + 1)));
        }
        RuntimeException failure = null;
        try {
            task.run(0, bounds.at(0), bounds.at(1));
        } catch (RuntimeException e) {
            failure = e;
        }
        for (int p = 1; p < parts; p++) {
            try {
                futures[p].get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a parallel kernel", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The pool's threads (daemons), recognised so that nested requests run inline. */
    private static final class Worker extends Thread {
        Worker(Runnable r, String name) {
            super(r, name);
            setDaemon(true);
        }
    }

    /** The pool, sized for the current {@link #threads()} (remade when the setting changed). */
    private static ExecutorService pool() {
        int want = Math.max(1, threads() - 1);
        ExecutorService p = pool;
        if (p == null || poolThreads != want) {
            synchronized (Parallel.class) {
                p = pool;
                if (p == null || poolThreads != want) {
                    if (p != null) {
                        p.shutdown(); // running parts finish; new ones go to the new pool
                    }
                    AtomicInteger id = new AtomicInteger();
                    p = Executors.newFixedThreadPool(want, r -> new Worker(r, "cdln-kernel-" + id.incrementAndGet()));
                    pool = p;
                    poolThreads = want;
                }
            }
        }
        return p;
    }
}
