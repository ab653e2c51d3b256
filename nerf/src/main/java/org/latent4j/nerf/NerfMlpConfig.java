package org.latent4j.nerf;

/**
 * Shape of a {@link NerfMlp}: frequencies of the position and view-direction encodings, the density trunk's
 * {@code depth} layers of {@code width} units with the encoded position fed in again after layer {@code skip}
 * (−1: no skip), the width of the colour head, and how the raw density becomes σ ≥ 0.
 */
public record NerfMlpConfig(int positionFrequencies, int directionFrequencies, int width, int depth, int skip,
        int colorWidth, DensityActivation densityActivation) {

    /** σ = relu(raw) as in the paper, or softplus(raw), which never stops passing gradient. */
    public enum DensityActivation { RELU, SOFTPLUS }

    public NerfMlpConfig {
        if (positionFrequencies < 0 || positionFrequencies > 20 || directionFrequencies < 0
                || directionFrequencies > 20) {
            throw new IllegalArgumentException("NerfMlpConfig: positionFrequencies and directionFrequencies must be "
                    + "in [0, 20], got " + positionFrequencies + ", " + directionFrequencies);
        }
        if (width < 1 || colorWidth < 1) {
            throw new IllegalArgumentException("NerfMlpConfig: width and colorWidth must be positive, got " + width
                    + ", " + colorWidth);
        }
        if (depth < 1) {
            throw new IllegalArgumentException("NerfMlpConfig: depth must be at least 1, got " + depth);
        }
        if (skip < -1 || skip >= depth - 1) {
            throw new IllegalArgumentException("NerfMlpConfig: skip must be -1 (none) or a layer in [0, depth - 2] = [0, "
                    + (depth - 2) + "], got " + skip);
        }
        if (densityActivation == null) {
            throw new IllegalArgumentException("NerfMlpConfig: densityActivation must not be null");
        }
    }

    /** The paper's network: L = 10 and 4, eight layers of 256 with a skip after the fifth, a 128-wide colour head. */
    public static NerfMlpConfig paper() {
        return new NerfMlpConfig(10, 4, 256, 8, 4, 128, DensityActivation.RELU);
    }

    /** A small network that trains on a CPU in seconds: L = 6 and 2, four layers of 64, skip after the second. */
    public static NerfMlpConfig tiny() {
        return new NerfMlpConfig(6, 2, 64, 4, 1, 32, DensityActivation.SOFTPLUS);
    }

    public NerfMlpConfig withWidth(int w) {
        return new NerfMlpConfig(positionFrequencies, directionFrequencies, w, depth, skip, colorWidth,
                densityActivation);
    }

    public NerfMlpConfig withFrequencies(int position, int direction) {
        return new NerfMlpConfig(position, direction, width, depth, skip, colorWidth, densityActivation);
    }

    public NerfMlpConfig withDensityActivation(DensityActivation a) {
        return new NerfMlpConfig(positionFrequencies, directionFrequencies, width, depth, skip, colorWidth, a);
    }

    public PositionalEncoding positionEncoding() {
        return PositionalEncoding.withInput(positionFrequencies);
    }

    public PositionalEncoding directionEncoding() {
        return PositionalEncoding.withInput(directionFrequencies);
    }
}
