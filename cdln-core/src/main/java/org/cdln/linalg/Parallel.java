package org.cdln.linalg;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The Java-side threads of cdln: the sparse kernels (sparse products, the sparse
 * completion evaluator) and, when native BLAS runs one thread, the blocks of large GEMM/GEMV
 * calls ({@link LinearAlgebra#gemm}) run on it. Sized (and remade when the setting changes) by
 * {@link LinearAlgebra#configuredThreads()} — the {@code --threads} of the CLI. A part that asks
 * for parallelism again runs its sub-parts itself.
 *
 * <p>A range [0, n) is cut into contiguous parts, one per thread; the caller runs part 0 itself
 * and waits for the others. Or it is cut into more chunks than threads ({@link #forChunks}),
 * which the threads claim one at a time, so that a slower thread runs fewer of them. Work below {@link #MIN_WORK_PER_PART} multiply-adds per part runs on
 * the caller alone: handing a task to another thread costs tens of microseconds on a busy
 * machine, more than small kernels take.
 *
 * <p>The threads are a fixed crew, not an executor: each worker waits for its next part spinning
 * for {@link #SPIN_NANOS}, then parked, and a call hands it a part with one volatile write (and an
 * unpark), so that a training step that splits its kernels every few hundred microseconds does
 * not pay a thread wake-up per split. One call at a time owns the crew; a concurrent caller runs
 * its parts itself, so that results never depend on which thread ran a part.
 */
public final class Parallel {
    /** Least work (multiply-adds) worth a part of its own. */
    public static final long MIN_WORK_PER_PART = 400_000L;

    private static volatile Crew crew;

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
        onCrew(parts, bounds, task, false);
    }

    /**
     * Runs task over the chunks 0..chunks−1 of these bounds, each once, claimed in turn by the
     * caller and the crew's workers: a thread takes the next unclaimed chunk whenever it is free,
     * so a thread that runs slower (a virtual CPU at a lower clock, a worker still waking) does
     * fewer of them instead of holding the others up, as a fixed part each would. The task
     * receives the chunk's index as its part, whichever thread runs it: results written to
     * per-chunk buffers and combined in chunk order do not depend on the timing. Returns when all
     * are done; rethrows the first failure. Run in the caller, in order, when there is one thread,
     * inside a task of the crew, or while another caller holds the crew.
     */
    public static void forChunks(int chunks, Bounds bounds, PartTask task) {
        onCrew(chunks, bounds, task, true);
    }

    /** Fixed parts or claimed chunks on the crew, or all in the caller in order (see the callers). */
    private static void onCrew(int parts, Bounds bounds, PartTask task, boolean claimed) {
        Crew crew = parts <= 1 || Thread.currentThread() instanceof Worker ? null : crew();
        if (crew == null || !crew.busy.compareAndSet(false, true)) {
            // one part; or a task of the crew that asks for parallelism (waiting on the crew from
            // inside it would deadlock); or another thread's parts hold the crew: run them here
            for (int p = 0; p < Math.max(1, parts); p++) {
                task.run(p, bounds.at(p), bounds.at(p + 1));
            }
            return;
        }
        try {
            if (claimed) {
                crew.runChunks(parts, bounds, task);
            } else {
                crew.run(parts, bounds, task);
            }
        } finally {
            crew.busy.set(false);
            if (Parallel.crew != crew && crew.busy.compareAndSet(false, true)) {
                crew.retire();   // the thread setting changed during this call: a new crew serves the next
            }
        }
    }

    /**
     * How long a worker spins for its next part, and the caller for the workers' parts, before
     * parking: a training step hands parts to the workers every few tens or hundreds of
     * microseconds, and waking a parked thread costs 10–70 µs on a virtual machine (measured: a
     * 113 µs sparse step took 130 µs split in two through an executor), so the workers stay awake
     * between the steps of a fit and sleep when it ends.
     */
    static final long SPIN_NANOS = 1_000_000L;

    /**
     * One call's parts: the task, its bounds, the parts not yet done, the first failure; for a
     * call of claimed chunks ({@link #forChunks}) also the next unclaimed chunk.
     */
    private static final class Job {
        final PartTask task;
        final Bounds bounds;
        final Thread caller;
        final AtomicInteger remaining;
        /** The next chunk to claim, or null for fixed parts (worker w runs part w + 1). */
        final AtomicInteger next;
        final int chunks;
        volatile Throwable failure;

        private Job(PartTask task, Bounds bounds, int remaining, AtomicInteger next, int chunks) {
            this.task = task;
            this.bounds = bounds;
            this.caller = Thread.currentThread();
            this.remaining = new AtomicInteger(remaining);
            this.next = next;
            this.chunks = chunks;
        }

        /** A call of fixed parts, {@code workerParts} of them handed to workers. */
        static Job fixed(PartTask task, Bounds bounds, int workerParts) {
            return new Job(task, bounds, workerParts, null, 0);
        }

        /** A call of {@code chunks} claimed chunks. */
        static Job claimed(PartTask task, Bounds bounds, int chunks) {
            return new Job(task, bounds, chunks, new AtomicInteger(), chunks);
        }

        /** Runs part p, keeping the first failure. */
        void run(int p) {
            try {
                task.run(p, bounds.at(p), bounds.at(p + 1));
            } catch (Throwable t) {
                if (failure == null) {
                    failure = t;
                }
            }
        }

        /** A worker's part: run, then counted done (the last one wakes the caller); or its share of claimed chunks. */
        void runHanded(int p) {
            if (next != null) {
                runClaimed();
                return;
            }
            try {
                run(p);
            } finally {
                if (remaining.decrementAndGet() == 0) {
                    LockSupport.unpark(caller);
                }
            }
        }

        /** Claims and runs chunks until none is left; a worker that finishes the last one wakes the caller. */
        void runClaimed() {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                try {
                    run(c);
                } finally {
                    if (remaining.decrementAndGet() == 0 && Thread.currentThread() != caller) {
                        LockSupport.unpark(caller);
                    }
                }
            }
        }

        /** Waits (spinning, then parked) until every part is done; rethrows the first failure. */
        void await() {
            long start = System.nanoTime();
            while (remaining.get() > 0) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(this, 1_000_000L);
                }
            }
            Throwable f = failure;
            if (f instanceof RuntimeException re) {
                throw re;
            }
            if (f instanceof Error e) {
                throw e;
            }
            if (f != null) {
                throw new IllegalStateException(f);
            }
        }
    }

    /**
     * The worker threads (daemons): in a call of fixed parts worker w runs part w + 1, the caller
     * part 0 (and any parts beyond the workers); in a call of claimed chunks each takes the next
     * one until none is left. Each waits for its next job spinning, then parked; a call hands a
     * job over by one volatile write and an unpark. One call at a time ({@link #busy}).
     */
    private static final class Crew {
        final Worker[] workers;
        final AtomicBoolean busy = new AtomicBoolean();

        Crew(int size) {
            workers = new Worker[size];
            for (int w = 0; w < size; w++) {
                workers[w] = new Worker(w + 1, "cdln-kernel-" + (w + 1));
                workers[w].start();
            }
        }

        /** Fixed parts: worker w runs part w + 1, the caller part 0 and any beyond the workers. */
        void run(int parts, Bounds bounds, PartTask task) {
            int handed = Math.min(parts - 1, workers.length);
            Job job = hand(Job.fixed(task, bounds, handed), handed);
            for (int p = 0; p < parts; p++) {
                if (p < 1 || p > handed) {
                    job.run(p);
                }
            }
            job.await();
        }

        /** Claimed chunks ({@link Parallel#forChunks}): the caller and up to chunks − 1 workers take them in turn. */
        void runChunks(int chunks, Bounds bounds, PartTask task) {
            Job job = hand(Job.claimed(task, bounds, chunks), Math.min(chunks - 1, workers.length));
            job.runClaimed();
            job.await();
        }

        /** Hands the job to the first {@code workers} workers (one volatile write and an unpark each). */
        private Job hand(Job job, int count) {
            for (int w = 0; w < count; w++) {
                workers[w].job.set(job);
                LockSupport.unpark(workers[w]);
            }
            return job;
        }

        void retire() {
            for (Worker w : workers) {
                w.retired = true;
                LockSupport.unpark(w);
            }
        }
    }

    /** A worker of the crew, recognised so that nested requests run inline. */
    private static final class Worker extends Thread {
        final int part;
        /**
         * The job handed to this worker, cleared when it takes it. Cleared only if unchanged: the
         * caller of claimed chunks may finish them all before this worker looks, and hand the next
         * job while it is still taking this one, which a plain clear would lose.
         */
        final java.util.concurrent.atomic.AtomicReference<Job> job = new java.util.concurrent.atomic.AtomicReference<>();
        volatile boolean retired;

        Worker(int part, String name) {
            super(name);
            this.part = part;
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!retired) {
                long start = System.nanoTime();
                Job j;
                while ((j = job.get()) == null && !retired) {
                    if (System.nanoTime() - start < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.park(this);
                    }
                }
                if (j != null && job.compareAndSet(j, null)) {
                    j.runHanded(part);
                }
            }
        }
    }

    /** The crew, sized for the current {@link #threads()} (remade when the setting changed). */
    private static Crew crew() {
        int want = Math.max(1, threads() - 1);
        Crew c = crew;
        if (c == null || c.workers.length != want) {
            synchronized (Parallel.class) {
                c = crew;
                if (c == null || c.workers.length != want) {
                    if (c != null && c.busy.compareAndSet(false, true)) {
                        c.retire();   // idle: its workers end; a busy one's end after its call
                    }
                    c = new Crew(want);
                    crew = c;
                }
            }
        }
        return c;
    }
}
