package org.latent4j.transformer;

import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * Rotary position embedding (RoPE, Su et al., 2021), in the "rotate half" arrangement of GPT-NeoX and LLaMA:
 * channel {@code i} and channel {@code i + d/2} of each query and key form a pair rotated by the angle
 * {@code p · θ_i}, {@code θ_i = base^(-2i/d)}, for position {@code p}:
 * {@code x' = x ⊙ cos + rotateHalf(x) ⊙ sin} with {@code rotateHalf([a, b]) = [−b, a]}. The dot product of a
 * rotated query and key then depends only on their distance. {@code rotateHalf} is a fixed (d, d) signed
 * permutation applied as a matmul, so the rule is differentiable through core ops alone.
 */
public final class RotaryEmbedding {
    private final int dim;
    private final double base;

    /** For heads of {@code dim} channels (even), with the usual base 10000. */
    public RotaryEmbedding(int dim) {
        this(dim, 10000.0);
    }

    public RotaryEmbedding(int dim, double base) {
        if (dim <= 0 || dim % 2 != 0) {
            throw new IllegalArgumentException("RotaryEmbedding: dim must be even and positive, got " + dim);
        }
        if (!(base > 1)) {
            throw new IllegalArgumentException("RotaryEmbedding: base must be > 1, got " + base);
        }
        this.dim = dim;
        this.base = base;
    }

    /** Rotates {@code x} of shape (..., T, dim) whose rows stand at positions {@code start .. start+T-1}. */
    public Tensor apply(Tensor x, long start) {
        if (x.rank() < 2 || x.size(-1) != dim) {
            throw new IllegalArgumentException("RotaryEmbedding: input " + Shape.format(x.shape())
                    + " must be (..., T, " + dim + ")");
        }
        int t = (int) x.size(-2);
        double[] cos = new double[t * dim];
        double[] sin = new double[t * dim];
        int half = dim / 2;
        for (int p = 0; p < t; p++) {
            for (int i = 0; i < half; i++) {
                double angle = (start + p) * Math.pow(base, -2.0 * i / dim);
                cos[p * dim + i] = cos[p * dim + i + half] = Math.cos(angle);
                sin[p * dim + i] = sin[p * dim + i + half] = Math.sin(angle);
            }
        }
        double[] r = new double[dim * dim];
        for (int j = 0; j < half; j++) {
            r[(j + half) * dim + j] = -1;   // out[j] = −x[j + d/2]
            r[j * dim + j + half] = 1;      // out[j + d/2] = x[j]
        }
        DType dtype = x.dtype();
        Tensor rotated = x.matmul(cast(Tensor.of(r, dim, dim), dtype));   // (..., T, d) @ (d, d)
        return x.mul(cast(Tensor.of(cos, t, dim), dtype)).add(rotated.mul(cast(Tensor.of(sin, t, dim), dtype)));
    }

    private static Tensor cast(Tensor t, DType dtype) {
        return dtype == DType.FLOAT64 ? t : t.to(dtype);
    }

    public int dim() {
        return dim;
    }
}
