package org.latent4j.vae;

/**
 * How a {@link Vae}'s encoder and decoder are built: fully connected layers on the flattened image, or
 * stride-2 convolutions down and transposed convolutions back up.
 */
public enum Architecture {
    /** Linear + ReLU layers of {@link VaeConfig#hiddenDims()} widths on the flattened image. */
    MLP,
    /**
     * One 4×4 stride-2 convolution per entry of {@link VaeConfig#hiddenDims()} (each halves height and width),
     * mirrored by 4×4 stride-2 transposed convolutions in the decoder.
     */
    CONV
}
