/**
 * Generative adversarial networks (Goodfellow et al., 2014): min_G max_D E[log D(x)] + E[log(1 − D(G(z)))].
 *
 * <ul>
 *   <li>Networks: {@link org.latent4j.gan.Generator} and {@link org.latent4j.gan.Discriminator} (logits, one per
 *       sample); MLP versions for 2-D data ({@link org.latent4j.gan.MlpGenerator},
 *       {@link org.latent4j.gan.MlpDiscriminator}, {@link org.latent4j.gan.MlpGanConfig}) and DCGAN for images
 *       ({@link org.latent4j.gan.DcganGenerator}: transposed convolutions, batch norm, ReLU, tanh;
 *       {@link org.latent4j.gan.DcganDiscriminator}: strided convolutions, leaky ReLU;
 *       {@link org.latent4j.gan.DcganConfig}), with PyTorch parameter names; {@link org.latent4j.gan.Gan} holds
 *       the pair for checkpoints and builds one Adam with a group per network.</li>
 *   <li>Objectives on logits: {@link org.latent4j.gan.GanLoss} (minimax, non-saturating, hinge, Wasserstein) and
 *       {@link org.latent4j.gan.GradientPenalty} (WGAN-GP, R1) through the core's higher-order gradients.</li>
 *   <li>Training: {@link org.latent4j.gan.GanStep}, alternating updates (k discriminator steps per generator
 *       step) reporting D(x), D(G(z)) and both losses.</li>
 *   <li>Diagnostics: {@link org.latent4j.gan.ModeCoverage} (modes covered, high-quality fraction, per-mode
 *       histogram on the ring of 8 and the grid of 25).</li>
 * </ul>
 *
 * <p>Depends on {@code org.latent4j.core} only.
 */
package org.latent4j.gan;
