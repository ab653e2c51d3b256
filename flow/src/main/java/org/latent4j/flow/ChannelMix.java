package org.latent4j.flow;

import org.latent4j.core.ops.LinearAlgebra;
import org.latent4j.core.ops.Shapes;
import org.latent4j.core.tensor.Tensor;

/** Multiplies axis 1 of (B, C) or (B, C, H, W) by a (C, C) matrix: a 1×1 convolution without bias. */
final class ChannelMix {
    private ChannelMix() {
    }

    /** {@code z[b, :, h, w] = W · x[b, :, h, w]}. */
    static Tensor apply(Tensor x, Tensor w) {
        if (x.rank() == 2) {
            return LinearAlgebra.linear(x, w, null);                   // (B, C)·Wᵀ
        }
        int last = x.rank() - 1;
        int[] toLast = new int[x.rank()];
        int[] back = new int[x.rank()];
        toLast[0] = 0;
        for (int i = 1; i < last; i++) {
            toLast[i] = i + 1;
        }
        toLast[last] = 1;                                              // (B, H, W, C)
        for (int i = 0; i < toLast.length; i++) {
            back[toLast[i]] = i;
        }
        Tensor moved = Shapes.permute(x, toLast);                       // (B, H, W, C)
        return Shapes.permute(LinearAlgebra.linear(moved, w, null), back); // (B, C, H, W)
    }

    /** A random orthogonal (n, n) matrix, row-major: Gram–Schmidt on a Gaussian matrix. */
    static double[] randomOrthogonal(int n, org.latent4j.core.tensor.Rng rng) {
        double[] q = new double[n * n];
        for (int i = 0; i < q.length; i++) {
            q[i] = rng.nextGaussian();
        }
        for (int r = 0; r < n; r++) {
            for (int p = 0; p < r; p++) {
                double dot = 0;
                for (int k = 0; k < n; k++) {
                    dot += q[r * n + k] * q[p * n + k];
                }
                for (int k = 0; k < n; k++) {
                    q[r * n + k] -= dot * q[p * n + k];
                }
            }
            double norm = 0;
            for (int k = 0; k < n; k++) {
                norm += q[r * n + k] * q[r * n + k];
            }
            norm = Math.sqrt(norm);
            for (int k = 0; k < n; k++) {
                q[r * n + k] /= norm;
            }
        }
        return q;
    }
}
