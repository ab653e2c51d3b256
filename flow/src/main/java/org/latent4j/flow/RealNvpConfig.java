package org.latent4j.flow;

import org.latent4j.core.tensor.DType;

/**
 * A RealNVP flow on vectors: {@code couplings} affine couplings with alternating masks, each conditioned by an
 * MLP of {@code depth} hidden layers of width {@code hidden}; before each coupling optionally an
 * {@link ActNorm} and an LU {@link InvertibleConv1x1} mixing the features (Glow's step on vectors).
 */
public record RealNvpConfig(int dim, int couplings, int hidden, int depth, double scaleClamp, boolean actNorm,
        boolean mixing, DType dtype) {
    public RealNvpConfig {
        if (dim < 2) {
            throw new IllegalArgumentException("RealNvpConfig: dim must be at least 2, got " + dim);
        }
        if (couplings <= 0) {
            throw new IllegalArgumentException("RealNvpConfig: couplings must be positive, got " + couplings);
        }
        if (hidden <= 0 || depth <= 0) {
            throw new IllegalArgumentException("RealNvpConfig: hidden and depth must be positive, got " + hidden
                    + ", " + depth);
        }
        if (!(scaleClamp > 0) || Double.isInfinite(scaleClamp)) {
            throw new IllegalArgumentException("RealNvpConfig: scaleClamp must be positive and finite, got "
                    + scaleClamp);
        }
        if (dtype != DType.FLOAT32 && dtype != DType.FLOAT64) {
            throw new IllegalArgumentException("RealNvpConfig: dtype must be FLOAT32 or FLOAT64, got " + dtype);
        }
    }

    /**
     * 2-D toy data (two moons): 4 couplings, MLPs 2 → 64 → 64 → 4, no ActNorm or mixing (in 2-D the alternating
     * masks already mix both coordinates, and fewer layers train in seconds).
     */
    public static RealNvpConfig twoD() {
        return new RealNvpConfig(2, 4, 64, 2, 2.0, false, false, DType.FLOAT32);
    }

    public RealNvpConfig withActNorm(boolean a) {
        return new RealNvpConfig(dim, couplings, hidden, depth, scaleClamp, a, mixing, dtype);
    }

    public RealNvpConfig withDim(int d) {
        return new RealNvpConfig(d, couplings, hidden, depth, scaleClamp, actNorm, mixing, dtype);
    }

    public RealNvpConfig withCouplings(int n) {
        return new RealNvpConfig(dim, n, hidden, depth, scaleClamp, actNorm, mixing, dtype);
    }

    public RealNvpConfig withHidden(int h) {
        return new RealNvpConfig(dim, couplings, h, depth, scaleClamp, actNorm, mixing, dtype);
    }

    public RealNvpConfig withMixing(boolean m) {
        return new RealNvpConfig(dim, couplings, hidden, depth, scaleClamp, actNorm, m, dtype);
    }

    public RealNvpConfig withDType(DType d) {
        return new RealNvpConfig(dim, couplings, hidden, depth, scaleClamp, actNorm, mixing, d);
    }
}
