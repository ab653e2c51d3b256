package org.latent4j.diffusion;

import org.latent4j.core.nn.Init;
import org.latent4j.core.nn.LayerNorm;
import org.latent4j.core.nn.Linear;
import org.latent4j.core.nn.Module;
import org.latent4j.core.nn.ModuleList;
import org.latent4j.core.nn.NormOptions;
import org.latent4j.core.nn.ParamOptions;
import org.latent4j.core.ops.Activations;
import org.latent4j.core.ops.Attention;
import org.latent4j.core.ops.Indexing;
import org.latent4j.core.ops.Shapes;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * A small learned caption encoder, trained together with the denoiser: token and position embeddings, then
 * pre-LayerNorm transformer layers (bidirectional multi-head self-attention and a GELU MLP, each residual), then
 * a final LayerNorm. Int64 tokens (B, L) → context (B, L, dim) for the U-Net's cross-attention. Padding is
 * embedded like any token, so the all-padding caption is a learned "no caption" for classifier-free guidance.
 */
public final class TextEncoder extends Module {
    /** One transformer layer. */
    public static final class Layer extends Module {
        private final int numHeads;
        private final LayerNorm norm1;
        private final Linear qkv;
        private final Linear proj;
        private final LayerNorm norm2;
        private final Linear fc1;
        private final Linear fc2;

        Layer(int dim, int numHeads, DType dtype, Rng rng) {
            ParamOptions o = ParamOptions.defaults().withDType(dtype);
            NormOptions n = NormOptions.defaults().withDType(dtype);
            this.numHeads = numHeads;
            norm1 = registerModule("norm1", new LayerNorm(new long[] {dim}, n));
            qkv = registerModule("qkv", new Linear(dim, 3 * dim, o, rng));
            proj = registerModule("proj", new Linear(dim, dim, o, rng));
            norm2 = registerModule("norm2", new LayerNorm(new long[] {dim}, n));
            fc1 = registerModule("fc1", new Linear(dim, 4 * dim, o, rng));
            fc2 = registerModule("fc2", new Linear(4 * dim, dim, o, rng));
        }

        /** (B, L, D) → (B, L, D). */
        Tensor forward(Tensor x) {
            long b = x.size(0);
            long len = x.size(1);
            long dim = x.size(2);
            long d = dim / numHeads;
            Tensor all = qkv.forward(norm1.forward(x));                                         // (B, L, 3D)
            Tensor[] qkvHeads = new Tensor[3];
            for (int i = 0; i < 3; i++) {
                Tensor part = Shapes.slice(all, 2, i * dim, (i + 1) * dim).reshape(b, len, numHeads, d);
                qkvHeads[i] = Shapes.permute(part, 0, 2, 1, 3);                                 // (B, heads, L, d)
            }
            Tensor a = Attention.scaledDotProduct(qkvHeads[0], qkvHeads[1], qkvHeads[2]);      // (B, heads, L, d)
            Tensor h = x.add(proj.forward(Shapes.permute(a, 0, 2, 1, 3).reshape(b, len, dim))); // (B, L, D)
            return h.add(fc2.forward(Activations.gelu(fc1.forward(norm2.forward(h)))));
        }
    }

    private final int vocabSize;
    private final int maxLength;
    private final int dim;
    private final Tensor tokenEmbed;
    private final Tensor positionEmbed;
    private final ModuleList<Layer> layers;
    private final LayerNorm normOut;

    public TextEncoder(int vocabSize, int maxLength, int dim, int numLayers, int numHeads, DType dtype, Rng rng) {
        if (vocabSize < 1 || maxLength < 1 || dim < 1 || numLayers < 0 || numHeads < 1 || dim % numHeads != 0) {
            throw new IllegalArgumentException("TextEncoder: need positive vocabSize, maxLength, dim, numHeads "
                    + "dividing dim, and numLayers >= 0; got " + vocabSize + ", " + maxLength + ", " + dim + ", "
                    + numHeads + ", " + numLayers);
        }
        this.vocabSize = vocabSize;
        this.maxLength = maxLength;
        this.dim = dim;
        tokenEmbed = registerParameter("tokenEmbed", Init.normal(allocate(dtype, vocabSize, dim), 0, 0.02, rng));
        positionEmbed = registerParameter("positionEmbed", Init.normal(allocate(dtype, maxLength, dim), 0, 0.02, rng));
        layers = registerModule("layers", new ModuleList<>());
        for (int i = 0; i < numLayers; i++) {
            layers.add(new Layer(dim, numHeads, dtype, rng));
        }
        normOut = registerModule("normOut", new LayerNorm(new long[] {dim}, NormOptions.defaults().withDType(dtype)));
    }

    /** int64 tokens (B, L ≤ maxLength) → (B, L, dim). */
    public Tensor forward(Tensor tokens) {
        if (tokens.rank() != 2 || tokens.size(1) > maxLength) {
            throw new IllegalArgumentException("TextEncoder: tokens " + Shape.format(tokens.shape())
                    + " must be (B, L) with L <= " + maxLength);
        }
        long len = tokens.size(1);
        long[] ids = tokens.toLongArray();
        for (long id : ids) {
            if (id < 0 || id >= vocabSize) {
                throw new IllegalArgumentException("TextEncoder: token " + id + " is outside [0, " + vocabSize + ")");
            }
        }
        Tensor h = Indexing.embedding(tokenEmbed, tokens)                                        // (B, L, D)
                .add(Shapes.slice(positionEmbed, 0, 0, len));                                    // (L, D)
        for (Layer layer : layers) {
            h = layer.forward(h);
        }
        return normOut.forward(h);
    }

    public int dim() {
        return dim;
    }

    @Override
    protected String extraRepr() {
        return "vocab=" + vocabSize + ", maxLength=" + maxLength + ", dim=" + dim + ", layers=" + layers.size();
    }
}
