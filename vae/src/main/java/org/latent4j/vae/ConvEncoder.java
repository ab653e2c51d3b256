package org.latent4j.vae;

import org.latent4j.core.nn.Activation;
import org.latent4j.core.nn.Conv2d;
import org.latent4j.core.nn.Linear;
import org.latent4j.core.nn.ParamOptions;
import org.latent4j.core.nn.Sequential;
import org.latent4j.core.ops.Convolution;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * Convolutional encoder: one 4×4 stride-2 convolution + ReLU per entry of {@link VaeConfig#hiddenDims()}
 * (each halves the height and width), the feature map flattened (with the one-hot class appended for a
 * conditional VAE), and two linear heads for μ and log σ². Parameters: {@code body.0.weight, body.2.weight, …,
 * mu.weight, logVar.weight} (and biases).
 */
public final class ConvEncoder extends Encoder {
    private final VaeConfig config;
    private final Sequential body;
    private final Linear mu;
    private final Linear logVar;
    private final int features;

    public ConvEncoder(VaeConfig config, ParamOptions options, Rng rng) {
        this.config = config;
        int[] h = config.hiddenDims();
        body = registerModule("body", new Sequential());
        int in = config.channels();
        for (int c : h) {
            body.append(new Conv2d(in, c, 4, Convolution.Conv2dOptions.of(2, 1), options, rng));
            body.append(Activation.relu());
            in = c;
        }
        features = VaeLayers.lowestFeatures(config);
        mu = registerModule("mu", new Linear(features + config.numClasses(), config.latentDim(), options, rng));
        logVar = registerModule("logVar", new Linear(features + config.numClasses(), config.latentDim(), options, rng));
    }

    @Override
    public DiagonalGaussian forward(Tensor x, Tensor condition) {
        Tensor f = body.forward(x);                                         // (B, C_last, H/2^s, W/2^s)
        Tensor flat = f.reshape(x.size(0), features);                       // (B, C_last·H'·W')
        Tensor g = VaeLayers.appendCondition(flat, condition);              // (B, features + K)
        return new DiagonalGaussian(mu.forward(g), logVar.forward(g));      // (B, L) each
    }

    @Override
    protected String extraRepr() {
        return config.toString();
    }
}
