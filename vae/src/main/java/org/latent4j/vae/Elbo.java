package org.latent4j.vae;

import org.latent4j.core.tensor.Tensor;

/**
 * The two terms of the evidence lower bound for a batch, one value per example (both (B)):
 * {@code reconstruction} = log p(x | z) at one reparameterized draw z ~ q(z | x), and {@code kl} =
 * KL(q(z | x) ‖ p(z)) in closed form. ELBO = reconstruction − kl ≤ log p(x).
 */
public record Elbo(Tensor reconstruction, Tensor kl) {
    /** ELBO per example: (B). */
    public Tensor perExample() {
        return reconstruction.sub(kl);
    }

    /** The batch mean of the ELBO (a scalar; larger is better). */
    public Tensor mean() {
        return perExample().mean();
    }

    /**
     * The training loss of a β-VAE: mean over the batch of −log p(x | z) + β·KL (β = 1: the negative ELBO,
     * in nats per example).
     */
    public Tensor loss(double beta) {
        return kl.mul(beta).sub(reconstruction).mean();
    }
}
