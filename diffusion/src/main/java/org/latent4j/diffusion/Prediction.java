package org.latent4j.diffusion;

/**
 * What a denoiser outputs at step t for the noisy input {@code x_t = √ᾱ_t·x₀ + √(1−ᾱ_t)·ε}: the noise ε
 * (Ho et al. 2020), the clean data x₀, or the velocity {@code v = √ᾱ_t·ε − √(1−ᾱ_t)·x₀} (Salimans &amp; Ho
 * 2022). Any one determines the other two given x_t; {@link NoiseSchedule} converts between them.
 */
public enum Prediction {
    EPSILON, X0, V
}
