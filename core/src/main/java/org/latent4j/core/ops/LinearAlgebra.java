package org.latent4j.core.ops;

import java.util.Arrays;
import org.latent4j.core.autograd.Graph;
import org.latent4j.core.kernels.Kernels;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Matrix products and other linear algebra. */
public final class LinearAlgebra {
    private LinearAlgebra() {
    }

    /**
     * Matrix product over the last two axes, with the leading (batch) axes broadcast as in NumPy:
     * (…, n, k) @ (…, k, m) → (…, n, m). Rank-1 operands are treated as PyTorch does.
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        if (a.rank() == 0 || b.rank() == 0) {
            throw new IllegalArgumentException("matmul: " + Shape.format(a.shape()) + " x " + Shape.format(b.shape())
                    + ": scalars are not matrices; use mul");
        }
        if (a.rank() == 1) {
            Tensor r = matmul(Shapes.reshape(a, 1, a.size(0)), b);
            long[] s = r.shape();
            long[] squeezed = new long[s.length - 1];
            System.arraycopy(s, 0, squeezed, 0, s.length - 2);
            squeezed[s.length - 2] = s[s.length - 1];
            return Shapes.reshape(r, squeezed);
        }
        if (b.rank() == 1) {
            Tensor r = matmul(a, Shapes.reshape(b, b.size(0), 1));
            long[] s = r.shape();
            return Shapes.reshape(r, Arrays.copyOf(s, s.length - 1));
        }
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException("matmul: dtypes differ (" + a.dtype() + " and " + b.dtype() + ")");
        }
        long[] as = a.shape();
        long[] bs = b.shape();
        long n = as[as.length - 2];
        long k = as[as.length - 1];
        long k2 = bs[bs.length - 2];
        long m = bs[bs.length - 1];
        if (k != k2) {
            throw new IllegalArgumentException("matmul: " + Shape.format(as) + " x " + Shape.format(bs)
                    + ": inner dimensions " + k + " and " + k2 + " differ");
        }
        long[] batch = Shape.broadcast("matmul", Arrays.copyOf(as, as.length - 2), Arrays.copyOf(bs, bs.length - 2));
        Tensor ea = a.rank() - 2 == batch.length && Arrays.equals(Arrays.copyOf(as, as.length - 2), batch)
                ? a : Shapes.expand(a, concat(batch, n, k));
        Tensor eb = b.rank() - 2 == batch.length && Arrays.equals(Arrays.copyOf(bs, bs.length - 2), batch)
                ? b : Shapes.expand(b, concat(batch, k, m));
        INDArray out = Nd4j.createUninitialized(a.value().dataType(), concat(batch, n, m));
        Kernels.matmul(ea.value(), eb.value(), out);
        return Graph.record("matmul", out, g -> new Tensor[] {
            // dA = g @ Bᵀ, dB = Aᵀ @ g, summed back over broadcast batch axes
            ea.requiresGrad() ? matmul(g, Shapes.transpose(eb, -1, -2)) : null,
            eb.requiresGrad() ? matmul(Shapes.transpose(ea, -1, -2), g) : null
        }, ea, eb);
    }

    static long[] concat(long[] head, long... tail) {
        long[] out = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }
}
