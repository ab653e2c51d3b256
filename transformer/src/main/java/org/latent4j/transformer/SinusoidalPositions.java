package org.latent4j.transformer;

import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Tensor;

/**
 * The fixed position encoding of "Attention Is All You Need" (Vaswani et al., 2017):
 * {@code PE[p, 2i] = sin(p / 10000^(2i/d))}, {@code PE[p, 2i+1] = cos(p / 10000^(2i/d))}, added to the token
 * embeddings. Nothing is trained, so it extends to positions never seen in training.
 */
public final class SinusoidalPositions {
    private static final double BASE = 10000.0;

    private SinusoidalPositions() {
    }

    /** Rows {@code start .. start+length-1} of the table, shape (length, dim). */
    public static Tensor table(long start, int length, int dim, DType dtype) {
        if (start < 0 || length <= 0 || dim <= 0 || dim % 2 != 0) {
            throw new IllegalArgumentException("SinusoidalPositions: need start >= 0, length > 0 and an even dim > 0; "
                    + "got start " + start + ", length " + length + ", dim " + dim);
        }
        double[] t = new double[length * dim];
        for (int p = 0; p < length; p++) {
            for (int i = 0; i < dim / 2; i++) {
                double angle = (start + p) / Math.pow(BASE, 2.0 * i / dim);
                t[p * dim + 2 * i] = Math.sin(angle);
                t[p * dim + 2 * i + 1] = Math.cos(angle);
            }
        }
        Tensor table = Tensor.of(t, length, dim);
        return dtype == DType.FLOAT64 ? table : table.to(dtype);
    }
}
