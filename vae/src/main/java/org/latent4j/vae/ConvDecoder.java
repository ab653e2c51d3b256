package org.latent4j.vae;

import org.latent4j.core.nn.Activation;
import org.latent4j.core.nn.ConvTranspose2d;
import org.latent4j.core.nn.Linear;
import org.latent4j.core.nn.ParamOptions;
import org.latent4j.core.nn.Sequential;
import org.latent4j.core.ops.Activations;
import org.latent4j.core.ops.Convolution;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * Convolutional decoder, the {@link ConvEncoder}'s mirror: z (with the one-hot class appended) through a linear
 * layer + ReLU to the encoder's lowest feature map, then 4×4 stride-2 transposed convolutions (each doubles
 * height and width; ReLU between them) back to one output per pixel, (B, C, H, W). Parameters:
 * {@code project.weight, body.0.weight, body.2.weight, …} (and biases).
 */
public final class ConvDecoder extends Decoder {
    private final VaeConfig config;
    private final Linear project;
    private final Sequential body;
    private final int lowestChannels;
    private final int lowestHeight;
    private final int lowestWidth;

    public ConvDecoder(VaeConfig config, ParamOptions options, Rng rng) {
        this.config = config;
        int[] h = VaeLayers.reversed(config.hiddenDims());
        int stages = h.length;
        lowestChannels = h[0];
        lowestHeight = config.height() >> stages;
        lowestWidth = config.width() >> stages;
        project = registerModule("project", new Linear(config.latentDim() + config.numClasses(),
                VaeLayers.lowestFeatures(config), options, rng));
        body = registerModule("body", new Sequential());
        for (int i = 0; i < stages; i++) {
            int out = i + 1 < stages ? h[i + 1] : config.channels();
            if (i > 0) {
                body.append(Activation.relu());
            }
            body.append(new ConvTranspose2d(h[i], out, 4, Convolution.ConvTranspose2dOptions.of(2, 1), options, rng));
        }
    }

    @Override
    public Tensor forward(Tensor z, Tensor condition) {
        Tensor p = Activations.relu(project.forward(VaeLayers.appendCondition(z, condition)));   // (B, C'·H'·W')
        Tensor map = p.reshape(z.size(0), lowestChannels, lowestHeight, lowestWidth);            // (B, C', H', W')
        return body.forward(map);                                                                 // (B, C, H, W)
    }

    @Override
    protected String extraRepr() {
        return config.toString();
    }
}
