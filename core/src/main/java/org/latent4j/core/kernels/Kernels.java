package org.latent4j.core.kernels;

import org.latent4j.core.tensor.Shape;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The seam under the hot ops. Each method computes into a preallocated output with the implementation
 * measured fastest for it on the current backend (see {@code docs/benchmarks.md}); ops never call ND4J's
 * heavy kernels directly.
 */
public final class Kernels {
    private Kernels() {
    }

    /**
     * {@code out = a @ b} over the last two axes, with equal leading (batch) axes. ND4J's {@code Mmul}
     * custom op into a preallocated output is the oneDNN build's fast path (~450 GFLOPS for 2-D); the
     * allocating {@code INDArray.mmul} takes the old OpenBLAS path at a quarter of that.
     */
    public static void matmul(INDArray a, INDArray b, INDArray out) {
        Nd4j.exec(new Mmul(contiguous(a), contiguous(b), out, null));
    }

    /** A c-ordered array with the same values: the array itself when it already is one. */
    public static INDArray contiguous(INDArray x) {
        if (x.ordering() == 'c' && !x.isView()) {
            return x;
        }
        return x.dup('c');
    }

    static String shapes(INDArray a, INDArray b) {
        return Shape.format(a.shape()) + " x " + Shape.format(b.shape());
    }
}
