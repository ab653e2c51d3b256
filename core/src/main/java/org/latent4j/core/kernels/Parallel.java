package org.latent4j.core.kernels;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * A small persistent pool for the kernels: the calling thread takes the first share of the work and
 * {@code cores - 1} daemon workers the rest. Work submitted from inside a worker runs inline, so nested
 * kernels never wait on themselves. Callers run small problems inline: a hand-off costs ~10–50 µs.
 */
final class Parallel {
    static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static final ThreadLocal<Boolean> IN_WORKER = ThreadLocal.withInitial(() -> false);
    private static final ExecutorService POOL = THREADS == 1 ? null : Executors.newFixedThreadPool(THREADS - 1, r -> {
        Thread t = new Thread(() -> {
            IN_WORKER.set(true);
            r.run();
        }, "latent4j-kernel");
        t.setDaemon(true);
        return t;
    });

    private Parallel() {
    }

    /**
     * Runs {@code body.accept(i)} for every i in [0, n): each thread claims the next index until none is left,
     * so a thread the machine schedules late does fewer items instead of holding the others up.
     */
    static void forEach(int n, IntConsumer body) {
        int parts = Math.min(n, concurrency(n));
        if (parts <= 1) {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        forParts(parts, p -> {
            for (int i; (i = next.getAndIncrement()) < n; ) {
                body.accept(i);
            }
        });
    }

    /** Calls {@code body.run(lo, hi)} once per share of [0, n); share boundaries are multiples of {@code align}. */
    static void forShares(int n, int align, RangeBody body) {
        int blocks = (n + align - 1) / align;
        int parts = Math.min(blocks, THREADS);
        if (parts <= 1 || POOL == null || IN_WORKER.get()) {
            body.run(0, n);
            return;
        }
        shares(parts, (lo, hi) -> body.run(Math.min(n, lo * align), Math.min(n, hi * align)), blocks);
    }

    /**
     * Calls {@code body.run(lo, hi)} for consecutive chunks of [0, n), {@code chunk} long (the last may be shorter),
     * each thread claiming the next chunk until none is left. Unlike {@link #forShares}' fixed halves, a worker
     * that wakes late (tens of microseconds on this VM) just takes fewer chunks while the caller goes on.
     */
    static void forChunks(int n, int chunk, RangeBody body) {
        int chunks = (n + chunk - 1) / chunk;
        forEach(chunks, c -> body.run(c * chunk, Math.min(n, (c + 1) * chunk)));
    }

    /**
     * How many parts of a {@link #forParts} call can run at the same time: {@code wanted} capped by the
     * threads, and 1 inside a worker (nested work runs inline).
     */
    static int concurrency(int wanted) {
        return POOL == null || IN_WORKER.get() ? 1 : Math.max(1, Math.min(wanted, THREADS));
    }

    /**
     * Runs {@code body.accept(p)} for p in [0, parts), part 0 on the calling thread and the others on workers;
     * parts comes from {@link #concurrency}. Bodies that share work claim it from a counter, so the call
     * finishes even when a worker starts late.
     */
    static void forParts(int parts, IntConsumer body) {
        if (parts <= 1) {
            body.accept(0);
            return;
        }
        shares(parts, (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                body.accept(p);
            }
        }, parts);
    }

    /**
     * Waits until {@code count} reaches {@code target}: the parts of one {@link #forParts} call meeting after a
     * shared step. Spins, as the parts run at the same time and the wait is short; yields now and then for a
     * loaded machine.
     */
    static void await(AtomicInteger count, int target) {
        for (int spins = 1; count.get() < target; spins++) {
            if ((spins & 255) == 0) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
    }

    interface RangeBody {
        void run(int lo, int hi);
    }

    private static void shares(int parts, RangeBody body, int n) {
        @SuppressWarnings("unchecked")
        Future<?>[] futures = new Future<?>[parts - 1];
        // each share runs once, on whichever thread claims it first: its worker or, below, the caller
        AtomicBoolean[] claimed = new AtomicBoolean[parts - 1];
        for (int p = 1; p < parts; p++) {
            int lo = (int) ((long) n * p / parts);
            int hi = (int) ((long) n * (p + 1) / parts);
            AtomicBoolean mine = new AtomicBoolean();
            claimed[p - 1] = mine;
            futures[p - 1] = POOL.submit(() -> {
                if (mine.compareAndSet(false, true)) {
                    body.run(lo, hi);
                }
            });
        }
        Throwable failure = null;
        try {
            body.run(0, (int) ((long) n / parts));
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (int p = 1; p < parts; p++) {
            Future<?> f = futures[p - 1];
            // A share whose worker has not started yet (the machine gave its core to another process) is taken
            // back and run here: waiting for the worker's next time slice cost milliseconds per call on a loaded
            // machine. Bodies that claim work from counters find none left and return at once.
            if (failure == null && claimed[p - 1].compareAndSet(false, true)) {
                try {
                    body.run((int) ((long) n * p / parts), (int) ((long) n * (p + 1) / parts));
                } catch (RuntimeException | Error e) {
                    failure = e;
                }
                continue;
            }
            try {
                f.get();
            } catch (ExecutionException e) {
                failure = failure == null ? e.getCause() : failure;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure == null ? e : failure;
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        } else if (failure instanceof Error err) {
            throw err;
        } else if (failure != null) {
            throw new IllegalStateException("kernels: worker failed", failure);
        }
    }
}
