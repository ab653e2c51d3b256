package org.latent4j.transformer;

import java.util.List;
import org.latent4j.core.nn.Module;
import org.latent4j.core.ops.Attention;
import org.latent4j.core.ops.Random;
import org.latent4j.core.ops.Shapes;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.transformer.lora.LoraLinear;

/**
 * Multi-head cross-attention: queries from a sequence x (B, Tq, E), keys and values from a context
 * (B, Tk, C) such as an encoder's output or a text embedding, {@code softmax(Q Kᵀ/√d + mask) V} per head. The
 * key/value projection is fused ({@code kv}, C → 2E); a (B, Tk) padding mask hides context pads.
 */
public final class CrossAttention extends Module {
    private final int embedDim;
    private final int contextDim;
    private final int numHeads;
    private final double dropout;
    private final Rng dropoutRng;
    private final LoraLinear q;
    private final LoraLinear kv;
    private final LoraLinear proj;

    public CrossAttention(int embedDim, int contextDim, int numHeads, double dropout, DType dtype, Rng rng) {
        Heads.requireSettings("CrossAttention", embedDim, numHeads, dropout);
        if (contextDim <= 0) {
            throw new IllegalArgumentException("CrossAttention: contextDim must be positive, got " + contextDim);
        }
        this.embedDim = embedDim;
        this.contextDim = contextDim;
        this.numHeads = numHeads;
        this.dropout = dropout;
        this.q = registerModule("q", new LoraLinear(embedDim, embedDim, dtype, rng));
        this.kv = registerModule("kv", new LoraLinear(contextDim, 2 * embedDim, dtype, rng));
        this.proj = registerModule("proj", new LoraLinear(embedDim, embedDim, dtype, rng));
        this.dropoutRng = rng.split();
    }

    /** x (B, Tq, E), context (B, Tk, C) → (B, Tq, E). */
    public Tensor forward(Tensor x, Tensor context) {
        return forward(x, context, null);
    }

    /** With a (B, Tk) context padding mask (1 = real token, 0 = pad), or null. */
    public Tensor forward(Tensor x, Tensor context, Tensor contextPaddingMask) {
        Heads.requireSequence("CrossAttention", x, embedDim);
        Heads.requireSequence("CrossAttention (context)", context, contextDim);
        if (context.size(0) != x.size(0)) {
            throw new IllegalArgumentException("CrossAttention: batch sizes differ: x has " + x.size(0)
                    + ", context " + context.size(0));
        }
        Heads.requirePaddingMask("CrossAttention", contextPaddingMask, x.size(0), context.size(1));
        List<Tensor> parts = Shapes.chunk(kv.forward(context), 2, 2);   // 2 × (B, Tk, E)
        Tensor qh = Attention.splitHeads(q.forward(x), numHeads);                  // (B, H, Tq, D)
        Tensor kh = Attention.splitHeads(parts.get(0), numHeads);                  // (B, H, Tk, D)
        Tensor vh = Attention.splitHeads(parts.get(1), numHeads);                  // (B, H, Tk, D)
        Tensor y = Heads.attend(qh, kh, vh, Attention.Mask.NONE, contextPaddingMask, 0, null);   // (B, H, Tq, D)
        double p = isTraining() ? dropout : 0;
        Tensor out = proj.forward(Attention.mergeHeads(y));                        // (B, Tq, E)
        return p > 0 ? Random.dropout(out, p, dropoutRng, true) : out;
    }

    @Override
    protected String extraRepr() {
        return "embedDim=" + embedDim + ", contextDim=" + contextDim + ", heads=" + numHeads + ", dropout=" + dropout;
    }
}
