/**
 * Variational autoencoders. {@link org.latent4j.vae.VaeConfig} (presets for 8×8 digits, 28×28 Fashion-MNIST
 * and a small convolutional net) describes a {@link org.latent4j.vae.Vae}: an MLP or convolutional
 * {@link org.latent4j.vae.Encoder} to q(z | x) = N(μ, diag σ²) ({@link org.latent4j.vae.DiagonalGaussian}, with
 * the reparameterization z = μ + ε·σ), a {@link org.latent4j.vae.Decoder} to the parameters of a Bernoulli or
 * Gaussian (fixed or learned variance) {@link org.latent4j.vae.Likelihood}; the ELBO's terms
 * ({@link org.latent4j.vae.Elbo}: reconstruction log-likelihood and the closed-form KL, per example) and the
 * β-VAE loss; a conditional VAE (one-hot class appended to the encoder's and decoder's inputs); the
 * importance-weighted estimate of log p(x); full Gaussian and Bernoulli log-densities
 * ({@link org.latent4j.vae.LogDensity}); linear and spherical latent {@link org.latent4j.vae.Interpolation}.
 * Depends on core only ({@code tensor}, {@code ops}, {@code nn}), never on ND4J directly.
 */
package org.latent4j.vae;
