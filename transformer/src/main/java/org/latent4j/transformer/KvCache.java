package org.latent4j.transformer;

import org.latent4j.core.ops.Shapes;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.Tensor;

/**
 * The keys and values every attention layer has computed so far, so that decoding token n+1 costs one row of
 * attention per layer instead of a pass over all n tokens. Each layer's entry is (B, H, length, D); a forward
 * pass given the cache appends the new positions. The cache owns its arrays: they survive the {@link Arena}
 * of the step that made them ({@link #keepIn}) and are freed when replaced or by {@link #clear}.
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
        private Tensor keys;
        private Tensor values;
        private boolean owned;

        public long length() {
            return keys == null ? 0 : keys.size(2);
        }

        /** Appends (B, H, T, D) keys and values; returns the full {keys, values}. */
        Tensor[] append(Tensor k, Tensor v) {
            // The first entry is copied: k and v may be views into a buffer the step's arena frees.
            Tensor newKeys = keys == null ? k.add(0.0) : Shapes.concat(2, keys, k);      // (B, H, length + T, D)
            Tensor newValues = values == null ? v.add(0.0) : Shapes.concat(2, values, v);
            release();
            keys = newKeys;
            values = newValues;
            return new Tensor[] {keys, values};
        }

        private void release() {
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
