package org.latent4j.core.nn;

import org.latent4j.core.ops.Random;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * Dropout (Srivastava et al., 2014): in training mode each element is zeroed with probability {@code p} and
 * the rest scaled by {@code 1/(1 − p)}; in eval mode the input passes unchanged. The masks come from the
 * {@link Rng} given at construction, so a seeded run drops the same units every time.
 */
public final class Dropout extends Layer {
    private final double p;
    private final Rng rng;

    public Dropout(double p, Rng rng) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Dropout: p must lie in [0, 1], got " + p);
        }
        if (rng == null) {
            throw new IllegalArgumentException("Dropout: rng is null");
        }
        this.p = p;
        this.rng = rng;
    }

    @Override
    public Tensor forward(Tensor x) {
        return isTraining() && p > 0 ? Random.dropout(x, p, rng) : x;
    }

    public double p() {
        return p;
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
