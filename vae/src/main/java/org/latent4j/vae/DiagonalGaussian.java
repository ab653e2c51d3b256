package org.latent4j.vae;

import java.util.Arrays;
import org.latent4j.core.ops.Elementwise;
import org.latent4j.core.ops.Random;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * The encoder's approximate posterior q(z | x) = N(μ, diag(σ²)) for a batch, held as μ and log σ² (both
 * (B, L)). {@link #sample(Tensor)} is the reparameterization trick z = μ + ε·σ: the randomness ε ~ N(0, I) is
 * an input, so gradients flow to μ and log σ² through z.
 */
public record DiagonalGaussian(Tensor mu, Tensor logVar) {
    public DiagonalGaussian {
        if (mu == null || logVar == null) {
            throw new IllegalArgumentException("DiagonalGaussian: mu and logVar must not be null");
        }
        if (mu.rank() != 2 || !Arrays.equals(mu.shape(), logVar.shape())) {
            throw new IllegalArgumentException("DiagonalGaussian: mu " + Shape.format(mu.shape()) + " and logVar "
                    + Shape.format(logVar.shape()) + " must both be (B, L)");
        }
    }

    public long batchSize() {
        return mu.size(0);
    }

    public int latentDim() {
        return (int) mu.size(1);
    }

    /** σ = exp(½ log σ²), (B, L). */
    public Tensor std() {
        return Elementwise.exp(logVar.mul(0.5));
    }

    /**
     * z = μ + ε·σ for noise ε of shape (B, L), or (K, B, L) for K draws per example (then z is (K, B, L)).
     */
    public Tensor sample(Tensor eps) {
        long[] s = eps.shape();
        boolean one = Arrays.equals(s, mu.shape());
        boolean many = s.length == 3 && s[1] == mu.size(0) && s[2] == mu.size(1);
        if (!one && !many) {
            throw new IllegalArgumentException("DiagonalGaussian.sample: eps " + Shape.format(s) + " must be "
                    + Shape.format(mu.shape()) + " or (K, " + mu.size(0) + ", " + mu.size(1) + ")");
        }
        return mu.add(eps.mul(std()));                  // broadcasts (B, L) against (K, B, L)
    }

    /** One draw per example with ε from {@code rng}: (B, L). */
    public Tensor sample(Rng rng) {
        return sample(Random.randn(rng, mu.dtype(), mu.shape()));
    }

    /** log q(z | x) for z (B, L) or (K, B, L), summed over the latent axis: (B) or (K, B). */
    public Tensor logProb(Tensor z) {
        return LogDensity.diagonalGaussian(z, mu, logVar);
    }

    /** KL(q ‖ N(0, I)) per example, in closed form: (B). */
    public Tensor klToStandardNormal() {
        return LogDensity.klToStandardNormal(mu, logVar);
    }
}
