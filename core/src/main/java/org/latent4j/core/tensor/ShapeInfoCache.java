package org.latent4j.core.tensor;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import org.latent4j.core.kernels.Kernels;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Makes c-ordered arrays over existing buffers without building a new shape descriptor each time. Every ND4J
 * array constructor that takes a buffer and a shape allocates a fresh native shape-info buffer (with its own
 * deallocator registration), which profiling showed to be most of the cost of a small op once its data
 * buffer comes from the pool. Shape infos are immutable and ND4J already shares them between arrays, so one
 * per (dtype, shape) is kept here and handed to the backend's {@code (data, shapeInfo, javaShapeInfo)}
 * constructor. A backend without that constructor, or whose result does not match ND4J's own, gets
 * {@code Nd4j.create} as before.
 */
public final class ShapeInfoCache {
    /** Beyond this many distinct (dtype, shape) pairs, arrays are made the ordinary way. */
    private static final int MAX_ENTRIES = 4096;
    /** (DataBuffer data, DataBuffer shapeInfo, long[] javaShapeInfo) → INDArray, or null when unavailable. */
    private static final MethodHandle NEW_ARRAY = findConstructor();
    private static final ConcurrentHashMap<Key, Entry> CACHE = new ConcurrentHashMap<>();

    private record Entry(DataBuffer shapeInfo, long[] javaShapeInfo) {
    }

    /** A dtype and a shape, compared by content. */
    private static final class Key {
        private final DataType type;
        private final long[] shape;
        private final int hash;

        Key(DataType type, long[] shape) {
            this.type = type;
            this.shape = shape;
            this.hash = 31 * type.hashCode() + Arrays.hashCode(shape);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.type == type && Arrays.equals(k.shape, shape);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private ShapeInfoCache() {
    }

    /**
     * {@code x} in a new shape (same element count, row-major): when x is one dense c-ordered run of its whole
     * buffer, a header over that buffer with a cached descriptor; otherwise ND4J's reshape (which copies when
     * the layout requires it). Like ND4J's own views, the header cannot be closed: its memory is x's.
     */
    public static INDArray reshape(INDArray x, long[] shape) {
        // Kernels.isDense, not ND4J's hasDefaultStridesForShape: that rejects arrays whose size-1 axes carry a
        // stride other than the default (a (1, 1, 128) tensor made by several ops), which sent every such
        // reshape through a new native descriptor
        if (x.isEmpty() || !Kernels.isWholeBuffer(x)) {
            return x.reshape('c', shape);
        }
        INDArray view = array(x.data(), x.dataType(), shape);
        view.setCloseable(false);
        return view;
    }

    /** A c-ordered array of {@code shape} over the whole of {@code buffer}, whose length is the shape's size. */
    static INDArray array(DataBuffer buffer, DataType type, long[] shape) {
        if (NEW_ARRAY != null) {
            Entry e = CACHE.get(new Key(type, shape));
            if (e != null) {
                return fromEntry(buffer, e);
            }
        }
        INDArray a = Nd4j.create(buffer, shape, Nd4j.getStrides(shape, 'c'), 0, 'c', type);
        if (NEW_ARRAY != null && CACHE.size() < MAX_ENTRIES) {
            CACHE.putIfAbsent(new Key(type, shape.clone()),
                    new Entry(a.shapeInfoDataBuffer(), a.shapeInfoJava().clone()));
        }
        return a;
    }

    private static INDArray fromEntry(DataBuffer buffer, Entry e) {
        try {
            // each array gets its own copy of the Java-side descriptor; the native one is shared, as ND4J does
            return (INDArray) NEW_ARRAY.invokeExact(buffer, e.shapeInfo(), e.javaShapeInfo().clone());
        } catch (RuntimeException | Error ex) {
            throw ex;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static MethodHandle findConstructor() {
        try {
            INDArray probe = Nd4j.createUninitialized(DataType.FLOAT, 2, 3);
            MethodHandle ctor = MethodHandles.publicLookup().findConstructor(probe.getClass(),
                    MethodType.methodType(void.class, DataBuffer.class, probe.shapeInfoDataBuffer().getClass(),
                            long[].class));
            MethodHandle h = ctor.asType(MethodType.methodType(INDArray.class, DataBuffer.class, DataBuffer.class,
                    long[].class));
            INDArray made = (INDArray) h.invokeExact(probe.data(), probe.shapeInfoDataBuffer(),
                    probe.shapeInfoJava().clone());
            boolean same = made.data() == probe.data() && Arrays.equals(made.shape(), probe.shape())
                    && Arrays.equals(made.stride(), probe.stride()) && made.ordering() == probe.ordering()
                    && made.dataType() == probe.dataType() && made.offset() == 0 && !made.wasClosed();
            probe.close();
            return same ? h : null;
        } catch (Throwable t) {
            return null;
        }
    }
}
