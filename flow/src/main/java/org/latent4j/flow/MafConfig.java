package org.latent4j.flow;

import org.latent4j.core.tensor.DType;

/**
 * A masked autoregressive flow on vectors: {@code layers} {@link MaskedAutoregressive} layers, each a MADE with
 * {@code depth} hidden layers of width {@code hidden}, the feature order reversed between layers.
 */
public record MafConfig(int dim, int layers, int hidden, int depth, double scaleClamp, DType dtype) {
    public MafConfig {
        if (dim < 2) {
            throw new IllegalArgumentException("MafConfig: dim must be at least 2, got " + dim);
        }
        if (layers <= 0 || depth <= 0) {
            throw new IllegalArgumentException("MafConfig: layers and depth must be positive, got " + layers + ", "
                    + depth);
        }
        if (hidden < dim - 1) {
            throw new IllegalArgumentException("MafConfig: hidden must be at least dim − 1 = " + (dim - 1) + ", got "
                    + hidden);
        }
        if (!(scaleClamp > 0) || Double.isInfinite(scaleClamp)) {
            throw new IllegalArgumentException("MafConfig: scaleClamp must be positive and finite, got " + scaleClamp);
        }
        if (dtype != DType.FLOAT32 && dtype != DType.FLOAT64) {
            throw new IllegalArgumentException("MafConfig: dtype must be FLOAT32 or FLOAT64, got " + dtype);
        }
    }

    /** 2-D toy data: 5 layers, MADEs with two hidden layers of 64. */
    public static MafConfig twoD() {
        return new MafConfig(2, 5, 64, 2, 3.0, DType.FLOAT32);
    }

    public MafConfig withDType(DType d) {
        return new MafConfig(dim, layers, hidden, depth, scaleClamp, d);
    }
}
