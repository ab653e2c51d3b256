/**
 * Normalizing flows: invertible maps with tractable Jacobians, trained by exact maximum likelihood.
 *
 * <p>{@link org.latent4j.flow.Bijector} (forward x → z with log|det J| per example, inverse z → x) is a
 * {@code Module}; {@link org.latent4j.flow.Chain} composes them and {@link org.latent4j.flow.Flow} puts a
 * {@link org.latent4j.flow.StandardNormal} base under one, giving {@code logProb}, {@code nll}, {@code sample},
 * {@code encode} and {@code decode}. The bijectors: {@link org.latent4j.flow.AffineCoupling} (RealNVP, MLP or
 * convolutional conditioner, soft-clamped scales, {@link org.latent4j.flow.Masks}), {@link org.latent4j.flow.ActNorm}
 * (data-dependent initialization that checkpoints), {@link org.latent4j.flow.InvertibleConv1x1} (Glow's LU
 * parameterization) and {@link org.latent4j.flow.PlainConv1x1} (slogdet), {@link org.latent4j.flow.Permutation},
 * {@link org.latent4j.flow.Squeeze}, {@link org.latent4j.flow.MaskedAutoregressive} over a
 * {@link org.latent4j.flow.Made}, and {@link org.latent4j.flow.Logit} preprocessing; with
 * {@link org.latent4j.flow.Dequantization} for discrete data and bits per dimension. Configs with presets
 * ({@link org.latent4j.flow.RealNvpConfig}, {@link org.latent4j.flow.MafConfig}, {@link org.latent4j.flow.GlowConfig})
 * build whole flows through {@code Flow.realNvp / maf / glow}; {@link org.latent4j.flow.GaussianFit} and
 * {@link org.latent4j.flow.PixelHistogram} are the baselines a flow must beat.
 *
 * <p>Depends on core only (tensor, autograd, ops, nn); never on ND4J directly.
 */
package org.latent4j.flow;
