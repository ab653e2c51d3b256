package org.latent4j.core.nn;

import java.util.Arrays;
import org.latent4j.core.ops.Normalization;
import org.latent4j.core.tensor.Tensor;

/**
 * Layer normalization (Ba et al., 2016) over the trailing {@code normalizedShape} axes,
 * {@code y = (x − mean) / √(var + eps) · weight + bias}, with PyTorch's parameters {@code weight} (ones) and
 * {@code bias} (zeros) of shape {@code normalizedShape}.
 */
public final class LayerNorm extends Layer {
    private final long[] normalizedShape;
    private final double eps;
    private final Tensor weight;
    private final Tensor bias;

    /** Normalizes over the last axis, of size {@code dim}. */
    public LayerNorm(int dim) {
        this(new long[] {dim}, NormOptions.defaults());
    }

    public LayerNorm(long[] normalizedShape, NormOptions options) {
        if (normalizedShape == null || normalizedShape.length == 0) {
            throw new IllegalArgumentException("LayerNorm: normalizedShape must name at least one axis");
        }
        for (long d : normalizedShape) {
            NnChecks.requirePositive("LayerNorm", "normalizedShape size", d);
        }
        this.normalizedShape = normalizedShape.clone();
        this.eps = options.eps();
        if (options.affine()) {
            weight = registerParameter("weight", Init.ones(allocate(options.dtype(), normalizedShape)));
            bias = registerParameter("bias", allocate(options.dtype(), normalizedShape));
        } else {
            weight = null;
            bias = null;
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        return Normalization.layerNorm(x, normalizedShape, weight, bias, eps);
    }

    @Override
    protected String extraRepr() {
        return Arrays.toString(normalizedShape) + ", eps=" + eps + ", affine=" + (weight != null);
    }
}
