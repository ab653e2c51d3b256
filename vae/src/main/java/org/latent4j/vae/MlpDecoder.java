package org.latent4j.vae;

import org.latent4j.core.nn.Linear;
import org.latent4j.core.nn.ParamOptions;
import org.latent4j.core.nn.Sequential;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * Fully connected decoder, the encoder's mirror: z (with the one-hot class appended) through Linear + ReLU
 * layers of the hidden widths in reverse order, then a linear layer to one output per pixel, reshaped to
 * (B, C, H, W). Parameters: {@code body.0.weight, …, out.weight} (and biases).
 */
public final class MlpDecoder extends Decoder {
    private final VaeConfig config;
    private final Sequential body;
    private final Linear out;

    public MlpDecoder(VaeConfig config, ParamOptions options, Rng rng) {
        this.config = config;
        int[] h = VaeLayers.reversed(config.hiddenDims());
        body = registerModule("body", VaeLayers.mlp(config.latentDim() + config.numClasses(), h, options, rng));
        out = registerModule("out", new Linear(h[h.length - 1], config.dataDim(), options, rng));
    }

    @Override
    public Tensor forward(Tensor z, Tensor condition) {
        Tensor y = out.forward(body.forward(VaeLayers.appendCondition(z, condition)));   // (B, C·H·W)
        return y.reshape(z.size(0), config.channels(), config.height(), config.width());   // (B, C, H, W)
    }

    @Override
    protected String extraRepr() {
        return config.toString();
    }
}
