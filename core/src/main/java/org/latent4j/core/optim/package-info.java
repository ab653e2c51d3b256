/**
 * Optimizers ({@link org.latent4j.core.optim.Sgd}, {@link org.latent4j.core.optim.Adam},
 * {@link org.latent4j.core.optim.AdamW}) with parameter groups chosen by predicate, learning-rate schedules,
 * gradient clipping and an exponential moving average of weights. Updates run in place on the parameters'
 * ND4J arrays under {@code GradMode.noGrad()}, with preallocated state, so a steady-state step allocates no
 * parameter-sized memory; each optimizer's trajectory matches PyTorch's.
 *
 * <p>May import {@code tensor}, {@code autograd} and {@code nn}.
 */
package org.latent4j.core.optim;
