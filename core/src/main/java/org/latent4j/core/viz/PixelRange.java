package org.latent4j.core.viz;

/** The range image tensors hold: generative models usually work in [-1, 1], datasets in [0, 1]. */
public enum PixelRange {
    /** -1 is black, 1 is full intensity (tanh outputs, diffusion samples). */
    MINUS_ONE_TO_ONE(-1, 1),
    /** 0 is black, 1 is full intensity (sigmoid outputs, raw datasets). */
    ZERO_TO_ONE(0, 1);

    private final double low;
    private final double high;

    PixelRange(double low, double high) {
        this.low = low;
        this.high = high;
    }

    /** The 8-bit intensity of {@code v}, clamped to the range; NaN maps to 0. */
    int toByte(double v) {
        double t = (v - low) / (high - low);
        if (!(t > 0)) {
            return 0;
        }
        if (t >= 1) {
            return 255;
        }
        return (int) Math.round(t * 255);
    }
}
