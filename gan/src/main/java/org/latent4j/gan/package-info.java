/**
 * Generative adversarial networks (not built yet): MLP and DCGAN generators and discriminators, minimax,
 * non-saturating and hinge losses, alternating updates and mode-coverage diagnostics. Depends on core only.
 */
package org.latent4j.gan;
