package org.latent4j.gan;

import org.latent4j.core.nn.Activation;
import org.latent4j.core.nn.BatchNorm2d;
import org.latent4j.core.nn.ConvTranspose2d;
import org.latent4j.core.nn.Init;
import org.latent4j.core.nn.Layer;
import org.latent4j.core.nn.Module;
import org.latent4j.core.nn.NormOptions;
import org.latent4j.core.nn.ParamOptions;
import org.latent4j.core.nn.Sequential;
import org.latent4j.core.ops.Convolution.ConvTranspose2dOptions;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * The DCGAN generator (Radford et al., 2016), laid out as the PyTorch DCGAN tutorial's
 * {@code self.main = nn.Sequential(...)}: ConvTranspose2d(latent → w·2^(u−1), kernel base) → BatchNorm2d → ReLU,
 * then (u − 1) × [ConvTranspose2d(kernel 4, stride 2, padding 1) halving the channels → BatchNorm2d → ReLU], then
 * ConvTranspose2d(w → channels, 4, 2, 1) → Tanh. Convolutions have no bias (batch norm follows); weights start
 * N(0, 0.02) and batch-norm scales N(1, 0.02), the paper's initialization. Output images lie in (−1, 1).
 */
public final class DcganGenerator extends Generator {
    private final DcganConfig config;
    private final Sequential main;

    public DcganGenerator(DcganConfig config, Rng rng) {
        this(config, DType.FLOAT32, rng);
    }

    public DcganGenerator(DcganConfig config, DType dtype, Rng rng) {
        super(config.latentDim(), dtype);
        this.config = config;
        ParamOptions conv = ParamOptions.defaults().withoutBias().withDType(dtype);
        NormOptions norm = NormOptions.defaults().withDType(dtype);
        int u = config.upsamplings();
        int width = config.generatorWidth() << (u - 1);
        main = new Sequential();
        main.append(new ConvTranspose2d(config.latentDim(), width, config.baseSize(), ConvTranspose2dOptions.of(1, 0),
                conv, rng));
        main.append(new BatchNorm2d(width, norm));
        main.append(Activation.relu());
        for (int i = 1; i < u; i++) {
            main.append(new ConvTranspose2d(width, width / 2, 4, ConvTranspose2dOptions.of(2, 1), conv, rng));
            width /= 2;
            main.append(new BatchNorm2d(width, norm));
            main.append(Activation.relu());
        }
        main.append(new ConvTranspose2d(width, config.channels(), 4, ConvTranspose2dOptions.of(2, 1), conv, rng));
        main.append(Activation.tanh());
        registerModule("main", main);
        dcganInit(main, rng);
    }

    /** (N, latentDim) → (N, channels, imageSize, imageSize) in (−1, 1). */
    @Override
    public Tensor forward(Tensor z) {
        checkLatent(z);
        return main.forward(z.reshape(z.size(0), config.latentDim(), 1, 1));  // (N, latent, 1, 1) → (N, C, H, W)
    }

    public DcganConfig config() {
        return config;
    }

    /** Convolution weights N(0, 0.02); batch-norm weights N(1, 0.02) and biases 0 (the DCGAN paper's init). */
    static void dcganInit(Sequential layers, Rng rng) {
        for (Layer layer : layers.layers()) {
            if (layer instanceof org.latent4j.core.nn.ConvLayer c) {
                Init.normal(c.weight(), 0, 0.02, rng);
                if (c.bias() != null) {
                    Init.zeros(c.bias());
                }
            } else if (layer instanceof BatchNorm2d) {
                Module m = layer;
                Init.normal(m.namedParameters().get("weight"), 1, 0.02, rng);
                Init.zeros(m.namedParameters().get("bias"));
            }
        }
    }
}
