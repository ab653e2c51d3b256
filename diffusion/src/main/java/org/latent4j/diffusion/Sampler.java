package org.latent4j.diffusion;

import org.latent4j.core.ops.Random;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/** A reverse process: turns Gaussian noise into samples with a {@link Denoiser}. */
public interface Sampler {
    /** Denoises {@code noise} (the last step's x) to x₀, reporting each step to {@code listener}. */
    Tensor sample(Denoiser model, Condition condition, Tensor noise, Rng rng, StepListener listener);

    /** {@code shape[0]} samples of shape {@code shape}, float32, starting from noise drawn from {@code rng}. */
    default Tensor sample(Denoiser model, Condition condition, long[] shape, Rng rng) {
        return sample(model, condition, Random.randn(rng, DType.FLOAT32, shape), rng, StepListener.NONE);
    }
}
