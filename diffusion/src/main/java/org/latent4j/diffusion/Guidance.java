package org.latent4j.diffusion;

import org.latent4j.core.ops.Shapes;
import org.latent4j.core.tensor.Tensor;

/**
 * Classifier-free guidance (Ho &amp; Salimans 2022): the prediction is pushed away from the unconditional one,
 * {@code ε̃ = ε(x, ∅) + s·(ε(x, c) − ε(x, ∅))}. Scale 1 is the plain conditional model, 0 the unconditional one;
 * larger scales trade diversity for fidelity to the condition. The two predictions come from one forward pass
 * over the batch stacked with its unconditional copy. The model must have been trained with condition dropout
 * ({@link Condition#dropped}) so that it knows ∅.
 */
public final class Guidance {
    private Guidance() {
    }

    /** The guided denoiser; with an empty condition or scale 1 it is the model itself. */
    public static Denoiser classifierFree(Denoiser model, double scale) {
        if (!Double.isFinite(scale)) {
            throw new IllegalArgumentException("Guidance: scale must be finite, got " + scale);
        }
        return (xt, t, condition) -> {
            if (condition.isEmpty() || scale == 1) {
                return model.forward(xt, t, condition);
            }
            long b = xt.size(0);
            Tensor both = model.forward(Shapes.concat(0, xt, xt), Shapes.concat(0, t, t),
                    condition.concat(condition.unconditional()));                // (2B, …)
            Tensor cond = Shapes.slice(both, 0, 0, b);
            Tensor uncond = Shapes.slice(both, 0, b, 2 * b);
            return uncond.add(cond.sub(uncond).mul(scale));
        };
    }
}
