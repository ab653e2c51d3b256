package org.latent4j.diffusion;

import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.ops.Elementwise;
import org.latent4j.core.ops.Random;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * Ancestral sampling of Ho et al. (2020): from {@code x_{T−1} ~ N(0, I)}, each of the T steps draws
 * {@code x_{t−1} ~ N(c₁·x̂₀ + c₂·x_t, β̃_t·I)}, the posterior {@code q(x_{t−1} | x_t, x₀)} with the denoiser's
 * estimate x̂₀ in place of x₀ (the "fixed small" variance, log-clipped at t = 0 where no noise is added).
 * x̂₀ may be clipped to [−clip, clip] (1 for images in [−1, 1]; infinity for unbounded data). Every draw comes
 * from the given {@link Rng}, so a seed fixes the samples.
 */
public final class DdpmSampler implements Sampler {
    private final NoiseSchedule schedule;
    private final Prediction prediction;
    private final double clip;

    /** Without clipping x̂₀. */
    public DdpmSampler(NoiseSchedule schedule, Prediction prediction) {
        this(schedule, prediction, Double.POSITIVE_INFINITY);
    }

    public DdpmSampler(NoiseSchedule schedule, Prediction prediction, double clip) {
        if (!(clip > 0)) {
            throw new IllegalArgumentException("DdpmSampler: clip must be positive (or infinity), got " + clip);
        }
        this.schedule = schedule;
        this.prediction = prediction;
        this.clip = clip;
    }

    /** Denoises {@code noise} (x_{T−1}) down to x₀, reporting each step to {@code listener}. */
    @Override
    public Tensor sample(Denoiser model, Condition condition, Tensor noise, Rng rng, StepListener listener) {
        Tensor x = noise;
        int n = (int) noise.size(0);
        try (GradMode.Scope ng = GradMode.noGrad()) {
            for (int t = schedule.steps() - 1; t >= 0; t--) {
                Tensor next;
                try (Arena step = Arena.open()) {
                    Tensor steps = Samplers.constantSteps(t, n);
                    Tensor out = model.forward(x, steps, condition);
                    Tensor x0 = Samplers.clip(schedule.predictX0(prediction, x, steps, out), clip);
                    Tensor mean = x0.mul(schedule.posteriorMeanCoef1(t)).add(x.mul(schedule.posteriorMeanCoef2(t)));
                    next = t > 0
                            ? mean.add(Random.randn(rng, x.dtype(), x.shape())
                                    .mul(Math.exp(0.5 * schedule.posteriorLogVarianceClipped(t))))
                            : mean;
                    next = step.keep(Elementwise.add(next, 0.0));
                }
                if (x != noise) {
                    x.close();
                }
                x = next;
                listener.onStep(schedule.steps() - t, t - 1, x);
            }
        }
        return x;
    }
}
