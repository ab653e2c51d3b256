package org.latent4j.diffusion;

import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * The sinusoidal embedding of a diffusion step (Vaswani et al.'s position encoding applied to t, as in Ho et
 * al. 2020 and guided-diffusion's {@code timestep_embedding}): for {@code half = dim/2} frequencies
 * {@code f_j = 10000^(−j/half)}, {@code emb(t) = [cos(t·f_0), …, cos(t·f_{half−1}), sin(t·f_0), …]}.
 * Steps are inputs, not parameters, so the result is a constant of the graph.
 */
public final class TimeEmbedding {
    public static final double MAX_PERIOD = 10_000;

    private TimeEmbedding() {
    }

    /** int64 steps (B) → (B, dim) of {@code dtype}; {@code dim} must be even. */
    public static Tensor sinusoidal(Tensor t, int dim, DType dtype) {
        if (dim < 2 || dim % 2 != 0) {
            throw new IllegalArgumentException("TimeEmbedding: dim must be even and at least 2, got " + dim);
        }
        if (t.rank() != 1 || t.dtype() != DType.INT64) {
            throw new IllegalArgumentException("TimeEmbedding: steps must be int64 (B), got " + t.dtype() + " "
                    + Shape.format(t.shape()));
        }
        long[] steps = t.toLongArray();
        int half = dim / 2;
        double[] emb = new double[steps.length * dim];
        for (int b = 0; b < steps.length; b++) {
            for (int j = 0; j < half; j++) {
                double angle = steps[b] * Math.exp(-Math.log(MAX_PERIOD) * j / half);
                emb[b * dim + j] = Math.cos(angle);
                emb[b * dim + half + j] = Math.sin(angle);
            }
        }
        Tensor out = Tensor.of(emb, steps.length, dim);                                           // (B, dim)
        return dtype == DType.FLOAT64 ? out : out.to(dtype);
    }
}
