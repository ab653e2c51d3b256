package org.latent4j.transformer;

/** How a model tells positions apart. */
public enum PositionEncoding {
    /** A trained vector per position added to the token embedding (GPT-2). */
    LEARNED,
    /** Fixed sines and cosines of geometrically spaced frequencies added to the embedding (Vaswani et al., 2017). */
    SINUSOIDAL,
    /** Queries and keys rotated by position-dependent angles inside attention (RoPE, Su et al., 2021). */
    ROTARY
}
