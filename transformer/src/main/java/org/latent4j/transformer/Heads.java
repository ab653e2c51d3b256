package org.latent4j.transformer;

import org.latent4j.core.ops.Attention;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/** What the attention modules share: the attention call itself and the checks of their arguments. */
final class Heads {
    private Heads() {
    }

    /**
     * {@code dropout(softmax(q kᵀ/√d + mask)) v} per head through core's {@link Attention}: q (B, H, Tq, D), k
     * and v (B, H, Tk, D) → (B, H, Tq, D). A causal mask is aligned bottom-right, so queries that follow a cached
     * prefix see all of it. With {@code dropout} 0 (evaluation, or no attention dropout) core uses its fused
     * kernel where it can; otherwise the weights are materialized, dropped with masks from {@code rng}, and
     * multiplied by v.
     */
    static Tensor attend(Tensor q, Tensor k, Tensor v, Attention.Mask mask, Tensor paddingMask, double dropout,
            Rng rng) {
        // A single query after a cached prefix (a decoding step) sees every key: the causal mask hides nothing, and
        // unmasked attention can take the fused kernel, which a causal mask with Tq != Tk cannot.
        Attention.Mask effective = mask == Attention.Mask.CAUSAL && q.size(2) == 1 ? Attention.Mask.NONE : mask;
        return Attention.scaledDotProduct(q, k, v, effective, paddingMask, 1.0 / Math.sqrt(q.size(-1)), dropout,
                dropout > 0 ? rng : null);
    }

    /** Checks an attention module's constructor arguments. */
    static void requireSettings(String op, int embedDim, int numHeads, double dropout) {
        if (embedDim <= 0 || numHeads <= 0 || embedDim % numHeads != 0) {
            throw new IllegalArgumentException(op + ": embedDim " + embedDim + " must be a positive multiple of "
                    + "numHeads " + numHeads);
        }
        requireDropout(op, "dropout", dropout);
    }

    /** Checks a dropout probability: in [0, 1). */
    static void requireDropout(String op, String name, double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException(op + ": " + name + " must be in [0, 1), got " + p);
        }
    }

    /** Checks a (B, T, E) input. */
    static void requireSequence(String op, Tensor x, int embedDim) {
        if (x.rank() != 3 || x.size(2) != embedDim) {
            throw new IllegalArgumentException(op + ": input " + Shape.format(x.shape()) + " must be (B, T, "
                    + embedDim + ")");
        }
    }

    /** Checks a padding mask against (B, Tk): 1 (or true) marks a real token, 0 a pad. */
    static void requirePaddingMask(String op, Tensor mask, long batch, long keys) {
        if (mask != null && (mask.rank() != 2 || mask.size(0) != batch || mask.size(1) != keys)) {
            throw new IllegalArgumentException(op + ": padding mask " + Shape.format(mask.shape()) + " must be ("
                    + batch + ", " + keys + ")");
        }
    }
}
