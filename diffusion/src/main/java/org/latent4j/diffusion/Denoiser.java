package org.latent4j.diffusion;

import org.latent4j.core.tensor.Tensor;

/**
 * A network that, given the noisy data x_t, the steps t and a {@link Condition}, predicts the quantity named by
 * its {@link Prediction} (usually the noise ε). The samplers see nothing else of a model, so a guided or
 * averaged model is a {@code Denoiser} too.
 */
@FunctionalInterface
public interface Denoiser {
    /**
     * @param xt        noisy data (B, …)
     * @param t         int64 steps (B)
     * @param condition labels and/or captions, or {@link Condition#NONE}
     * @return the prediction, the shape of {@code xt}
     */
    Tensor forward(Tensor xt, Tensor t, Condition condition);
}
