package org.latent4j.core.nn;

import org.latent4j.core.tensor.Tensor;

/** Returns its input unchanged: a placeholder where a layer is optional (no normalization, no projection). */
public final class Identity extends Layer {
    @Override
    public Tensor forward(Tensor x) {
        return x;
    }
}
