package org.latent4j.diffusion;

import org.latent4j.core.nn.GroupNorm;
import org.latent4j.core.nn.Linear;
import org.latent4j.core.nn.Module;
import org.latent4j.core.nn.NormOptions;
import org.latent4j.core.nn.ParamOptions;
import org.latent4j.core.ops.Attention;
import org.latent4j.core.ops.Shapes;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * Multi-head attention over the pixels of a feature map, with a residual connection: the H·W positions of
 * {@code norm(x)} are the queries; the keys and values are the same positions (self-attention) or the rows
 * of a context sequence (B, L, contextDim) such as an encoded caption (cross-attention, as in latent
 * diffusion, Rombach et al. 2022). {@code out = x + proj(softmax(q kᵀ/√d) v)}.
 */
public final class SpatialAttention extends Module {
    private final int channels;
    private final int numHeads;
    private final boolean cross;
    private final GroupNorm norm;
    private final Linear qkv;
    private final Linear q;
    private final Linear kv;
    private final Linear proj;

    /** Self-attention over the positions of a (B, channels, H, W) map. */
    public static SpatialAttention self(int channels, int numHeads, int numGroups, DType dtype, Rng rng) {
        return new SpatialAttention(channels, 0, numHeads, numGroups, dtype, rng);
    }

    /** Cross-attention from the positions of a (B, channels, H, W) map to a (B, L, contextDim) context. */
    public static SpatialAttention cross(int channels, int contextDim, int numHeads, int numGroups, DType dtype,
            Rng rng) {
        if (contextDim < 1) {
            throw new IllegalArgumentException("SpatialAttention: contextDim must be positive, got " + contextDim);
        }
        return new SpatialAttention(channels, contextDim, numHeads, numGroups, dtype, rng);
    }

    private SpatialAttention(int channels, int contextDim, int numHeads, int numGroups, DType dtype, Rng rng) {
        if (channels % numHeads != 0) {
            throw new IllegalArgumentException("SpatialAttention: " + channels + " channels do not split into "
                    + numHeads + " heads");
        }
        ParamOptions o = ParamOptions.defaults().withDType(dtype);
        this.channels = channels;
        this.numHeads = numHeads;
        this.cross = contextDim > 0;
        norm = registerModule("norm", new GroupNorm(numGroups, channels, NormOptions.defaults().withDType(dtype)));
        if (cross) {
            qkv = null;
            q = registerModule("q", new Linear(channels, channels, o, rng));
            kv = registerModule("kv", new Linear(contextDim, 2 * channels, o, rng));
        } else {
            qkv = registerModule("qkv", new Linear(channels, 3 * channels, o, rng));
            q = null;
            kv = null;
        }
        proj = registerModule("proj", new Linear(channels, channels, o, rng));
    }

    /** Self-attention: (B, C, H, W) → (B, C, H, W). */
    public Tensor forward(Tensor x) {
        if (cross) {
            throw new IllegalStateException("SpatialAttention: a cross-attention layer needs a context");
        }
        return forward(x, null);
    }

    /** Cross-attention to {@code context} (B, L, contextDim); for self-attention {@code context} is ignored. */
    public Tensor forward(Tensor x, Tensor context) {
        if (x.rank() != 4 || x.size(1) != channels) {
            throw new IllegalArgumentException("SpatialAttention: input " + Shape.format(x.shape()) + " must be (B, "
                    + channels + ", H, W)");
        }
        long b = x.size(0);
        long h = x.size(2);
        long w = x.size(3);
        long d = channels / numHeads;
        Tensor tokens = Shapes.transpose(norm.forward(x).reshape(b, channels, h * w), 1, 2);   // (B, HW, C)
        Tensor qh;
        Tensor kh;
        Tensor vh;
        if (cross) {
            if (context == null || context.rank() != 3 || context.size(0) != b) {
                throw new IllegalArgumentException("SpatialAttention: context must be (" + b + ", L, D), got "
                        + (context == null ? "null" : Shape.format(context.shape())));
            }
            long len = context.size(1);
            qh = heads(q.forward(tokens), b, h * w, d);                                        // (B, heads, HW, d)
            Tensor both = kv.forward(context);                                                  // (B, L, 2C)
            kh = heads(Shapes.slice(both, 2, 0, channels), b, len, d);                          // (B, heads, L, d)
            vh = heads(Shapes.slice(both, 2, channels, 2L * channels), b, len, d);
        } else {
            Tensor all = qkv.forward(tokens);                                                   // (B, HW, 3C)
            qh = heads(Shapes.slice(all, 2, 0, channels), b, h * w, d);                         // (B, heads, HW, d)
            kh = heads(Shapes.slice(all, 2, channels, 2L * channels), b, h * w, d);
            vh = heads(Shapes.slice(all, 2, 2L * channels, 3L * channels), b, h * w, d);
        }
        Tensor a = Attention.scaledDotProduct(qh, kh, vh);                                      // (B, heads, HW, d)
        Tensor merged = Shapes.permute(a, 0, 2, 1, 3).reshape(b, h * w, channels);              // (B, HW, C)
        Tensor out = Shapes.transpose(proj.forward(merged), 1, 2).reshape(b, channels, h, w);   // (B, C, H, W)
        return x.add(out);
    }

    /** (B, T, C) → (B, heads, T, d). */
    private Tensor heads(Tensor t, long b, long len, long d) {
        return Shapes.permute(t.reshape(b, len, numHeads, d), 0, 2, 1, 3);
    }

    @Override
    protected String extraRepr() {
        return (cross ? "cross, " : "self, ") + "channels=" + channels + ", heads=" + numHeads;
    }
}
