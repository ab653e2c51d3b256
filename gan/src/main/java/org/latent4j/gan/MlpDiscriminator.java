package org.latent4j.gan;

import org.latent4j.core.nn.Activation;
import org.latent4j.core.nn.Mlp;
import org.latent4j.core.nn.ParamOptions;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * An MLP discriminator: x (N, dataDim) → Linear → LeakyReLU → … → Linear → (N) logits, with
 * {@code discriminatorLayers} hidden layers of {@code hiddenDim}; PyTorch names {@code net.0.weight, …}.
 * Every piece is twice differentiable, so gradient penalties ({@link GradientPenalty}) train through it.
 */
public final class MlpDiscriminator extends Discriminator {
    private final MlpGanConfig config;
    private final Mlp net;

    public MlpDiscriminator(MlpGanConfig config, Rng rng) {
        this(config, DType.FLOAT32, rng);
    }

    public MlpDiscriminator(MlpGanConfig config, DType dtype, Rng rng) {
        this.config = config;
        int[] widths = new int[config.discriminatorLayers() + 2];
        widths[0] = config.dataDim();
        for (int i = 1; i <= config.discriminatorLayers(); i++) {
            widths[i] = config.hiddenDim();
        }
        widths[widths.length - 1] = 1;
        double slope = config.leakySlope();
        net = registerModule("net", new Mlp(widths, () -> Activation.leakyRelu(slope),
                ParamOptions.defaults().withDType(dtype), rng));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 2 || x.size(1) != config.dataDim()) {
            throw new IllegalArgumentException("MlpDiscriminator: input must be (N, " + config.dataDim() + "), got "
                    + Shape.format(x.shape()));
        }
        return net.forward(x).reshape(x.size(0));                        // (N, 1) → (N)
    }

    public MlpGanConfig config() {
        return config;
    }
}
