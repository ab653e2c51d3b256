/**
 * Variational autoencoders (not built yet): MLP and convolutional encoders/decoders, the reparameterization
 * trick, the ELBO with analytic KL, beta-VAE, conditional VAE and importance-weighted likelihood. Depends on core only.
 */
package org.latent4j.vae;
