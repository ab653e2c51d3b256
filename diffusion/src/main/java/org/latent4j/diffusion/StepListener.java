package org.latent4j.diffusion;

import org.latent4j.core.tensor.Tensor;

/** Sees the samples after each reverse step (for progress bars and denoising strips). */
@FunctionalInterface
public interface StepListener {
    StepListener NONE = (index, t, x) -> { };

    /**
     * @param index how many reverse steps have been taken (1 after the first)
     * @param t     the step the sample is now at ({@code −1} once fully denoised)
     * @param x     the current samples; copy them to keep them past the next step
     */
    void onStep(int index, int t, Tensor x);
}
