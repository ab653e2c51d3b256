/**
 * Diffusion models: noise schedules, q(x_t | x_0) in closed form, an MLP and a U-Net denoiser,
 * DDPM and DDIM samplers, classifier-free guidance and EMA weights. Depends on core only.
 */
package org.latent4j.diffusion;
