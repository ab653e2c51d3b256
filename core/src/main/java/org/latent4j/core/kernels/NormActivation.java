package org.latent4j.core.kernels;

/** The activation a fused normalization kernel applies to its output. */
public enum NormActivation {
    /** The normalized, scaled and shifted value as it is. */
    NONE,
    /** {@code y·σ(y)} (SiLU, or swish). */
    SILU
}
