package org.latent4j.diffusion;

import org.latent4j.core.ops.Losses;
import org.latent4j.core.ops.Random;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * The simple training objective of Ho et al. (2020), for any {@link Prediction}: draw a step
 * {@code t ~ U{0, …, T−1}} and noise {@code ε ~ N(0, I)} per example, form {@code x_t} with
 * {@link NoiseSchedule#qSample}, and regress the denoiser's output on the target (ε, x₀ or v) with a mean
 * squared error.
 */
public record DiffusionLoss(NoiseSchedule schedule, Prediction prediction) {
    public DiffusionLoss {
        if (schedule == null || prediction == null) {
            throw new IllegalArgumentException("DiffusionLoss: schedule and prediction must not be null");
        }
    }

    /** The loss on a batch {@code x0} (B, …) under {@code condition}; steps and noise come from {@code rng}. */
    public Tensor compute(Denoiser model, Tensor x0, Condition condition, Rng rng) {
        Tensor t = Random.randint(rng, 0, schedule.steps(), x0.size(0));
        Tensor noise = Random.randn(rng, x0.dtype(), x0.shape());
        return compute(model, x0, condition, t, noise);
    }

    /** The loss for given steps {@code t} (int64 (B)) and noise (the shape of {@code x0}). */
    public Tensor compute(Denoiser model, Tensor x0, Condition condition, Tensor t, Tensor noise) {
        Tensor xt = schedule.qSample(x0, t, noise);
        Tensor out = model.forward(xt, t, condition);
        return Losses.mse(out, schedule.target(prediction, x0, t, noise));
    }
}
