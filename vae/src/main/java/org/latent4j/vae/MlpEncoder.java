package org.latent4j.vae;

import org.latent4j.core.nn.Linear;
import org.latent4j.core.nn.ParamOptions;
import org.latent4j.core.nn.Sequential;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * Fully connected encoder: the flattened image (with the one-hot class appended for a conditional VAE) through
 * Linear + ReLU layers of {@link VaeConfig#hiddenDims()} widths, then two linear heads for μ and log σ².
 * Parameters: {@code body.0.weight, body.2.weight, …, mu.weight, logVar.weight} (and biases).
 */
public final class MlpEncoder extends Encoder {
    private final VaeConfig config;
    private final Sequential body;
    private final Linear mu;
    private final Linear logVar;

    public MlpEncoder(VaeConfig config, ParamOptions options, Rng rng) {
        this.config = config;
        int[] h = config.hiddenDims();
        body = registerModule("body", VaeLayers.mlp(config.dataDim() + config.numClasses(), h, options, rng));
        mu = registerModule("mu", new Linear(h[h.length - 1], config.latentDim(), options, rng));
        logVar = registerModule("logVar", new Linear(h[h.length - 1], config.latentDim(), options, rng));
    }

    @Override
    public DiagonalGaussian forward(Tensor x, Tensor condition) {
        Tensor flat = x.reshape(x.size(0), config.dataDim());                 // (B, C·H·W)
        Tensor features = body.forward(VaeLayers.appendCondition(flat, condition));   // (B, hidden)
        return new DiagonalGaussian(mu.forward(features), logVar.forward(features));  // (B, L) each
    }

    @Override
    protected String extraRepr() {
        return config.toString();
    }
}
