package org.latent4j.diffusion;

import java.util.ArrayDeque;
import java.util.Deque;
import org.latent4j.core.nn.Activation;
import org.latent4j.core.nn.Conv2d;
import org.latent4j.core.nn.GroupNorm;
import org.latent4j.core.nn.Init;
import org.latent4j.core.nn.Linear;
import org.latent4j.core.nn.Module;
import org.latent4j.core.nn.ModuleList;
import org.latent4j.core.nn.NormOptions;
import org.latent4j.core.nn.ParamOptions;
import org.latent4j.core.nn.Sequential;
import org.latent4j.core.ops.Activations;
import org.latent4j.core.ops.Convolution;
import org.latent4j.core.ops.Pooling;
import org.latent4j.core.ops.Shapes;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * The denoising U-Net of Ho et al. (2020) with the additions of later work: the step's sinusoidal embedding
 * through an MLP (plus an optional class embedding, Dhariwal &amp; Nichol 2021) conditions every
 * {@link ResBlock}; the encoder halves the resolution after each level but the last (strided 3×3
 * convolution), the decoder doubles it back (nearest-neighbour upsampling and a 3×3 convolution) and
 * concatenates the encoder's activations at the same resolution (the skips); {@link SpatialAttention} adds
 * self-attention and cross-attention to a context sequence (Rombach et al. 2022) at the chosen resolutions and
 * in the middle. The output has the input's shape.
 */
public final class UNet extends Module implements Denoiser {
    /** A residual block followed by optional self- and cross-attention. */
    public static final class Block extends Module {
        private final ResBlock res;
        private final SpatialAttention attn;
        private final SpatialAttention crossAttn;

        Block(ResBlock res, SpatialAttention attn, SpatialAttention crossAttn) {
            this.res = registerModule("res", res);
            this.attn = attn == null ? null : registerModule("attn", attn);
            this.crossAttn = crossAttn == null ? null : registerModule("crossAttn", crossAttn);
        }

        /** {@code siluEmb} is SiLU of the step embedding, computed once per U-Net forward. */
        Tensor forward(Tensor x, Tensor siluEmb, Tensor context) {
            Tensor h = res.forwardActivated(x, siluEmb);
            if (attn != null) {
                h = attn.forward(h);
            }
            if (crossAttn != null) {
                h = crossAttn.forward(h, context);
            }
            return h;
        }
    }

    /** The blocks of one resolution and the convolution that changes it afterwards (null on the last level). */
    public static final class Level extends Module {
        private final ModuleList<Block> blocks;
        private final Conv2d resample;

        Level(ModuleList<Block> blocks, Conv2d resample) {
            this.blocks = registerModule("blocks", blocks);
            this.resample = resample == null ? null : registerModule("resample", resample);
        }
    }

    private final UNetConfig config;
    private final DType dtype;
    private final Sequential timeEmbed;
    private final Tensor labelEmbed;
    private final Conv2d convIn;
    private final ModuleList<Level> down;
    private final Block mid1;
    private final SpatialAttention midAttn;
    private final SpatialAttention midCrossAttn;
    private final ResBlock mid2;
    private final ModuleList<Level> up;
    private final GroupNorm normOut;
    private final Conv2d convOut;

    public UNet(UNetConfig config, Rng rng) {
        this(config, DType.FLOAT32, rng);
    }

    public UNet(UNetConfig config, DType dtype, Rng rng) {
        this.config = config;
        this.dtype = dtype;
        ParamOptions o = ParamOptions.defaults().withDType(dtype);
        NormOptions n = NormOptions.defaults().withDType(dtype);
        Convolution.Conv2dOptions same = Convolution.Conv2dOptions.of(1, 1);
        int base = config.baseChannels();
        int emb = config.timeEmbedDim();
        int g = config.numGroups();
        int heads = config.numHeads();
        int[] mults = config.channelMults();

        timeEmbed = registerModule("timeEmbed", new Sequential(new Linear(base, emb, o, rng), Activation.silu(),
                new Linear(emb, emb, o, rng)));
        labelEmbed = config.numClasses() == 0 ? null
                : registerParameter("labelEmbed", Init.normal(allocate(dtype, config.numClasses() + 1, emb), 0, 1, rng));
        convIn = registerModule("convIn", new Conv2d(config.inChannels(), base, 3, same, o, rng));

        // encoder: remember the width of every activation pushed as a skip
        Deque<Integer> skips = new ArrayDeque<>();
        skips.push(base);
        int ch = base;
        int res = config.imageSize();
        down = registerModule("down", new ModuleList<>());
        for (int level = 0; level < mults.length; level++) {
            ModuleList<Block> blocks = new ModuleList<>();
            int out = base * mults[level];
            for (int i = 0; i < config.numResBlocks(); i++) {
                blocks.add(block(ch, out, res, o, rng));
                ch = out;
                skips.push(ch);
            }
            Conv2d resample = null;
            if (level < mults.length - 1) {
                resample = new Conv2d(ch, ch, 3, Convolution.Conv2dOptions.of(2, 1), o, rng);
                skips.push(ch);
                res /= 2;
            }
            down.add(new Level(blocks, resample));
        }

        boolean anyAttn = config.attentionResolutions().length > 0;
        boolean anyCross = config.crossAttentionResolutions().length > 0;
        mid1 = registerModule("mid1", new Block(new ResBlock(ch, ch, emb, g, dtype, rng), null, null));
        midAttn = anyAttn ? registerModule("midAttn", SpatialAttention.self(ch, heads, g, dtype, rng)) : null;
        midCrossAttn = anyCross
                ? registerModule("midCrossAttn", SpatialAttention.cross(ch, config.contextDim(), heads, g, dtype, rng))
                : null;
        mid2 = registerModule("mid2", new ResBlock(ch, ch, emb, g, dtype, rng));

        up = registerModule("up", new ModuleList<>());
        for (int level = mults.length - 1; level >= 0; level--) {
            ModuleList<Block> blocks = new ModuleList<>();
            int out = base * mults[level];
            for (int i = 0; i <= config.numResBlocks(); i++) {
                blocks.add(block(ch + skips.pop(), out, res, o, rng));
                ch = out;
            }
            Conv2d resample = null;
            if (level > 0) {
                resample = new Conv2d(ch, ch, 3, same, o, rng);
                res *= 2;
            }
            up.add(new Level(blocks, resample));
        }
        normOut = registerModule("normOut", new GroupNorm(g, ch, n));
        convOut = registerModule("convOut", new Conv2d(ch, config.inChannels(), 3, same, o, rng));
    }

    private Block block(int in, int out, int res, ParamOptions o, Rng rng) {
        int g = config.numGroups();
        int heads = config.numHeads();
        return new Block(new ResBlock(in, out, config.timeEmbedDim(), g, dtype, rng),
                config.hasAttentionAt(res) ? SpatialAttention.self(out, heads, g, dtype, rng) : null,
                config.hasCrossAttentionAt(res)
                        ? SpatialAttention.cross(out, config.contextDim(), heads, g, dtype, rng) : null);
    }

    public UNetConfig config() {
        return config;
    }

    /** Denoiser view: class labels from the condition, no context (captions need {@link TextConditionedUNet}). */
    @Override
    public Tensor forward(Tensor xt, Tensor t, Condition condition) {
        if (condition.tokens() != null) {
            throw new IllegalArgumentException("UNet: captions must be encoded first; use TextConditionedUNet");
        }
        return forward(xt, t, condition.labels(), null);
    }

    /**
     * @param x       (B, C, S, S) noisy images
     * @param t       int64 steps (B)
     * @param labels  int64 (B) or null (needed when the config has classes; {@link Condition#NULL_LABEL} for none)
     * @param context (B, L, contextDim) or null (needed when the config has cross-attention)
     * @return (B, C, S, S)
     */
    public Tensor forward(Tensor x, Tensor t, Tensor labels, Tensor context) {
        int s = config.imageSize();
        if (x.rank() != 4 || x.size(1) != config.inChannels() || x.size(2) != s || x.size(3) != s) {
            throw new IllegalArgumentException("UNet: input " + Shape.format(x.shape()) + " must be (B, "
                    + config.inChannels() + ", " + s + ", " + s + ")");
        }
        if ((midCrossAttn != null) != (context != null)) {
            throw new IllegalArgumentException(midCrossAttn != null ? "UNet: this model cross-attends; pass a context"
                    : "UNet: context given to a model without cross-attention");
        }
        Tensor emb = timeEmbed.forward(TimeEmbedding.sinusoidal(t, config.baseChannels(), dtype));  // (B, 4·base)
        emb = ClassEmbedding.add(emb, labelEmbed, new Condition(labels, null), "UNet");
        Tensor siluEmb = Activations.silu(emb);   // every residual block projects SiLU(emb): computed once here

        Deque<Tensor> skips = new ArrayDeque<>();
        Tensor h = convIn.forward(x);                                                            // (B, base, S, S)
        skips.push(h);
        for (Level level : down) {
            for (Block b : level.blocks) {
                h = b.forward(h, siluEmb, context);
                skips.push(h);
            }
            if (level.resample != null) {
                h = level.resample.forward(h);                                                  // (B, C, S/2, S/2)
                skips.push(h);
            }
        }
        h = mid1.forward(h, siluEmb, context);
        if (midAttn != null) {
            h = midAttn.forward(h);
        }
        if (midCrossAttn != null) {
            h = midCrossAttn.forward(h, context);
        }
        h = mid2.forwardActivated(h, siluEmb);
        for (Level level : up) {
            for (Block b : level.blocks) {
                h = b.forward(Shapes.concat(1, h, skips.pop()), siluEmb, context);              // (B, C + C_skip, ., .)
            }
            if (level.resample != null) {
                h = level.resample.forward(Pooling.upsampleNearest2d(h, 2));                    // (B, C, 2S', 2S')
            }
        }
        return convOut.forward(normOut.forwardSilu(h, null));
    }

    @Override
    protected String extraRepr() {
        return config.toString();
    }
}
