package org.latent4j.vae;

import org.latent4j.core.nn.Module;
import org.latent4j.core.tensor.Tensor;

/** The inference network of a VAE: images (B, C, H, W), optionally a one-hot class (B, K), to q(z | x). */
public abstract class Encoder extends Module {
    /**
     * @param x         images (B, C, H, W)
     * @param condition one-hot classes (B, K) for a conditional VAE, null otherwise
     */
    public abstract DiagonalGaussian forward(Tensor x, Tensor condition);
}
