package org.latent4j.flow;

import org.latent4j.core.ops.Elementwise;
import org.latent4j.core.ops.Random;
import org.latent4j.core.tensor.Tensor;

/**
 * Uniform dequantization of discrete data and bits per dimension (Theis et al. 2016; Dinh et al. 2016). Data
 * with {@code levels} integer values k ∈ {0, …, levels−1} become {@code y = (k + u)/levels}, u ~ U[0, 1)^D, a
 * continuous variable in [0, 1)^D. Because each k owns a cube of side 1/levels,
 * <pre>  log P(k) ≥ E_u[log p(y)] − D·log(levels),</pre>
 * so a flow's density on y gives an upper bound on the discrete negative log-likelihood; reported per
 * dimension in bits, {@code bpd = (−log p(y) + D·log levels) / (D·ln 2)}.
 */
public final class Dequantization {
    private Dequantization() {
    }

    /**
     * {@code (k + u)/levels} for integer-valued data k given on the scale [0, 1] as {@code k/(levels−1)} (how
     * {@link org.latent4j.core.data.Digits} stores its 0–16 intensities: intensity/16, levels = 17).
     */
    public static Tensor uniform(Tensor unitScaled, int levels, org.latent4j.core.tensor.Rng rng) {
        if (levels < 2) {
            throw new IllegalArgumentException("Dequantization.uniform: levels must be at least 2, got " + levels);
        }
        Tensor k = Elementwise.mul(unitScaled, levels - 1.0);
        Tensor u = Random.rand(rng, unitScaled.dtype(), unitScaled.shape());
        return Elementwise.mul(Elementwise.add(k, u), 1.0 / levels);
    }

    /**
     * Bits per dimension of a mean log-density {@code logProbNats} of dequantized data in [0, 1)^D with
     * {@code levels} levels per entry.
     */
    public static double bitsPerDim(double logProbNats, long dims, int levels) {
        if (dims <= 0 || levels < 2) {
            throw new IllegalArgumentException("Dequantization.bitsPerDim: dims must be positive and levels at least 2,"
                    + " got " + dims + ", " + levels);
        }
        return (-logProbNats + dims * Math.log(levels)) / (dims * Math.log(2));
    }
}
