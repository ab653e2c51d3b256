package org.latent4j.vae;

import org.latent4j.core.nn.Module;
import org.latent4j.core.tensor.Tensor;

/**
 * The generative network of a VAE: latents (B, L), optionally a one-hot class (B, K), to the parameters of
 * p(x | z) per pixel, (B, C, H, W): Bernoulli logits or Gaussian means (see {@link Likelihood}).
 */
public abstract class Decoder extends Module {
    /**
     * @param z         latents (B, L)
     * @param condition one-hot classes (B, K) for a conditional VAE, null otherwise
     */
    public abstract Tensor forward(Tensor z, Tensor condition);
}
