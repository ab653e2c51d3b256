package org.latent4j.gan;

import org.latent4j.core.nn.Activation;
import org.latent4j.core.nn.Mlp;
import org.latent4j.core.nn.ParamOptions;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * An MLP generator: z (N, latentDim) → Linear → ReLU → … → Linear → (N, dataDim), with
 * {@code generatorLayers} hidden layers of {@code hiddenDim}. Laid out as PyTorch's
 * {@code self.net = nn.Sequential(Linear, ReLU, …, Linear)}: parameters {@code net.0.weight, net.0.bias, net.2.weight, …}.
 * The output is linear (unbounded), as points of a 2-D mixture need.
 */
public final class MlpGenerator extends Generator {
    private final MlpGanConfig config;
    private final Mlp net;

    public MlpGenerator(MlpGanConfig config, Rng rng) {
        this(config, DType.FLOAT32, rng);
    }

    public MlpGenerator(MlpGanConfig config, DType dtype, Rng rng) {
        super(config.latentDim(), dtype);
        this.config = config;
        int[] widths = new int[config.generatorLayers() + 2];
        widths[0] = config.latentDim();
        for (int i = 1; i <= config.generatorLayers(); i++) {
            widths[i] = config.hiddenDim();
        }
        widths[widths.length - 1] = config.dataDim();
        net = registerModule("net", new Mlp(widths, Activation::relu, ParamOptions.defaults().withDType(dtype), rng));
    }

    @Override
    public Tensor forward(Tensor z) {
        checkLatent(z);
        return net.forward(z);                                           // (N, latent) → (N, dataDim)
    }

    public MlpGanConfig config() {
        return config;
    }
}
