package org.latent4j.gan;

import org.latent4j.core.nn.Activation;
import org.latent4j.core.nn.Conv2d;
import org.latent4j.core.nn.ParamOptions;
import org.latent4j.core.nn.Sequential;
import org.latent4j.core.ops.Convolution.Conv2dOptions;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * The DCGAN discriminator, PyTorch names {@code main.0.weight, …}: u × [Conv2d(kernel 4, stride 2, padding 1)
 * doubling the channels from {@code discriminatorWidth} → LeakyReLU(0.2)], then Conv2d(kernel base) to one
 * logit per image. Unlike the paper it has no batch norm, so each logit depends on its own image only — which a
 * per-sample gradient penalty (WGAN-GP, R1) assumes — and every layer is twice differentiable.
 */
public final class DcganDiscriminator extends Discriminator {
    private final DcganConfig config;
    private final Sequential main;

    public DcganDiscriminator(DcganConfig config, Rng rng) {
        this(config, DType.FLOAT32, rng);
    }

    public DcganDiscriminator(DcganConfig config, DType dtype, Rng rng) {
        this.config = config;
        ParamOptions conv = ParamOptions.defaults().withDType(dtype);
        main = new Sequential();
        int in = config.channels();
        int width = config.discriminatorWidth();
        for (int i = 0; i < config.upsamplings(); i++) {
            main.append(new Conv2d(in, width, 4, Conv2dOptions.of(2, 1), conv, rng));
            main.append(Activation.leakyRelu(0.2));
            in = width;
            width *= 2;
        }
        main.append(new Conv2d(in, 1, config.baseSize(), Conv2dOptions.of(1, 0), conv, rng));
        registerModule("main", main);
        DcganGenerator.dcganInit(main, rng);
    }

    /** (N, channels, imageSize, imageSize) → (N) logits. */
    @Override
    public Tensor forward(Tensor x) {
        int s = config.imageSize();
        if (x.rank() != 4 || x.size(1) != config.channels() || x.size(2) != s || x.size(3) != s) {
            throw new IllegalArgumentException("DcganDiscriminator: input must be (N, " + config.channels() + ", " + s
                    + ", " + s + "), got " + Shape.format(x.shape()));
        }
        return main.forward(x).reshape(x.size(0));                        // (N, 1, 1, 1) → (N)
    }

    public DcganConfig config() {
        return config;
    }
}
