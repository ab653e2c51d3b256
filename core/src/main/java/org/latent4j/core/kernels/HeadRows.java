package org.latent4j.core.kernels;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Bulk row copies between one head of a float32 (B, H, T, C) array and a Java {@code float[]}, for the attention
 * kernels. Besides dense arrays it takes any view whose last axis is contiguous, such as the (B, T, H, C) →
 * (B, H, T, C) permutation that splits a sequence into heads: those are copied row by row, in place of an ND4J
 * copy of the whole array first (measured at (12,4,64,32) on the loaded 2-vCPU box: 3–14 ms per permuted
 * {@code assign}, against about 3 ms for a whole attention forward and backward).
 */
final class HeadRows {
    private final FloatBuffer buffer;
    private final int base;
    private final int heads;
    private final int rows;
    private final int cols;
    private final long strideB;
    private final long strideH;
    private final long strideT;
    private final boolean dense;

    private HeadRows(INDArray x) {
        if (!usable(x)) {
            throw new IllegalArgumentException("attention: expected a float32 (B,H,T,C) array with a contiguous last "
                    + "axis but got " + x.dataType() + " with strides " + java.util.Arrays.toString(x.stride()));
        }
        this.buffer = x.data().asNioFloat();
        this.base = Math.toIntExact(x.offset());
        this.heads = (int) x.size(1);
        this.rows = (int) x.size(2);
        this.cols = (int) x.size(3);
        long[] stride = x.stride();
        this.strideB = stride[0];
        this.strideH = stride[1];
        this.strideT = stride[2];
        this.dense = HostFloats.isDense(x);
    }

    static HeadRows of(INDArray x) {
        return new HeadRows(x);
    }

    /** Whether x is a float32 rank-4 array whose rows (last axis) are contiguous, so it can be read in place. */
    static boolean usable(INDArray x) {
        return x.dataType() == DataType.FLOAT && x.rank() == 4 && (x.size(3) == 1 || x.stride(3) == 1)
                && x.length() > 0;
    }

    /** {@link #usable}, and no two elements share memory (no zero stride on an axis longer than 1), so it can be written. */
    static boolean writable(INDArray x) {
        if (!usable(x)) {
            return false;
        }
        for (int i = 0; i < 3; i++) {
            if (x.size(i) > 1 && x.stride(i) == 0) {
                return false;
            }
        }
        return true;
    }

    private int rowIndex(int bh, int t) {
        long b = bh / heads;
        long h = bh % heads;
        return (int) (base + b * strideB + h * strideH + t * strideT);
    }

    /** Copies the rows of head bh (T × C, rows packed) into dst from off. */
    void get(int bh, float[] dst, int off) {
        if (dense || rows == 1) {
            buffer.get(rowIndex(bh, 0), dst, off, rows * cols);
            return;
        }
        for (int t = 0; t < rows; t++) {
            buffer.get(rowIndex(bh, t), dst, off + t * cols, cols);
        }
    }

    /** Writes head bh's rows from src (row t at {@code off + t·ld}). */
    void put(int bh, float[] src, int off, int ld) {
        if ((dense || rows == 1) && ld == cols) {
            buffer.put(rowIndex(bh, 0), src, off, rows * cols);
            return;
        }
        for (int t = 0; t < rows; t++) {
            buffer.put(rowIndex(bh, t), src, off + t * ld, cols);
        }
    }
}
