package org.latent4j.core.nn;

import org.latent4j.core.tensor.DType;

/**
 * Whether a layer has a bias, and the dtype of its parameters (float32 for training, float64 for gradient
 * checks); shared by {@link Linear} and the convolutions.
 */
public record ParamOptions(boolean bias, DType dtype) {
    public ParamOptions {
        NnChecks.requireFloat("ParamOptions", dtype);
    }

    /** With bias, float32. */
    public static ParamOptions defaults() {
        return new ParamOptions(true, DType.FLOAT32);
    }

    public ParamOptions withoutBias() {
        return new ParamOptions(false, dtype);
    }

    public ParamOptions withDType(DType d) {
        return new ParamOptions(bias, d);
    }
}
