package org.latent4j.core.data;

import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;

/**
 * An epoch whose batches are made ahead by one daemon thread into a bounded queue. Closing it interrupts
 * and joins the thread and frees the batches it had made but nobody took. An exception in the thread is
 * rethrown by {@link #next()} at the batch where it happened.
 */
final class PrefetchingEpoch extends DataLoader.Epoch {
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue;
    private final Thread worker;
    private Object pending;
    private boolean closed;

    PrefetchingEpoch(int[][] batches, Function<int[], Batch> batcher, int depth) {
        super(batches, batcher);
        this.queue = new ArrayBlockingQueue<>(depth);
        this.worker = new Thread(this::produce, "latent4j-prefetch");
        worker.setDaemon(true);
        worker.start();
    }

    private void produce() {
        try {
            for (int[] indices : batches) {
                Object item;
                try {
                    item = batcher.apply(indices);
                } catch (RuntimeException | Error e) {
                    item = e;
                }
                queue.put(item);
                if (item instanceof Throwable) {
                    return;
                }
            }
            queue.put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean hasNext() {
        if (closed) {
            return false;
        }
        if (pending == null) {
            try {
                pending = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("DataLoader: interrupted while waiting for a batch", e);
            }
        }
        return pending != END;
    }

    @Override
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("DataLoader: the epoch has ended");
        }
        Object item = pending;
        pending = null;
        next++;
        if (item instanceof RuntimeException e) {
            close();
            throw new IllegalStateException("DataLoader: making batch " + (next - 1) + " failed: " + e.getMessage(), e);
        }
        if (item instanceof Error e) {
            close();
            throw e;
        }
        return track((Batch) item);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        worker.interrupt();
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (pending instanceof Batch b) {
            b.close();
        }
        pending = null;
        for (Object o : queue) {
            if (o instanceof Batch b) {
                b.close();
            }
        }
        queue.clear();
    }

    boolean workerAlive() {
        return worker.isAlive();
    }
}
