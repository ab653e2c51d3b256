package org.latent4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

class DataLoaderTest {
    /** Example i: features (i, 10 i, 100 i) as float32 (3) and label i as int64; 10 examples. */
    static TensorDataset ten() {
        float[] x = new float[30];
        long[] y = new long[10];
        for (int i = 0; i < 10; i++) {
            x[3 * i] = i;
            x[3 * i + 1] = 10 * i;
            x[3 * i + 2] = 100 * i;
            y[i] = i;
        }
        return new TensorDataset(Tensor.of(x, 10, 3), Tensor.ofLongs(y, 10));
    }

    static List<long[]> labels(DataLoader loader) {
        List<long[]> out = new ArrayList<>();
        try (DataLoader.Epoch e = loader.epoch()) {
            for (Batch b : e) {
                long[] y = b.y().toLongArray();
                float[] x = b.x().toFloatArray();
                for (int i = 0; i < y.length; i++) {
                    assertEquals(y[i] * 100f, x[3 * i + 2], "rows stay aligned across fields");
                }
                assertArrayEquals(Arrays.stream(b.indices()).asLongStream().toArray(), y);
                out.add(y);
            }
        }
        return out;
    }

    @Test
    void inOrderBatchesKeepTheLastShortBatchUnlessDropped() {
        DataLoader loader = DataLoader.of(ten()).batchSize(4);
        List<long[]> batches = labels(loader);
        assertEquals(3, loader.numBatches());
        assertArrayEquals(new long[] {0, 1, 2, 3}, batches.get(0));
        assertArrayEquals(new long[] {8, 9}, batches.get(2));
        assertEquals(2, loader.dropLast().numBatches());
        assertEquals(2, labels(loader.dropLast()).size());
        try (DataLoader.Epoch e = loader.epoch()) {
            Batch b = e.next();
            assertArrayEquals(new long[] {4, 3}, b.x().shape());
            assertEquals(DType.FLOAT32, b.x().dtype());
            assertArrayEquals(new long[] {4}, b.y().shape());
            assertEquals(DType.INT64, b.y().dtype());
        }
    }

    @Test
    void shuffleIsAPermutationDeterminedByTheSeedAndNewEachEpoch() {
        DataLoader a = DataLoader.of(ten()).batchSize(3).shuffle(new Rng(11));
        DataLoader b = DataLoader.of(ten()).batchSize(3).shuffle(new Rng(11));
        List<long[]> a1 = labels(a);
        List<long[]> a2 = labels(a);
        List<long[]> b1 = labels(b);
        assertEquals(flat(a1), flat(b1), "same seed, same order");
        assertNotEquals(flat(a1), flat(a2), "a new permutation each epoch");
        List<Long> sorted = new ArrayList<>(flat(a1));
        sorted.sort(null);
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), sorted);
    }

    @Test
    void anEpochResumedMidwayGivesTheRemainingBatches() {
        Rng rng = new Rng(21);
        long[] saved = rng.state();
        List<Long> whole = flat(labels(DataLoader.of(ten()).batchSize(3).shuffle(rng)));
        rng.restore(saved);
        List<Long> rest = new ArrayList<>();
        try (DataLoader.Epoch e = DataLoader.of(ten()).batchSize(3).shuffle(rng).epochFrom(2)) {
            e.forEach(b -> Arrays.stream(b.y().toLongArray()).forEach(rest::add));
        }
        assertEquals(whole.subList(6, 10), rest);
    }

    @Test
    void byteAndBoolFieldsAreGathered() {
        TensorDataset d = new TensorDataset(Tensor.of(new double[] {1, 2, 250, 251, 9, 8}, 3, 2).to(DType.UINT8),
                Tensor.of(new double[] {1, 0, 1}, 3).to(DType.BOOL));
        Batch b = d.batch(new int[] {2, 1});
        assertEquals(DType.UINT8, b.x().dtype());
        assertArrayEquals(new long[] {9, 8, 250, 251}, b.x().toLongArray());
        assertArrayEquals(new double[] {1, 0}, b.y().to(DType.FLOAT64).toDoubleArray());
    }

    @Test
    void prefetchingGivesTheSameBatchesAndItsThreadEnds() throws Exception {
        DataLoader plain = DataLoader.of(ten()).batchSize(3).shuffle(new Rng(5)).dropLast();
        DataLoader ahead = DataLoader.of(ten()).batchSize(3).shuffle(new Rng(5)).dropLast().prefetch(2);
        assertEquals(flat(labels(plain)), flat(labels(ahead)));
        PrefetchingEpoch early = (PrefetchingEpoch) ahead.epoch();
        early.next();
        early.close();   // left after one batch: the worker is stopped and joined
        assertFalse(early.workerAlive());
        assertFalse(early.hasNext());
    }

    @Test
    void aFailureInThePrefetchThreadIsRethrownAtItsBatch() {
        Dataset<List<Tensor>> failing = new Dataset<>() {
            public int size() {
                return 4;
            }

            public List<Tensor> get(int i) {
                if (i == 2) {
                    throw new IllegalArgumentException("example 2 is broken");
                }
                return List.of(Tensor.of(new float[] {i}, 1));
            }
        };
        try (DataLoader.Epoch e = DataLoader.of(failing).batchSize(2).prefetch(1).epoch()) {
            assertArrayEquals(new float[] {0, 1}, e.next().x().toFloatArray());
            IllegalStateException ex = assertThrows(IllegalStateException.class, e::next);
            assertEquals("DataLoader: making batch 1 failed: example 2 is broken", ex.getMessage());
        }
    }

    @Test
    void genericDatasetsAreStackedAndMismatchedShapesNamed() {
        Dataset<List<Tensor>> ds = new Dataset<>() {
            public int size() {
                return 3;
            }

            public List<Tensor> get(int i) {
                return List.of(Tensor.of(new float[] {i, i}, i == 2 ? 1 : 2, i == 2 ? 2 : 1));
            }
        };
        try (DataLoader.Epoch e = DataLoader.of(ds).batchSize(2).epoch()) {
            Batch b = e.next();
            assertArrayEquals(new long[] {2, 2, 1}, b.x().shape());
            assertArrayEquals(new float[] {0, 0, 1, 1}, b.x().toFloatArray());
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Collate.stack(
                    List.of(ds.get(0), ds.get(2))));
            assertEquals("Collate.stack: field 0 of example 1 is float32 (1,2) but example 0 has float32 (2,1)",
                    ex.getMessage());
        }
    }

    @Test
    void batchesAreFreedByTheCallersArena() {
        DataLoader loader = DataLoader.of(ten()).batchSize(5);
        Batch b;
        try (Arena step = Arena.open(); DataLoader.Epoch e = loader.epoch()) {
            b = e.next();
            assertTrue(step.trackedCount() >= 2);
        }
        assertThrows(IllegalStateException.class, () -> b.x().value());
        assertEquals(List.of(3L), List.of((long) ten().get(3).get(1).item()));
        assertArrayEquals(new float[] {3, 30, 300}, ten().get(3).get(0).toFloatArray());
    }

    @Test
    void badSettingsAreRefused() {
        assertEquals("DataLoader: batch size must be positive, got 0",
                assertThrows(IllegalArgumentException.class, () -> DataLoader.of(ten()).batchSize(0)).getMessage());
        assertEquals("TensorDataset: field 1 has shape (3,) but field 0 has 2 examples",
                assertThrows(IllegalArgumentException.class,
                        () -> new TensorDataset(Tensor.zeros(2, 4), Tensor.zeros(3))).getMessage());
    }

    private static List<Long> flat(List<long[]> batches) {
        List<Long> out = new ArrayList<>();
        batches.forEach(b -> Arrays.stream(b).forEach(out::add));
        return out;
    }
}
