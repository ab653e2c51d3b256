package org.latent4j.transformer;

import java.util.List;
import org.latent4j.core.nn.Embedding;
import org.latent4j.core.nn.Init;
import org.latent4j.core.nn.LayerNorm;
import org.latent4j.core.nn.Module;
import org.latent4j.core.nn.NormOptions;
import org.latent4j.core.nn.ModuleList;
import org.latent4j.core.ops.Losses;
import org.latent4j.core.ops.Random;
import org.latent4j.core.ops.Shapes;
import org.latent4j.core.optim.AdamW;
import org.latent4j.core.optim.ParamGroup;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.transformer.lora.LoraLinear;

/**
 * A decoder-only transformer language model (GPT-2, Radford et al., 2019) that predicts
 * {@code P(x_n | x_1 .. x_{n-1})}: token embedding ({@code wte}) plus position embedding ({@code wpe}, when
 * positions are {@link PositionEncoding#LEARNED}), {@code numLayers} pre-LN {@link Block}s, a final layer norm
 * {@code ln_f}, and logits from the token embedding's own matrix ({@code logits = h·wteᵀ}, weight tying,
 * Press &amp; Wolf, 2017). Weights start as GPT-2's: normal(0, 0.02), and normal(0, 0.02/√(2·numLayers)) for
 * the projections that write into the residual stream ({@code attn.proj}, {@code mlp.proj}), biases zero.
 *
 * <p>Parameter names: {@code wte.weight}, {@code wpe.weight}, {@code blocks.N.ln1.weight},
 * {@code blocks.N.attn.qkv.weight} (3E, E), {@code blocks.N.attn.proj.weight}, {@code blocks.N.ln2.weight},
 * {@code blocks.N.mlp.fc.weight}, {@code blocks.N.mlp.proj.weight}, {@code ln_f.weight} and their biases;
 * {@link Gpt2Checkpoint} maps Hugging Face's GPT-2 names onto these.
 */
public final class Gpt extends Module {
    private final GptConfig config;
    private final Embedding wte;
    private final Embedding wpe;
    private final ModuleList<Block> blocks;
    private final LayerNorm lnF;
    private final Rng dropoutRng;

    public Gpt(GptConfig config, Rng rng) {
        this.config = config;
        this.wte = registerModule("wte", new Embedding(config.vocabSize(), config.embedDim(), config.dtype(), rng));
        this.wpe = config.positions() == PositionEncoding.LEARNED
                ? registerModule("wpe", new Embedding(config.blockSize(), config.embedDim(), config.dtype(), rng)) : null;
        this.blocks = registerModule("blocks", new ModuleList<>());
        for (int i = 0; i < config.numLayers(); i++) {
            blocks.add(new Block(config, rng));
        }
        this.lnF = registerModule("ln_f", new LayerNorm(new long[] {config.embedDim()}, NormOptions.defaults().withDType(config.dtype())));
        this.dropoutRng = rng.split();
        double residualStd = 0.02 / Math.sqrt(2.0 * config.numLayers());
        Init.normal(wte.weight(), 0, 0.02, rng);
        if (wpe != null) {
            Init.normal(wpe.weight(), 0, 0.02, rng);
        }
        for (Block b : blocks) {
            initLinear(b.attn().qkv(), 0.02, rng);
            initLinear(b.attn().proj(), residualStd, rng);
            initLinear(b.mlp().fc(), 0.02, rng);
            initLinear(b.mlp().proj(), residualStd, rng);
        }
    }

    private static void initLinear(LoraLinear layer, double std, Rng rng) {
        Init.normal(layer.weight(), 0, std, rng);
        Init.zeros(layer.bias());
    }

    /** Token ids (B, T) int64 → logits (B, T, vocabSize). */
    public Tensor forward(Tensor ids) {
        return forward(ids, null, null);
    }

    /** With a (B, T) padding mask: 1 for real tokens, 0 for pads. */
    public Tensor forward(Tensor ids, Tensor paddingMask) {
        return forward(ids, paddingMask, null);
    }

    /** Continues from {@code cache}: the ids stand at positions {@code cache.length() ..}; the cache grows. */
    public Tensor forward(Tensor ids, KvCache cache) {
        return forward(ids, null, cache);
    }

    private Tensor forward(Tensor ids, Tensor paddingMask, KvCache cache) {
        if (ids.rank() != 2 || ids.dtype() != DType.INT64) {
            throw new IllegalArgumentException("Gpt: token ids must be an int64 (B, T) tensor, got " + ids.dtype()
                    + " " + Shape.format(ids.shape()));
        }
        if (cache != null && cache.numLayers() != blocks.size()) {
            throw new IllegalArgumentException("Gpt: the cache has " + cache.numLayers() + " layers, the model "
                    + blocks.size());
        }
        int t = (int) ids.size(1);
        long start = cache == null ? 0 : cache.length();
        if (start + t > config.blockSize()) {
            throw new IllegalArgumentException("Gpt: positions " + start + ".." + (start + t - 1)
                    + " exceed the block size " + config.blockSize());
        }
        Tensor x = wte.forward(ids);                                            // (B, T, E)
        if (wpe != null) {
            x = x.add(wpe.forward(positions(start, t)));                        // + (T, E)
        } else if (config.positions() == PositionEncoding.SINUSOIDAL) {
            x = x.add(SinusoidalPositions.table(start, t, config.embedDim(), x.dtype()));
        }
        if (isTraining() && config.dropout() > 0) {
            x = Random.dropout(x, config.dropout(), dropoutRng, true);
        }
        for (int i = 0; i < blocks.size(); i++) {
            x = blocks.get(i).forward(x, paddingMask, cache == null ? null : cache.layer(i));
        }
        x = lnF.forward(x);
        return x.matmul(Shapes.transpose(wte.weight(), 0, 1));                 // (B, T, E) @ (E, V) → (B, T, V)
    }

    private static Tensor positions(long start, int t) {
        long[] p = new long[t];
        for (int i = 0; i < t; i++) {
            p[i] = start + i;
        }
        return Tensor.ofLongs(p, t);
    }

    /**
     * Mean next-token cross-entropy: {@code ids} (B, T) predict {@code targets} (B, T), usually the same text
     * shifted by one.
     */
    public Tensor loss(Tensor ids, Tensor targets) {
        Tensor logits = forward(ids);                                           // (B, T, V)
        return Losses.crossEntropy(logits.reshape(-1, config.vocabSize()), targets.reshape(-1));
    }

    /** An empty cache for this model's layers. */
    public KvCache newCache() {
        return new KvCache(blocks.size());
    }

    /** A step-by-step view for {@link org.latent4j.transformer.sampling.Sampler}, with or without a KV cache. */
    public GptDecoder decoder(GptDecoder.Caching caching) {
        return new GptDecoder(this, caching);
    }

    /**
     * AdamW with weight decay on the matrices only (parameters of rank ≥ 2: embeddings, projections) and none on
     * biases and layer-norm gains, as GPT-2 and nanoGPT train.
     */
    public AdamW adamW(AdamW.Options options) {
        List<Tensor> params = parameters();
        return new AdamW(options, ParamGroup.of(params, p -> p.rank() >= 2),
                ParamGroup.of(params, p -> p.rank() < 2).withWeightDecay(0));
    }

    public GptConfig config() {
        return config;
    }

    public List<Block> blocks() {
        List<Block> out = new java.util.ArrayList<>();
        blocks.forEach(out::add);
        return out;
    }

    public Embedding wte() {
        return wte;
    }
}
