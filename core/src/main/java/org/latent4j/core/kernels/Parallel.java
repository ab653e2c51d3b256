package org.latent4j.core.kernels;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

    /** Runs {@code body.accept(i)} for every i in [0, n), split into contiguous shares over the threads. */
    static void forEach(int n, IntConsumer body) {
        int parts = Math.min(n, THREADS);
        if (parts <= 1 || POOL == null || IN_WORKER.get()) {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
            return;
        }
        shares(parts, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                body.accept(i);
            }
        }, n);
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
     * How many parts of a {@link #forParts} call would run at the same time: {@code wanted} capped by the
     * threads, and 1 inside a worker (nested work runs inline), so a {@link Barrier} over that many parts
     * never waits on a part that cannot start.
     */
    static int concurrency(int wanted) {
        return POOL == null || IN_WORKER.get() ? 1 : Math.max(1, Math.min(wanted, THREADS));
    }

    /** Runs {@code body.accept(p)} for p in [0, parts) at the same time; parts must come from {@link #concurrency}. */
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
     * A one-shot meeting point for the parts of one {@link #forParts} call: each calls {@link #arrive} (in a
     * {@code finally}, so a failing part cannot strand the others) and then {@link #await}. Waiting spins, as
     * the parts are short and run at the same time; it yields now and then for a loaded machine.
     */
    static final class Barrier {
        private final AtomicInteger remaining;

        Barrier(int parts) {
            remaining = new AtomicInteger(parts);
        }

        void arrive() {
            remaining.decrementAndGet();
        }

        void await() {
            for (int spins = 1; remaining.get() > 0; spins++) {
                if ((spins & 255) == 0) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
            }
        }
    }

    interface RangeBody {
        void run(int lo, int hi);
    }

    private static void shares(int parts, RangeBody body, int n) {
        @SuppressWarnings("unchecked")
        Future<?>[] futures = new Future<?>[parts - 1];
        for (int p = 1; p < parts; p++) {
            int lo = (int) ((long) n * p / parts);
            int hi = (int) ((long) n * (p + 1) / parts);
            futures[p - 1] = POOL.submit(() -> body.run(lo, hi));
        }
        Throwable failure = null;
        try {
            body.run(0, (int) ((long) n / parts));
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (Future<?> f : futures) {
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
