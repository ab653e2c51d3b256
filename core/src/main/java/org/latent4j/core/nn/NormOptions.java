package org.latent4j.core.nn;

import org.latent4j.core.tensor.DType;

/**
 * Settings of the normalization layers: the epsilon added to the variance, whether there is a learned
 * per-channel scale and shift ({@code elementwise_affine} / {@code affine} in PyTorch), the running-statistics
 * momentum (BatchNorm only) and the parameters' dtype. Defaults are PyTorch's: eps 1e-5, affine, momentum 0.1.
 */
public record NormOptions(double eps, boolean affine, double momentum, DType dtype) {
    public NormOptions {
        if (!(eps > 0)) {
            throw new IllegalArgumentException("NormOptions: eps must be positive, got " + eps);
        }
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("NormOptions: momentum must lie in [0, 1], got " + momentum);
        }
        NnChecks.requireFloat("NormOptions", dtype);
    }

    public static NormOptions defaults() {
        return new NormOptions(1e-5, true, 0.1, DType.FLOAT32);
    }

    public NormOptions withEps(double value) {
        return new NormOptions(value, affine, momentum, dtype);
    }

    /** No learned scale and shift. */
    public NormOptions withoutAffine() {
        return new NormOptions(eps, false, momentum, dtype);
    }

    public NormOptions withMomentum(double value) {
        return new NormOptions(eps, affine, value, dtype);
    }

    public NormOptions withDType(DType value) {
        return new NormOptions(eps, affine, momentum, value);
    }
}
