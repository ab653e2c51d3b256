package org.latent4j.diffusion;

import org.latent4j.core.nn.Activation;
import org.latent4j.core.nn.Init;
import org.latent4j.core.nn.Linear;
import org.latent4j.core.nn.Module;
import org.latent4j.core.nn.ModuleList;
import org.latent4j.core.nn.ParamOptions;
import org.latent4j.core.nn.Sequential;
import org.latent4j.core.ops.Activations;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * A denoiser for low-dimensional data (2-D toy distributions): the input is projected to the hidden width,
 * the step's sinusoidal embedding goes through a two-layer MLP (and an optional class embedding is added to
 * it), and residual blocks {@code h ← h + fc2(SiLU(fc1(SiLU(h)) + emb))} mix the two, as a U-Net's residual
 * blocks do with images. The output has the data's dimension.
 */
public final class MlpDenoiser extends Module implements Denoiser {
    /** One residual block; the step embedding enters between its two layers. */
    public static final class Block extends Module {
        private final Linear fc1;
        private final Linear fc2;

        Block(int width, ParamOptions options, Rng rng) {
            fc1 = registerModule("fc1", new Linear(width, width, options, rng));
            fc2 = registerModule("fc2", new Linear(width, width, options, rng));
        }

        /** (B, H), (B, H) → (B, H). */
        public Tensor forward(Tensor h, Tensor emb) {
            Tensor u = fc1.forward(Activations.silu(h)).add(emb);
            return h.add(fc2.forward(Activations.silu(u)));
        }
    }

    private final MlpDenoiserConfig config;
    private final DType dtype;
    private final Sequential timeEmbed;
    private final Tensor labelEmbed;
    private final Linear inputProj;
    private final ModuleList<Block> blocks;
    private final Linear outputProj;

    public MlpDenoiser(MlpDenoiserConfig config, Rng rng) {
        this(config, DType.FLOAT32, rng);
    }

    public MlpDenoiser(MlpDenoiserConfig config, DType dtype, Rng rng) {
        this.config = config;
        this.dtype = dtype;
        ParamOptions o = ParamOptions.defaults().withDType(dtype);
        int h = config.hiddenDim();
        timeEmbed = registerModule("timeEmbed", new Sequential(new Linear(config.timeEmbedDim(), h, o, rng),
                Activation.silu(), new Linear(h, h, o, rng)));
        // one extra row, the last, for the "no class" of classifier-free guidance
        labelEmbed = config.numClasses() == 0 ? null
                : registerParameter("labelEmbed", Init.normal(allocate(dtype, config.numClasses() + 1, h), 0, 1, rng));
        inputProj = registerModule("inputProj", new Linear(config.dataDim(), h, o, rng));
        blocks = registerModule("blocks", new ModuleList<>());
        for (int i = 0; i < config.numBlocks(); i++) {
            blocks.add(new Block(h, o, rng));
        }
        outputProj = registerModule("outputProj", new Linear(h, config.dataDim(), o, rng));
    }

    public MlpDenoiserConfig config() {
        return config;
    }

    /** (B, dataDim), int64 (B), condition → (B, dataDim). */
    @Override
    public Tensor forward(Tensor xt, Tensor t, Condition condition) {
        if (xt.rank() != 2 || xt.size(1) != config.dataDim()) {
            throw new IllegalArgumentException("MlpDenoiser: input " + Shape.format(xt.shape()) + " must be (B, "
                    + config.dataDim() + ")");
        }
        Tensor emb = timeEmbed.forward(TimeEmbedding.sinusoidal(t, config.timeEmbedDim(), dtype)); // (B, H)
        emb = ClassEmbedding.add(emb, labelEmbed, condition, "MlpDenoiser");
        Tensor h = inputProj.forward(xt);                                                        // (B, H)
        for (Block block : blocks) {
            h = block.forward(h, emb);
        }
        return outputProj.forward(Activations.silu(h));                                          // (B, dataDim)
    }

    @Override
    protected String extraRepr() {
        return config.toString();
    }
}
