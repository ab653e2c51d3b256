package org.latent4j.transformer;

import org.latent4j.core.nn.LayerNorm;
import org.latent4j.core.nn.Module;
import org.latent4j.core.nn.NormOptions;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * A pre-LN transformer decoder block (GPT-2; Xiong et al., 2020): {@code x ← x + attn(ln1(x))},
 * {@code x ← x + mlp(ln2(x))}. Normalizing before each sublayer keeps the residual path an identity, which
 * lets deep stacks train without a warmup-sensitive post-LN.
 */
public final class Block extends Module {
    private final LayerNorm ln1;
    private final SelfAttention attn;
    private final LayerNorm ln2;
    private final FeedForward mlp;

    public Block(GptConfig c, Rng rng) {
        this.ln1 = registerModule("ln1", new LayerNorm(new long[] {c.embedDim()}, NormOptions.defaults().withDType(c.dtype())));
        this.attn = registerModule("attn", new SelfAttention(c.embedDim(), c.numHeads(), SelfAttention.Masking.CAUSAL,
                c.positions(), c.dropout(), c.attnDropout(), c.dtype(), rng));
        this.ln2 = registerModule("ln2", new LayerNorm(new long[] {c.embedDim()}, NormOptions.defaults().withDType(c.dtype())));
        this.mlp = registerModule("mlp", new FeedForward(c.embedDim(), c.mlpDim(), c.dropout(), c.dtype(), rng));
    }

    /** (B, T, E) → (B, T, E). */
    public Tensor forward(Tensor x) {
        return forward(x, null, null);
    }

    /** With an optional (B, cached + T) padding mask and an optional cache (either may be null). */
    public Tensor forward(Tensor x, Tensor paddingMask, KvCache.Layer cache) {
        x = x.add(attn.forward(ln1.forward(x), paddingMask, cache));
        return x.add(mlp.forward(ln2.forward(x)));
    }

    public SelfAttention attn() {
        return attn;
    }

    public FeedForward mlp() {
        return mlp;
    }
}
