/**
 * Tensors: {@link org.latent4j.core.tensor.Tensor} (an ND4J array, its gradient and the node that made it),
 * element types, shape arithmetic with NumPy broadcasting, the seeded {@link org.latent4j.core.tensor.Rng}
 * and the {@link org.latent4j.core.tensor.Arena} that frees a step's memory deterministically. May import
 * ND4J, {@code autograd} and {@code ops} (for the fluent shorthands); nothing above core.
 */
package org.latent4j.core.tensor;
