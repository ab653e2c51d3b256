package org.latent4j.flow;

import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Tensor;

/**
 * Binary masks for {@link AffineCoupling}: 1 marks the entries that pass through unchanged and condition the
 * rest. Alternating the parity between layers lets every entry be transformed (Dinh et al. 2016, §3.4).
 */
public final class Masks {
    private Masks() {
    }

    /** (dim): 1 at even indices for parity 0, at odd indices for parity 1. */
    public static Tensor alternating(int dim, int parity, DType dtype) {
        check("alternating", parity, dim);
        double[] m = new double[dim];
        for (int i = 0; i < dim; i++) {
            m[i] = (i + parity) % 2 == 0 ? 1 : 0;
        }
        return Tensor.of(m, dim).to(dtype);
    }

    /** (dim): 1 on the first half (parity 0) or on the second half (parity 1); the halves differ by one at odd dim. */
    public static Tensor halves(int dim, int parity, DType dtype) {
        check("halves", parity, dim);
        double[] m = new double[dim];
        for (int i = 0; i < dim; i++) {
            m[i] = (i < dim / 2) == (parity == 0) ? 1 : 0;
        }
        return Tensor.of(m, dim).to(dtype);
    }

    /** (channels, height, width): a checkerboard, 1 where (row + column + parity) is even. */
    public static Tensor checkerboard(int channels, int height, int width, int parity, DType dtype) {
        check("checkerboard", parity, channels * height * width);
        double[] m = new double[channels * height * width];
        for (int c = 0; c < channels; c++) {
            for (int r = 0; r < height; r++) {
                for (int q = 0; q < width; q++) {
                    m[(c * height + r) * width + q] = (r + q + parity) % 2 == 0 ? 1 : 0;
                }
            }
        }
        return Tensor.of(m, channels, height, width).to(dtype);
    }

    /** (channels, height, width): 1 on the first half of the channels (parity 0) or the second (parity 1). */
    public static Tensor channels(int channels, int height, int width, int parity, DType dtype) {
        if (channels < 2) {
            throw new IllegalArgumentException("Masks.channels: needs at least 2 channels, got " + channels);
        }
        check("channels", parity, channels * height * width);
        double[] m = new double[channels * height * width];
        for (int c = 0; c < channels; c++) {
            double v = (c < channels / 2) == (parity == 0) ? 1 : 0;
            java.util.Arrays.fill(m, c * height * width, (c + 1) * height * width, v);
        }
        return Tensor.of(m, channels, height, width).to(dtype);
    }

    private static void check(String op, int parity, int size) {
        if (parity != 0 && parity != 1) {
            throw new IllegalArgumentException("Masks." + op + ": parity must be 0 or 1, got " + parity);
        }
        if (size < 2) {
            throw new IllegalArgumentException("Masks." + op + ": needs at least 2 entries, got " + size);
        }
    }
}
