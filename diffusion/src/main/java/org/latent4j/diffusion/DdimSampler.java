package org.latent4j.diffusion;

import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.ops.Elementwise;
import org.latent4j.core.ops.Random;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * Denoising diffusion implicit models (Song, Meng &amp; Ermon 2021): the same trained denoiser sampled along
 * a subsequence τ of S ≤ T steps, {@code x_{τ−} = √ᾱ_{τ−}·x̂₀ + √(1 − ᾱ_{τ−} − σ²)·ε̂ + σ·z} with
 * {@code σ = η·√((1−ᾱ_{τ−})/(1−ᾱ_τ))·√(1 − ᾱ_τ/ᾱ_{τ−})}. η = 1 is DDPM-like, η = 0 is deterministic: the
 * sampler is then an ODE solver, and {@link #encode} runs it backwards to map data to its noise. τ is S steps
 * spread evenly over [0, T−1] (rounded), so the first reverse step starts at T−1.
 */
public final class DdimSampler implements Sampler {
    private final NoiseSchedule schedule;
    private final Prediction prediction;
    private final int[] steps;
    private final double eta;
    private final double clip;

    /** S steps, η, no clipping of x̂₀. */
    public DdimSampler(NoiseSchedule schedule, Prediction prediction, int numSteps, double eta) {
        this(schedule, prediction, numSteps, eta, Double.POSITIVE_INFINITY);
    }

    public DdimSampler(NoiseSchedule schedule, Prediction prediction, int numSteps, double eta, double clip) {
        if (numSteps < 1 || numSteps > schedule.steps()) {
            throw new IllegalArgumentException("DdimSampler: numSteps must lie in [1, " + schedule.steps()
                    + "], got " + numSteps);
        }
        if (!(eta >= 0) || !(clip > 0)) {
            throw new IllegalArgumentException("DdimSampler: eta must be non-negative and clip positive, got eta "
                    + eta + ", clip " + clip);
        }
        this.schedule = schedule;
        this.prediction = prediction;
        this.steps = timesteps(schedule.steps(), numSteps);
        this.eta = eta;
        this.clip = clip;
    }

    /** S distinct steps evenly spread over [0, T−1], ascending. */
    static int[] timesteps(int total, int count) {
        int[] s = new int[count];
        for (int i = 0; i < count; i++) {
            s[i] = count == 1 ? total - 1 : (int) Math.round((double) i * (total - 1) / (count - 1));
        }
        return s;
    }

    /** The steps τ visited, ascending. */
    public int[] steps() {
        return steps.clone();
    }

    /** Denoises {@code noise} (at step T−1) to x₀; {@code rng} is only drawn from when η &gt; 0. */
    @Override
    public Tensor sample(Denoiser model, Condition condition, Tensor noise, Rng rng, StepListener listener) {
        Tensor x = noise;
        int n = (int) noise.size(0);
        try (GradMode.Scope ng = GradMode.noGrad()) {
            for (int i = steps.length - 1; i >= 0; i--) {
                int t = steps[i];
                int prev = i > 0 ? steps[i - 1] : -1;
                Tensor next;
                try (Arena arena = Arena.open()) {
                    Tensor tt = Samplers.constantSteps(t, n);
                    Tensor[] pair = denoise(model, condition, x, tt);
                    double ab = schedule.alphaBar(t);
                    double abPrev = schedule.alphaBar(prev);
                    double sigma = eta * Math.sqrt((1 - abPrev) / (1 - ab)) * Math.sqrt(1 - ab / abPrev);
                    next = pair[0].mul(Math.sqrt(abPrev))
                            .add(pair[1].mul(Math.sqrt(Math.max(0, 1 - abPrev - sigma * sigma))));
                    if (sigma > 0 && prev >= 0) {
                        next = next.add(Random.randn(rng, x.dtype(), x.shape()).mul(sigma));
                    }
                    next = arena.keep(Elementwise.add(next, 0.0));
                }
                if (x != noise) {
                    x.close();
                }
                x = next;
                listener.onStep(steps.length - i, prev, x);
            }
        }
        return x;
    }

    /**
     * Deterministic DDIM inversion (η = 0 run forwards): maps data {@code x0} to the noise at step {@code τ_S}
     * from which {@link #sample} with η = 0 gives {@code x0} back, up to the error of using ε̂ at the next
     * step's time on the current point.
     */
    public Tensor encode(Denoiser model, Condition condition, Tensor x0) {
        Tensor x = x0;
        int n = (int) x0.size(0);
        try (GradMode.Scope ng = GradMode.noGrad()) {
            for (int i = 0; i < steps.length; i++) {
                int t = steps[i];
                double abPrev = schedule.alphaBar(i > 0 ? steps[i - 1] : -1);
                double ab = schedule.alphaBar(t);
                Tensor next;
                try (Arena arena = Arena.open()) {
                    Tensor eps = schedule.predictEpsilon(prediction, x, Samplers.constantSteps(t, n),
                            model.forward(x, Samplers.constantSteps(t, n), condition));
                    // x̂₀ from the current point at its own noise level ᾱ_{τ−}, then re-noised to ᾱ_τ with ε̂
                    Tensor x0hat = x.sub(eps.mul(Math.sqrt(1 - abPrev))).mul(1 / Math.sqrt(abPrev));
                    next = arena.keep(x0hat.mul(Math.sqrt(ab)).add(eps.mul(Math.sqrt(1 - ab))));
                }
                if (x != x0) {
                    x.close();
                }
                x = next;
            }
        }
        return x;
    }

    /** x̂₀ (clipped) and the ε̂ consistent with it, at (x, t). */
    private Tensor[] denoise(Denoiser model, Condition condition, Tensor x, Tensor t) {
        Tensor out = model.forward(x, t, condition);
        Tensor x0 = schedule.predictX0(prediction, x, t, out);
        if (Double.isInfinite(clip)) {
            return new Tensor[] {x0, schedule.predictEpsilon(prediction, x, t, out)};
        }
        x0 = Samplers.clip(x0, clip);
        return new Tensor[] {x0, schedule.predictEpsilon(Prediction.X0, x, t, x0)};
    }
}
