package org.latent4j.transformer;

import java.nio.FloatBuffer;
import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.autograd.Graph;
import org.latent4j.core.kernels.Kernels;
import org.latent4j.core.ops.Shapes;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The keys and values every attention layer has computed so far, so that decoding token n+1 costs one row of
 * attention per layer instead of a pass over all n tokens. Each layer's entry is (B, H, length, D); a forward
 * pass given the cache appends the new positions.
 *
 * <p>Float32 keys and values that need no gradient (decoding) are kept in Java arrays with room to grow: an
 * append copies only the new positions in, and each step reads the whole prefix back out as dense arrays of its
 * own {@link Arena} (measured in the baby GPT's decoding: concatenating two native arrays per layer per token
 * cost more than the attention). Anything else (float64, or keys that carry a gradient) is concatenated as
 * tensors; the cache then owns those arrays: they survive the {@link Arena} of the step that made them
 * ({@link #keepIn}) and are freed when replaced or by {@link #clear}.
 */
public final class KvCache {
    private final Layer[] layers;

    public KvCache(int numLayers) {
        if (numLayers <= 0) {
            throw new IllegalArgumentException("KvCache: numLayers must be positive, got " + numLayers);
        }
        layers = new Layer[numLayers];
        for (int i = 0; i < numLayers; i++) {
            layers[i] = new Layer();
        }
    }

    /** Positions cached so far (those of layer 0; all layers agree after a complete forward pass). */
    public long length() {
        return layers[0].length();
    }

    public Layer layer(int i) {
        return layers[i];
    }

    public int numLayers() {
        return layers.length;
    }

    /** Moves this cache's current arrays out of {@code arena}, so they outlive it. */
    public void keepIn(Arena arena) {
        for (Layer l : layers) {
            if (l.keys != null) {
                arena.keep(l.keys);
                arena.keep(l.values);
            }
            l.owned = true;
        }
    }

    /** Frees every cached array; the cache starts again at length 0. */
    public void clear() {
        for (Layer l : layers) {
            l.release();
        }
    }

    /** One attention layer's keys and values, (B, H, length, D) each. */
    public static final class Layer {
        // tensor form: float64, or keys and values that carry a gradient
        private Tensor keys;
        private Tensor values;
        private boolean owned;
        // array form: (B, H, capacity, D) each, the first `stored` positions of every head filled
        private float[] keyRows;
        private float[] valueRows;
        private long[] dims;        // {B, H, D}
        private int capacity;
        private int stored;

        public long length() {
            return keys != null ? keys.size(2) : stored;
        }

        /** Appends (B, H, T, D) keys and values; returns the full {keys, values}. */
        Tensor[] append(Tensor k, Tensor v) {
            boolean arrays = keys == null && k.dtype() == DType.FLOAT32 && v.dtype() == DType.FLOAT32
                    && !(GradMode.isEnabled() && (k.requiresGrad() || v.requiresGrad()));
            if (!arrays) {
                if (stored > 0) {
                    throw new IllegalStateException("KvCache: this layer holds float32 keys without gradients; "
                            + "clear it before appending " + k.dtype() + " keys or keys that need a gradient");
                }
                return appendTensors(k, v);
            }
            long[] s = k.shape();
            if (stored > 0 && (s[0] != dims[0] || s[1] != dims[1] || s[3] != dims[2])) {
                throw new IllegalArgumentException("KvCache: keys " + Shape.format(s) + " do not continue the cached "
                        + "(" + dims[0] + ", " + dims[1] + ", " + stored + ", " + dims[2] + ")");
            }
            if (!java.util.Arrays.equals(s, v.shape())) {
                throw new IllegalArgumentException("KvCache: keys " + Shape.format(s) + " and values "
                        + Shape.format(v.shape()) + " differ");
            }
            int t = (int) s[2];
            if (stored == 0) {
                dims = new long[] {s[0], s[1], s[3]};
            }
            reserve(stored + t);
            write(k.value(), keyRows, t);
            write(v.value(), valueRows, t);
            stored += t;
            return new Tensor[] {read(keyRows), read(valueRows)};
        }

        private Tensor[] appendTensors(Tensor k, Tensor v) {
            // The first entry is copied: k and v may be views into a buffer the step's arena frees.
            Tensor newKeys = keys == null ? k.add(0.0) : Shapes.concat(2, keys, k);      // (B, H, length + T, D)
            Tensor newValues = values == null ? v.add(0.0) : Shapes.concat(2, values, v);
            releaseTensors();
            keys = newKeys;
            values = newValues;
            return new Tensor[] {keys, values};
        }

        /** Grows both arrays to hold at least {@code positions} per head (doubling), keeping what is stored. */
        private void reserve(int positions) {
            if (positions <= capacity) {
                return;
            }
            int grown = Math.max(positions, Math.max(16, 2 * capacity));
            int heads = Math.toIntExact(dims[0] * dims[1]);
            int d = (int) dims[2];
            keyRows = regrow(keyRows, heads, d, grown);
            valueRows = regrow(valueRows, heads, d, grown);
            capacity = grown;
        }

        private float[] regrow(float[] old, int heads, int d, int grown) {
            float[] rows = new float[Math.multiplyExact(Math.multiplyExact(heads, grown), d)];
            for (int h = 0; old != null && h < heads; h++) {
                System.arraycopy(old, h * capacity * d, rows, h * grown * d, stored * d);
            }
            return rows;
        }

        /** Copies the T new positions of every head of {@code x} (B, H, T, D) in after the stored ones. */
        private void write(INDArray x, float[] rows, int t) {
            INDArray dense = Kernels.contiguous(x);
            FloatBuffer src = dense.data().asNioFloat();
            int base = (int) dense.offset();
            int heads = Math.toIntExact(dims[0] * dims[1]);
            int d = (int) dims[2];
            for (int h = 0; h < heads; h++) {
                src.get(base + h * t * d, rows, (h * capacity + stored) * d, t * d);
            }
        }

        /** The stored positions as a dense (B, H, length, D) array of the current arena. */
        private Tensor read(float[] rows) {
            int heads = Math.toIntExact(dims[0] * dims[1]);
            int d = (int) dims[2];
            INDArray out = Arena.allocate(DataType.FLOAT, dims[0], dims[1], stored, d);
            FloatBuffer dst = out.data().asNioFloat();
            for (int h = 0; h < heads; h++) {
                dst.put(h * stored * d, rows, h * capacity * d, stored * d);
            }
            return Graph.constant(out);
        }

        private void release() {
            releaseTensors();
            stored = 0;
        }

        private void releaseTensors() {
            // Arrays kept out of an arena belong to the cache alone; the others are freed by their arena.
            if (owned && keys != null) {
                keys.close();
                values.close();
            }
            keys = null;
            values = null;
            owned = false;
        }
    }
}
