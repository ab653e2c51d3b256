package org.latent4j.transformer;

import java.util.List;
import org.latent4j.core.nn.Module;
import org.latent4j.core.ops.Attention;
import org.latent4j.core.ops.Random;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.transformer.lora.LoraLinear;

/**
 * Multi-head self-attention with a fused query/key/value projection (Vaswani et al., 2017):
 * {@code [Q K V] = x·W_qkv + b}, each split into {@code numHeads} heads of {@code d = embedDim/numHeads}
 * channels, {@code head_i = softmax(Q_i K_iᵀ / √d + mask) V_i}, and the heads joined and projected by
 * {@code proj}. In training, {@code attnDropout} zeroes attention weights (then attention is composed from
 * matmul, softmax and dropout instead of the fused kernel) and {@code dropout} the projected output. {@link Masking#CAUSAL} lets position i see positions ≤ i only (a decoder); a padding mask
 * (B, T) hides pad keys. With {@link PositionEncoding#ROTARY} queries and keys are rotated by position first.
 * Given a {@link KvCache.Layer}, the new keys and values are appended to the cached ones, so decoding one
 * token attends over the whole prefix without recomputing it.
 */
public final class SelfAttention extends Module {
    /** Which keys a query may see. */
    public enum Masking {
        /** Keys at the same or earlier positions. */
        CAUSAL,
        /** All keys (an encoder). */
        NONE
    }

    private final int embedDim;
    private final int numHeads;
    private final Masking masking;
    private final double dropout;
    private final double attnDropout;
    private final RotaryEmbedding rope;
    private final Rng dropoutRng;
    private final LoraLinear qkv;
    private final LoraLinear proj;

    /** Without dropout on the attention weights. */
    public SelfAttention(int embedDim, int numHeads, Masking masking, PositionEncoding positions, double dropout,
            DType dtype, Rng rng) {
        this(embedDim, numHeads, masking, positions, dropout, 0.0, dtype, rng);
    }

    /** With dropout {@code attnDropout} on the attention weights and {@code dropout} on the output. */
    public SelfAttention(int embedDim, int numHeads, Masking masking, PositionEncoding positions, double dropout,
            double attnDropout, DType dtype, Rng rng) {
        Heads.requireSettings("SelfAttention", embedDim, numHeads, dropout);
        Heads.requireDropout("SelfAttention", "attnDropout", attnDropout);
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.masking = masking;
        this.dropout = dropout;
        this.attnDropout = attnDropout;
        this.rope = positions == PositionEncoding.ROTARY ? new RotaryEmbedding(embedDim / numHeads) : null;
        this.qkv = registerModule("qkv", new LoraLinear(embedDim, 3 * embedDim, dtype, rng));
        this.proj = registerModule("proj", new LoraLinear(embedDim, embedDim, dtype, rng));
        this.dropoutRng = rng.split();
    }

    /** (B, T, E) → (B, T, E). */
    public Tensor forward(Tensor x) {
        return forward(x, null, null);
    }

    /** With a (B, T) padding mask: 1 for real tokens, 0 for pads (which no query attends to). */
    public Tensor forward(Tensor x, Tensor paddingMask) {
        return forward(x, paddingMask, null);
    }

    /**
     * The general form: {@code paddingMask} (B, cached + T) and {@code cache} may each be null. With a cache, the
     * rows of {@code x} stand at positions {@code cache.length() ..} and the cache grows by T.
     */
    public Tensor forward(Tensor x, Tensor paddingMask, KvCache.Layer cache) {
        Heads.requireSequence("SelfAttention", x, embedDim);
        double attnP = isTraining() ? attnDropout : 0;
        double p = isTraining() ? dropout : 0;
        if (rope == null && cache == null && attnP == 0) {
            // the whole sequence at once: one op from the packed projection to the merged heads
            Heads.requirePaddingMask("SelfAttention", paddingMask, x.size(0), x.size(1));
            Tensor y = Attention.packedSelfAttention(qkv.forward(x), numHeads,
                    masking == Masking.CAUSAL ? Attention.Mask.CAUSAL : Attention.Mask.NONE, paddingMask);
            Tensor out = proj.forward(y);                              // (B, T, E)
            return p > 0 ? Random.dropout(out, p, dropoutRng, true) : out;
        }
        List<Tensor> parts = Attention.splitPackedHeads(qkv.forward(x), numHeads);   // 3 × (B, H, T, D)
        Tensor q = parts.get(0);
        Tensor k = parts.get(1);
        Tensor v = parts.get(2);
        long start = cache == null ? 0 : cache.length();
        if (rope != null) {
            q = rope.apply(q, start);
            k = rope.apply(k, start);
        }
        if (cache != null) {
            Tensor[] kv = cache.append(k, v);
            k = kv[0];                                                // (B, H, start + T, D)
            v = kv[1];
        }
        Heads.requirePaddingMask("SelfAttention", paddingMask, x.size(0), k.size(2));
        Tensor y = Heads.attend(q, k, v, masking == Masking.CAUSAL ? Attention.Mask.CAUSAL : Attention.Mask.NONE,
                paddingMask, attnP, dropoutRng);                      // (B, H, T, D)
        Tensor out = proj.forward(Attention.mergeHeads(y));           // (B, T, E)
        return p > 0 ? Random.dropout(out, p, dropoutRng, true) : out;
    }

    /** The fused (3E, E) query/key/value projection. */
    public LoraLinear qkv() {
        return qkv;
    }

    /** The (E, E) output projection. */
    public LoraLinear proj() {
        return proj;
    }

    public int numHeads() {
        return numHeads;
    }

    @Override
    protected String extraRepr() {
        return "embedDim=" + embedDim + ", heads=" + numHeads + ", " + masking + (rope != null ? ", rotary" : "")
                + ", dropout=" + dropout + (attnDropout > 0 ? ", attnDropout=" + attnDropout : "");
    }
}
