package org.latent4j.core.ops;

import java.util.Arrays;
import org.latent4j.core.autograd.Graph;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Selecting and accumulating by integer (int64) index. The ops come in adjoint pairs, each the other's
 * backward: {@link #indexSelect} / {@link #indexAdd} move whole slices along an axis, {@link #gather} /
 * {@link #scatterAdd} move single elements. {@link #embedding} is an index-select of table rows, so its
 * backward is one pass that adds each incoming gradient row into the row of its id.
 *
 * <p>Rows of a table are pulled with ND4J's {@code pullRows}; everything else runs as Java loops over row-major
 * copies of the data: ND4J's {@code gather} and {@code scatter_add} (the latter single-threaded, as repeated
 * indices need) measured 10–50 ms for 8192 rows of 64, several times a Java copy loop.
 */
public final class Indexing {
    private Indexing() {
    }

    // ---- whole slices along an axis -----------------------------------------------------------------

    /**
     * The slices {@code index[0], index[1], …} of {@code x} along {@code axis}, in that order (repeats allowed):
     * {@code out.shape[axis] = index.length}. Backward: {@link #indexAdd} of the gradient into zeros.
     */
    public static Tensor indexSelect(Tensor x, int axis, Tensor index) {
        return select("indexSelect", x, axis, index);
    }

    private static Tensor select(String op, Tensor x, int axis, Tensor index) {
        int a = Shape.axis(op, axis, x.rank());
        long[] idx = indices(op, index, 1);
        long[] shape = x.shape();
        long n = shape[a];
        checkRange(op, idx, a, n);
        long[] outShape = shape.clone();
        outShape[a] = idx.length;
        int outer = (int) outer(shape, a);
        int inner = (int) inner(shape, a);
        INDArray out;
        if (outer == 1 && idx.length > 0 && x.value().dataType() == DataType.FLOAT && x.value().offset() == 0
                && Shapes.isDense(x.value())) {
            // Rows of a float32 table (an embedding): row by row from its buffer into one from the pool, where
            // pullRows cost a fresh array, two new shape descriptors and a native call per lookup
            out = Arena.allocate(DataType.FLOAT, outShape);
            java.nio.FloatBuffer from = x.value().data().asNioFloat();
            java.nio.FloatBuffer to = out.data().asNioFloat();
            float[] row = new float[inner];
            for (int j = 0; j < idx.length; j++) {
                from.get((int) (idx[j] * inner), row, 0, inner);
                to.put(j * inner, row, 0, inner);
            }
        } else if (outer == 1 && idx.length > 0) {
            // Rows of a table (embedding): copy just those rows, not the whole table
            out = Nd4j.createUninitialized(x.value().dataType(), outShape);
            int[] rows = new int[idx.length];
            for (int j = 0; j < rows.length; j++) {
                rows[j] = (int) idx[j];
            }
            Nd4j.pullRows(x.value().reshape('c', n, inner), out.reshape('c', idx.length, inner), 1, rows);
        } else {
            Object src = data(x.value());
            Object dst = newArray(src, Shape.numel(outShape));
            for (int o = 0; o < outer; o++) {
                for (int j = 0; j < idx.length; j++) {
                    System.arraycopy(src, (int) ((o * n + idx[j]) * inner), dst, (o * idx.length + j) * inner, inner);
                }
            }
            out = create(dst, outShape);
        }
        return Graph.record(op, out, g -> new Tensor[] {
            x.requiresGrad() ? addSlices(null, shape, a, index, g) : null
        }, x);
    }

    /**
     * {@code x} with {@code src}'s slices added along {@code axis} at the positions {@code index} names
     * (repeated indices accumulate): {@code out[…, index[j], …] += src[…, j, …]}. Backward: {@code x} gets the
     * gradient, {@code src} its {@link #indexSelect}.
     */
    public static Tensor indexAdd(Tensor x, int axis, Tensor index, Tensor src) {
        int a = Shape.axis("indexAdd", axis, x.rank());
        Shapes.sameDType("indexAdd", x, src);
        long[] expected = x.shape().clone();
        expected[a] = index.numel();
        if (!Arrays.equals(expected, src.shape())) {
            throw new IllegalArgumentException("indexAdd: src shape " + Shape.format(src.shape()) + " should be "
                    + Shape.format(expected) + " for input " + Shape.format(x.shape()) + " and " + index.numel()
                    + " indices along axis " + a);
        }
        return addSlices(x, x.shape(), a, index, src);
    }

    /** {@code base} (zeros when null) plus {@code src}'s slices at {@code index} along {@code axis}. */
    private static Tensor addSlices(Tensor base, long[] shape, int axis, Tensor index, Tensor src) {
        long[] idx = indices("indexAdd", index, 1);
        long n = shape[axis];
        checkRange("indexAdd", idx, axis, n);
        int outer = (int) outer(shape, axis);
        int inner = (int) inner(shape, axis);
        Object s = data(src.value());
        Object dst = base != null ? data(base.value()) : newArray(s, Shape.numel(shape));
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < idx.length; j++) {
                addRun(dst, (int) ((o * n + idx[j]) * inner), s, (o * idx.length + j) * inner, inner);
            }
        }
        Tensor[] inputs = base != null ? new Tensor[] {base, src} : new Tensor[] {src};
        return Graph.record("indexAdd", create(dst, shape), g -> {
            Tensor gs = src.requiresGrad() ? indexSelect(g, axis, index) : null;
            return base != null ? new Tensor[] {g, gs} : new Tensor[] {gs};
        }, inputs);
    }

    /**
     * Rows of a {@code (V, D)} table looked up by int64 ids of any shape: {@code (…) → (…, D)}. Backward: the
     * incoming gradient rows added into a zero {@code (V, D)} table at their ids, one pass over the ids.
     */
    public static Tensor embedding(Tensor weight, Tensor ids) {
        if (weight.rank() != 2) {
            throw new IllegalArgumentException("embedding: weight must be a (V, D) table, got "
                    + Shape.format(weight.shape()));
        }
        long[] idShape = ids.shape();
        Tensor rows = select("embedding", weight, 0, Shapes.reshape(ids, ids.numel())); // (N, D)
        return Shapes.reshape(rows, LinearAlgebra.concat(idShape, weight.size(1))); // (…, D)
    }

    // ---- single elements along an axis -----------------------------------------------------------------

    /**
     * PyTorch's {@code gather}: {@code out[i][j][k] = x[i][index[i][j][k]][k]} for {@code axis = 1}. {@code index}
     * has the rank of {@code x} and its shape outside {@code axis}; the result has {@code index}'s shape.
     * Backward: {@link #scatterAdd} of the gradient into zeros.
     */
    public static Tensor gather(Tensor x, int axis, Tensor index) {
        int a = Shape.axis("gather", axis, x.rank());
        long[] shape = x.shape();
        long[] idx = elementIndices("gather", shape, a, index);
        long n = shape[a];
        long m = index.shape()[a];
        int inner = (int) inner(shape, a);
        Object src = data(x.value());
        Object dst = newArray(src, idx.length);
        for (int p = 0; p < idx.length; p++) {
            long o = p / (m * inner);
            long i = p % inner;
            System.arraycopy(src, (int) ((o * n + idx[p]) * inner + i), dst, p, 1);
        }
        return Graph.record("gather", create(dst, index.shape()), g -> new Tensor[] {
            x.requiresGrad() ? addElements(null, shape, a, index, g) : null
        }, x);
    }

    /**
     * PyTorch's {@code scatter_add}: {@code x} plus {@code out[i][index[i][j][k]][k] += src[i][j][k]} for
     * {@code axis = 1} (repeated indices accumulate). {@code index} and {@code src} share a shape, which
     * matches {@code x} outside {@code axis}. Backward: {@code x} gets the gradient, {@code src} its
     * {@link #gather}.
     */
    public static Tensor scatterAdd(Tensor x, int axis, Tensor index, Tensor src) {
        int a = Shape.axis("scatterAdd", axis, x.rank());
        Shapes.sameDType("scatterAdd", x, src);
        if (!Arrays.equals(index.shape(), src.shape())) {
            throw new IllegalArgumentException("scatterAdd: index shape " + Shape.format(index.shape())
                    + " differs from src shape " + Shape.format(src.shape()));
        }
        return addElements(x, x.shape(), a, index, src);
    }

    private static Tensor addElements(Tensor base, long[] shape, int axis, Tensor index, Tensor src) {
        long[] idx = elementIndices("scatterAdd", shape, axis, index);
        long n = shape[axis];
        long m = index.shape()[axis];
        int inner = (int) inner(shape, axis);
        Object s = data(src.value());
        Object dst = base != null ? data(base.value()) : newArray(s, Shape.numel(shape));
        for (int p = 0; p < idx.length; p++) {
            long o = p / (m * inner);
            long i = p % inner;
            addRun(dst, (int) ((o * n + idx[p]) * inner + i), s, p, 1);
        }
        Tensor[] inputs = base != null ? new Tensor[] {base, src} : new Tensor[] {src};
        return Graph.record("scatterAdd", create(dst, shape), g -> {
            Tensor gs = src.requiresGrad() ? gather(g, axis, index) : null;
            return base != null ? new Tensor[] {g, gs} : new Tensor[] {gs};
        }, inputs);
    }

    // ---- checks ----------------------------------------------------------------------------------------

    private static long[] elementIndices(String op, long[] shape, int axis, Tensor index) {
        long[] is = index.shape();
        if (is.length != shape.length) {
            throw new IllegalArgumentException(op + ": index shape " + Shape.format(is) + " has rank " + is.length
                    + ", input shape " + Shape.format(shape) + " has rank " + shape.length);
        }
        for (int d = 0; d < shape.length; d++) {
            if (d != axis && is[d] != shape[d]) {
                throw new IllegalArgumentException(op + ": index shape " + Shape.format(is)
                        + " does not match input shape " + Shape.format(shape) + " outside axis " + axis);
            }
        }
        long[] idx = indices(op, index, is.length);
        checkRange(op, idx, axis, shape[axis]);
        return idx;
    }

    private static long[] indices(String op, Tensor index, int rank) {
        if (index.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + ": index must be int64, got " + index.dtype());
        }
        if (index.rank() != rank) {
            throw new IllegalArgumentException(op + ": index must have rank " + rank + ", got shape "
                    + Shape.format(index.shape()));
        }
        return (long[]) data(index.value());
    }

    private static void checkRange(String op, long[] idx, int axis, long size) {
        for (long i : idx) {
            if (i < 0 || i >= size) {
                throw new IllegalArgumentException(op + ": index " + i + " is out of range for axis " + axis
                        + " of size " + size);
            }
        }
    }

    // ---- row-major data as Java arrays (float[], double[] or long[]) ------------------------------------

    private static long outer(long[] shape, int axis) {
        return Shape.numel(Arrays.copyOfRange(shape, 0, axis));
    }

    private static long inner(long[] shape, int axis) {
        return Shape.numel(Arrays.copyOfRange(shape, axis + 1, shape.length));
    }

    /** A row-major copy of the elements on the Java heap. */
    private static Object data(INDArray a) {
        INDArray c = Shapes.isDense(a) && a.offset() == 0 && a.data().length() == a.length() ? a : a.dup('c');
        switch (a.dataType()) {
            case FLOAT:
                return c.data().asFloat();
            case DOUBLE:
                return c.data().asDouble();
            case LONG:
                return c.data().asLong();
            default:
                throw new IllegalArgumentException("indexing supports float32, float64 and int64, not "
                        + DType.of(a.dataType()));
        }
    }

    private static Object newArray(Object like, long length) {
        if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("indexing: " + length + " elements exceed a Java array");
        }
        return java.lang.reflect.Array.newInstance(like.getClass().getComponentType(), (int) length);
    }

    private static INDArray create(Object data, long[] shape) {
        if (data instanceof float[] f) {
            return Nd4j.create(f, shape, 'c');
        }
        if (data instanceof double[] d) {
            return Nd4j.create(d, shape, 'c');
        }
        return Nd4j.create(Nd4j.createBuffer((long[]) data), shape);
    }

    /** {@code dst[dp : dp+len] += src[sp : sp+len]}. */
    private static void addRun(Object dst, int dp, Object src, int sp, int len) {
        if (dst instanceof float[] d) {
            float[] s = (float[]) src;
            for (int i = 0; i < len; i++) {
                d[dp + i] += s[sp + i];
            }
        } else if (dst instanceof double[] d) {
            double[] s = (double[]) src;
            for (int i = 0; i < len; i++) {
                d[dp + i] += s[sp + i];
            }
        } else {
            throw new IllegalArgumentException("indexAdd/scatterAdd need float32 or float64 values");
        }
    }
}
