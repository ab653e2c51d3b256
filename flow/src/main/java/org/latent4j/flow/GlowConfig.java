package org.latent4j.flow;

import org.latent4j.core.tensor.DType;

/**
 * A one-scale Glow-style flow on images (C, H, W) in [0, 1]: {@link Logit} preprocessing, a {@link Squeeze} to
 * (4C, H/2, W/2), then {@code steps} steps of {@link ActNorm} → LU {@link InvertibleConv1x1} → convolutional
 * {@link AffineCoupling} over half the channels (alternating halves), its conditioner {@code hidden} wide.
 */
public record GlowConfig(int channels, int height, int width, int steps, int hidden, double scaleClamp,
        double logitAlpha, DType dtype) {
    public GlowConfig {
        if (channels <= 0 || height <= 0 || width <= 0 || height % 2 != 0 || width % 2 != 0) {
            throw new IllegalArgumentException("GlowConfig: channels must be positive and height, width positive and "
                    + "even, got " + channels + ", " + height + ", " + width);
        }
        if (steps <= 0 || hidden <= 0) {
            throw new IllegalArgumentException("GlowConfig: steps and hidden must be positive, got " + steps + ", "
                    + hidden);
        }
        if (!(scaleClamp > 0) || Double.isInfinite(scaleClamp)) {
            throw new IllegalArgumentException("GlowConfig: scaleClamp must be positive and finite, got " + scaleClamp);
        }
        if (!(logitAlpha >= 0 && logitAlpha < 0.5)) {
            throw new IllegalArgumentException("GlowConfig: logitAlpha must be in [0, 0.5), got " + logitAlpha);
        }
        if (dtype != DType.FLOAT32 && dtype != DType.FLOAT64) {
            throw new IllegalArgumentException("GlowConfig: dtype must be FLOAT32 or FLOAT64, got " + dtype);
        }
    }

    /** scikit-learn's 8×8 digits: 6 steps on (4, 4, 4), conditioners 32 wide. */
    public static GlowConfig digits() {
        return new GlowConfig(1, 8, 8, 6, 32, 2.0, 0.05, DType.FLOAT32);
    }

    public GlowConfig withSteps(int n) {
        return new GlowConfig(channels, height, width, n, hidden, scaleClamp, logitAlpha, dtype);
    }

    public GlowConfig withHidden(int h) {
        return new GlowConfig(channels, height, width, steps, h, scaleClamp, logitAlpha, dtype);
    }

    public GlowConfig withDType(DType d) {
        return new GlowConfig(channels, height, width, steps, hidden, scaleClamp, logitAlpha, d);
    }
}
