package org.latent4j.core.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reshapes of dense arrays share one cached native descriptor per (dtype, shape), also when the array's size-1
 * axes carry strides other than ND4J's defaults (decoding's (1, 1, E) activations: each such reshape used to
 * build a new descriptor, 13 µs of a 14 µs op).
 */
class ShapeInfoCacheTest {
    @Test
    void denseArraysWithOddSizeOneStridesReuseTheCachedDescriptor() {
        // (1, 1, 6) whose two leading size-1 axes have strides 1 and 1, not ND4J's default (6, 6)
        INDArray odd = Nd4j.create(Nd4j.createBuffer(new float[] {1, 2, 3, 4, 5, 6}), new long[] {1, 1, 6},
                new long[] {1, 1, 1}, 0, 'c', DataType.FLOAT);
        INDArray plain = Nd4j.create(DataType.FLOAT, 1, 1, 6);
        INDArray a = ShapeInfoCache.reshape(odd, new long[] {2, 3});
        INDArray b = ShapeInfoCache.reshape(plain, new long[] {2, 3});
        assertSame(a.shapeInfoDataBuffer(), b.shapeInfoDataBuffer(), "one descriptor for (float32, (2, 3))");
        assertSame(odd.data(), a.data(), "a view of the same memory");
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, a.data().asFloat());
        assertArrayEquals(new long[] {2, 3}, a.shape());
        assertArrayEquals(new float[] {4, 5, 6}, a.getRow(1).toFloatVector());
    }
}
