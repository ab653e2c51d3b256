/**
 * Denoising diffusion models. {@link org.latent4j.diffusion.NoiseSchedule} (linear, cosine) with q(x_t | x₀) in
 * closed form and ε-, x₀- and v-targets; denoisers behind {@link org.latent4j.diffusion.Denoiser}: an MLP for
 * low-dimensional data and a {@link org.latent4j.diffusion.UNet} (residual blocks, GroupNorm, self- and
 * cross-attention) with a small {@link org.latent4j.diffusion.TextEncoder} for captions; the DDPM and DDIM
 * samplers; classifier-free guidance; the energy distance for 2-D sample quality. Depends on core only
 * ({@code tensor}, {@code autograd}, {@code ops}, {@code nn}, {@code optim}, {@code io}), never on ND4J directly.
 */
package org.latent4j.diffusion;
