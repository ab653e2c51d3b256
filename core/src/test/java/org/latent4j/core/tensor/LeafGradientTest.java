package org.latent4j.core.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How leaf gradients are stored: copied on the first backward, added in place after, handed back to the
 * pool by clearGrad; and the cheap creation paths under them (filled tensors, cached shape descriptors).
 */
class LeafGradientTest {
    @BeforeEach
    @AfterEach
    void drain() {
        Arena.drainPool();
    }

    private static void backwardOf2x(Tensor x) {
        try (Arena arena = Arena.open()) {
            x.mul(2.0).sum().backward();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 300, 20_000})
    void gradientsAccumulateAcrossBackwards(int n) {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = Tensor.ones(dtype, n).requireGrad();
            backwardOf2x(x);
            assertArrayEquals(Tensor.full(dtype, 2, n).toDoubleArray(), x.grad().toDoubleArray());
            backwardOf2x(x);
            assertArrayEquals(Tensor.full(dtype, 4, n).toDoubleArray(), x.grad().toDoubleArray());
            assertEquals(dtype, x.grad().dtype());
        }
    }

    @Test
    void aClearedGradientIsReusedByTheNextBackwardAndItsOldReferenceFailsLoudly() {
        Tensor x = Tensor.ones(16, 16).requireGrad();
        backwardOf2x(x);
        Tensor old = x.grad();
        x.clearGrad();
        assertNull(x.grad());
        IllegalStateException e = assertThrows(IllegalStateException.class, old::toFloatArray);
        assertTrue(e.getMessage().contains("freed"), e.getMessage());
        Arena.PoolStats before = Arena.poolStats();
        backwardOf2x(x);
        Arena.PoolStats after = Arena.poolStats();
        assertEquals(before.misses(), after.misses(), "a steady clearGrad/backward loop allocates nothing fresh");
        assertArrayEquals(Tensor.full(DType.FLOAT32, 2, 16, 16).toFloatArray(), x.grad().toFloatArray());
    }

    @Test
    void aGradientTheCallerSetIsNeverRecycled() {
        Tensor x = Tensor.ones(3, 4).requireGrad();
        Tensor mine = Tensor.full(DType.FLOAT32, 5, 3, 4);
        x.setGrad(mine);
        backwardOf2x(x);
        assertSame(mine, x.grad());
        x.clearGrad();
        assertArrayEquals(Tensor.full(DType.FLOAT32, 7, 3, 4).toFloatArray(), mine.toFloatArray());
        backwardOf2x(x);
        assertNotSame(mine, x.grad());
        assertArrayEquals(Tensor.full(DType.FLOAT32, 7, 3, 4).toFloatArray(), mine.toFloatArray());
    }

    @Test
    void accumulateGradNamesMismatchedShapes() {
        Tensor x = Tensor.ones(3, 4).requireGrad();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> x.accumulateGrad(Tensor.ones(4, 3)));
        assertEquals("accumulateGrad: gradient (4,3) float32 does not match tensor (3,4) float32", e.getMessage());
    }

    @Test
    void filledTensorsHoldTheirValueInEveryDtypeAndSize() {
        assertArrayEquals(new float[] {1.5f, 1.5f, 1.5f}, Tensor.full(DType.FLOAT32, 1.5, 3).toFloatArray());
        assertArrayEquals(new double[] {-2, -2}, Tensor.full(DType.FLOAT64, -2, 2, 1).toDoubleArray());
        assertArrayEquals(new long[] {3, 3, 3, 3}, Tensor.full(DType.INT64, 3, 2, 2).toLongArray());
        assertEquals(0.0, Tensor.zeros(DType.FLOAT32).item());
        assertEquals(0, Tensor.zeros(0, 3).numel());
        float[] big = Tensor.ones(200, 100).toFloatArray();
        for (float v : big) {
            assertEquals(1f, v);
        }
        try (Arena arena = Arena.open()) {
            // a pooled buffer is refilled, not handed out with the previous step's values
            Tensor.full(DType.FLOAT32, 9, 4, 4);
        }
        try (Arena arena = Arena.open()) {
            assertArrayEquals(new float[16], Tensor.zeros(4, 4).toFloatArray());
        }
    }

    @Test
    void cachedShapeDescriptorsGiveOrdinaryArrays() {
        for (long[] shape : new long[][] {{}, {5}, {3, 4}, {2, 1, 3}}) {
            for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE, DataType.LONG}) {
                INDArray reference = Nd4j.createUninitialized(type, shape);
                INDArray first = ShapeInfoCache.array(Nd4j.createBuffer(type, reference.length(), true), type, shape);
                INDArray second = ShapeInfoCache.array(Nd4j.createBuffer(type, reference.length(), true), type, shape);
                for (INDArray a : new INDArray[] {first, second}) {
                    assertArrayEquals(reference.shape(), a.shape());
                    assertArrayEquals(reference.stride(), a.stride());
                    assertEquals(type, a.dataType());
                    assertEquals('c', a.ordering());
                }
                assertNotSame(first.data(), second.data());
                second.assign(3);
                assertEquals(0.0, first.sumNumber().doubleValue(), "arrays over different buffers are independent");
                first.close();
                assertTrue(first.wasClosed());
                assertEquals(3.0 * second.length(), second.sumNumber().doubleValue(), "closing one leaves the other");
            }
        }
    }

    @Test
    void aReshapeSharesItsMemoryButClosingItLeavesTheOriginal() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor r = x.reshape(3, 2);
        assertSame(x.value().data(), r.value().data());
        r.close();
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, x.toFloatArray());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, r.toFloatArray());
    }

    @Test
    void aReshapeOfAPermutedTensorReadsItInRowMajorOrder() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, x.transpose(0, 1).reshape(6).toFloatArray());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, x.transpose(0, 1).reshape(2, 3).toFloatArray());
    }
}
