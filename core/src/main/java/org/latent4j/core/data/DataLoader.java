package org.latent4j.core.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * Batches a dataset, as PyTorch's {@code DataLoader}: fixed-size batches in index order or in a fresh
 * seeded permutation each epoch, optionally dropping the last short batch, optionally made ahead of time
 * by a background thread. Settings are chosen with methods that each return a new loader:
 *
 * <pre>{@code
 * DataLoader loader = DataLoader.of(ToyDatasets.ring(new Rng(0), 4096)).batchSize(256).shuffle(new Rng(1)).dropLast();
 * for (int epoch = 0; epoch < 10; epoch++) {
 *     try (DataLoader.Epoch batches = loader.epoch()) {
 *         for (Batch b : batches) { ... b.x() ... }
 *     }
 * }
 * }</pre>
 *
 * <p>The permutation of each epoch is drawn from the shuffle {@link Rng} when the epoch starts (on the
 * caller's thread), so the order of batches depends only on that generator's state, with or without
 * prefetching. A batch's tensors are registered with the caller's open {@link org.latent4j.core.tensor.Arena},
 * if any, when handed out, so a per-step arena frees them.
 */
public final class DataLoader implements Iterable<Batch> {
    private final int size;
    private final Function<int[], Batch> batcher;
    private final int batchSize;
    private final Rng shuffle;
    private final boolean dropLast;
    private final int prefetch;

    private DataLoader(int size, Function<int[], Batch> batcher, int batchSize, Rng shuffle, boolean dropLast,
            int prefetch) {
        this.size = size;
        this.batcher = batcher;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.prefetch = prefetch;
    }

    /**
     * A loader over a dataset of tensor fields: batches come from {@link BatchedDataset#batch} when the
     * dataset offers it, otherwise each field of the examples is stacked ({@link Collate#stack}). Batch
     * size 1, in order, no prefetch until set otherwise.
     */
    public static DataLoader of(Dataset<List<Tensor>> dataset) {
        if (dataset instanceof BatchedDataset batched) {
            return new DataLoader(dataset.size(), batched::batch, 1, null, false, 0);
        }
        return of(dataset, Collate::stack);
    }

    /** A loader whose {@code collate} turns a list of examples into the batch's fields. */
    public static <T> DataLoader of(Dataset<T> dataset, Function<List<T>, List<Tensor>> collate) {
        Function<int[], Batch> batcher = indices -> {
            List<T> examples = new ArrayList<>(indices.length);
            for (int i : indices) {
                examples.add(dataset.get(i));
            }
            return new Batch(indices, collate.apply(examples));
        };
        return new DataLoader(dataset.size(), batcher, 1, null, false, 0);
    }

    public DataLoader batchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("DataLoader: batch size must be positive, got " + batchSize);
        }
        return new DataLoader(size, batcher, batchSize, shuffle, dropLast, prefetch);
    }

    /** Each epoch visits the examples in a new permutation drawn from {@code rng} (which it advances). */
    public DataLoader shuffle(Rng rng) {
        if (rng == null) {
            throw new IllegalArgumentException("DataLoader: shuffle needs an Rng");
        }
        return new DataLoader(size, batcher, batchSize, rng, dropLast, prefetch);
    }

    /** Leaves out the last batch of an epoch when it is smaller than the batch size. */
    public DataLoader dropLast() {
        return new DataLoader(size, batcher, batchSize, shuffle, true, prefetch);
    }

    /** Makes up to {@code batches} batches ahead on a background thread (0: none, on the caller's thread). */
    public DataLoader prefetch(int batches) {
        if (batches < 0) {
            throw new IllegalArgumentException("DataLoader: prefetch must be non-negative, got " + batches);
        }
        return new DataLoader(size, batcher, batchSize, shuffle, dropLast, batches);
    }

    /** Batches per epoch. */
    public int numBatches() {
        return dropLast ? size / batchSize : (size + batchSize - 1) / batchSize;
    }

    public int datasetSize() {
        return size;
    }

    /** Starts an epoch; close it (try-with-resources) to stop its prefetch thread if left early. */
    public Epoch epoch() {
        return epochFrom(0);
    }

    /**
     * Starts an epoch at batch {@code firstBatch}, for resuming mid-epoch: with the shuffle generator
     * restored to its state at the start of the interrupted epoch, the remaining batches are the ones the
     * interrupted run would have seen. The permutation is drawn as by {@link #epoch()}.
     */
    public Epoch epochFrom(int firstBatch) {
        if (firstBatch < 0 || firstBatch > numBatches()) {
            throw new IllegalArgumentException("DataLoader: first batch " + firstBatch + " is outside [0, "
                    + numBatches() + "]");
        }
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        if (shuffle != null) {
            for (int i = size - 1; i > 0; i--) {   // Fisher–Yates
                int j = shuffle.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        int[][] batches = new int[numBatches() - firstBatch][];
        for (int b = 0; b < batches.length; b++) {
            int from = (firstBatch + b) * batchSize;
            int to = Math.min(size, from + batchSize);
            batches[b] = java.util.Arrays.copyOfRange(order, from, to);
        }
        return prefetch > 0 ? new PrefetchingEpoch(batches, batcher, prefetch) : new Epoch(batches, batcher);
    }

    /**
     * A new epoch. With prefetching, an epoch abandoned before its end keeps its thread parked until it is
     * closed or the JVM exits (the thread is a daemon); prefer {@link #epoch()} in try-with-resources.
     */
    @Override
    public Iterator<Batch> iterator() {
        return epoch();
    }

    /** One pass over the data: an iterator of batches that is also closeable. */
    public static class Epoch implements Iterator<Batch>, Iterable<Batch>, AutoCloseable {
        final int[][] batches;
        final Function<int[], Batch> batcher;
        int next;

        Epoch(int[][] batches, Function<int[], Batch> batcher) {
            this.batches = batches;
            this.batcher = batcher;
        }

        @Override
        public boolean hasNext() {
            return next < batches.length;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("DataLoader: the epoch has ended");
            }
            return track(batcher.apply(batches[next++]));
        }

        @Override
        public Iterator<Batch> iterator() {
            return this;
        }

        /** Number of batches in this epoch. */
        public int numBatches() {
            return batches.length;
        }

        @Override
        public void close() {
            next = batches.length;
        }

        static Batch track(Batch b) {
            for (Tensor t : b.fields()) {
                org.latent4j.core.tensor.Arena.track(t.value());
            }
            return b;
        }
    }
}
