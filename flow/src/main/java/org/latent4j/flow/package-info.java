/**
 * Normalizing flows (not built yet): bijectors with log-det-Jacobians, RealNVP affine coupling, ActNorm,
 * invertible 1x1 convolution, MADE/MAF, and a flow model with exact logProb and sample. Depends on core only.
 */
package org.latent4j.flow;
