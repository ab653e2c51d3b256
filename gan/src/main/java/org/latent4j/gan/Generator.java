package org.latent4j.gan;

import org.latent4j.core.nn.Layer;
import org.latent4j.core.ops.Random;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * A GAN generator G: maps latent codes z ~ N(0, I) of shape (N, latentDim) to samples. {@link #forward} is
 * differentiable in z and in the parameters; {@link #sample} draws the codes too.
 */
public abstract class Generator extends Layer {
    private final int latentDim;
    private final DType dtype;

    protected Generator(int latentDim, DType dtype) {
        this.latentDim = latentDim;
        this.dtype = dtype;
    }

    /** Size of the latent code z. */
    public final int latentDim() {
        return latentDim;
    }

    /** The dtype of the parameters (and of the codes {@link #sample} draws). */
    public final DType dtype() {
        return dtype;
    }

    /** (N, latentDim) codes → (N, …) samples. */
    @Override
    public abstract Tensor forward(Tensor z);

    /** z ~ N(0, I) of shape (n, latentDim), drawn from {@code rng}. */
    public final Tensor latent(Rng rng, int n) {
        if (n < 1) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".latent: n must be positive, got " + n);
        }
        return Random.randn(rng, dtype(), n, latentDim());
    }

    /** {@code n} samples G(z) with fresh codes (part of the graph when grad mode is on). */
    public final Tensor sample(Rng rng, int n) {
        return forward(latent(rng, n));
    }

    /** Checks that {@code z} is (N, latentDim). */
    protected final void checkLatent(Tensor z) {
        if (z.rank() != 2 || z.size(1) != latentDim()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": latent z must be (N, " + latentDim()
                    + "), got " + org.latent4j.core.tensor.Shape.format(z.shape()));
        }
    }
}
