package org.latent4j.core.nn;

import org.latent4j.core.tensor.Tensor;

/**
 * A module whose forward maps one tensor to one tensor, so it can be chained in a {@link Sequential} or
 * passed where an activation is expected. Modules with other inputs define their own typed forward.
 */
public abstract class Layer extends Module {
    public abstract Tensor forward(Tensor x);
}
