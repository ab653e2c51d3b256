package org.latent4j.gan;

import org.latent4j.core.nn.Layer;
import org.latent4j.core.tensor.Tensor;

/**
 * A GAN discriminator (or WGAN critic) D: maps a batch of samples (N, …) to one real-valued logit per sample,
 * shape (N). D(x) in the papers is σ(logit); the losses in {@link GanLoss} take the logits.
 */
public abstract class Discriminator extends Layer {
    /** (N, …) samples → (N) logits. */
    @Override
    public abstract Tensor forward(Tensor x);
}
