package org.latent4j.flow;

import java.util.Arrays;
import org.latent4j.core.ops.Indexing;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * A fixed reordering of axis 1 (the features of (B, D) or the channels of (B, C, H, W)): volume-preserving,
 * log|det J| = 0. Used between coupling or autoregressive layers so each one sees the others' outputs
 * conditioned differently. Buffer: {@code indices} (int64), z[:, i] = x[:, indices[i]].
 */
public final class Permutation extends Bijector {
    private final Tensor indices;

    public Permutation(int[] order) {
        if (order == null || order.length == 0) {
            throw new IllegalArgumentException("Permutation: order must not be empty");
        }
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] != i) {
                throw new IllegalArgumentException("Permutation: " + Arrays.toString(order)
                        + " is not a permutation of 0.." + (order.length - 1));
            }
        }
        long[] fwd = new long[order.length];
        for (int i = 0; i < order.length; i++) {
            fwd[i] = order[i];
        }
        indices = registerBuffer("indices", Arena.outside(() -> Tensor.ofLongs(fwd, fwd.length)));
    }

    /** Reverses the order of n features or channels. */
    public static Permutation reverse(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = n - 1 - i;
        }
        return new Permutation(order);
    }

    /** A uniformly random order of n features or channels (Fisher–Yates). */
    public static Permutation random(int n, Rng rng) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return new Permutation(order);
    }

    @Override
    public Output forward(Tensor x) {
        requireChannels("Permutation.forward", x, indices.size(0));
        return new Output(Indexing.indexSelect(x, 1, indices), zeros(x));
    }

    @Override
    public Tensor inverse(Tensor z) {
        requireChannels("Permutation.inverse", z, indices.size(0));
        long[] fwd = indices.toLongArray();
        long[] inv = new long[fwd.length];
        for (int i = 0; i < fwd.length; i++) {
            inv[(int) fwd[i]] = i;
        }
        return Indexing.indexSelect(z, 1, Tensor.ofLongs(inv, inv.length));
    }

    static Tensor zeros(Tensor x) {
        return Tensor.zeros(x.dtype(), x.size(0));
    }

    @Override
    protected String extraRepr() {
        return "n=" + indices.size(0);
    }
}
