/**
 * Reverse-mode automatic differentiation over a dynamic graph: {@link org.latent4j.core.autograd.Graph}
 * (how an op records itself), {@link org.latent4j.core.autograd.Autograd} (backward and grad, including
 * higher-order gradients), {@link org.latent4j.core.autograd.GradMode} (no-grad scopes) and the public
 * float64 {@link org.latent4j.core.autograd.GradCheck}. Imports {@code tensor} only.
 */
package org.latent4j.core.autograd;
