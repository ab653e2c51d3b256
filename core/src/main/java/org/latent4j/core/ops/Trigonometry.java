package org.latent4j.core.ops;

import org.latent4j.core.autograd.Graph;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Cos;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sin;

/**
 * Sine and cosine, elementwise (Fourier features, positional encodings). Each one's backward is written with
 * the other, so both can be differentiated again: d sin x = cos x dx, d cos x = −sin x dx.
 */
public final class Trigonometry {
    private Trigonometry() {
    }

    /** sin x. */
    public static Tensor sin(Tensor x) {
        INDArray out = Elementwise.like("sin", x);
        Nd4j.exec(new Sin(x.value(), out));
        return Graph.record("sin", out, g -> new Tensor[] {Elementwise.mul(g, cos(x))}, x);
    }

    /** cos x. */
    public static Tensor cos(Tensor x) {
        INDArray out = Elementwise.like("cos", x);
        Nd4j.exec(new Cos(x.value(), out));
        return Graph.record("cos", out, g -> new Tensor[] {Elementwise.neg(Elementwise.mul(g, sin(x)))}, x);
    }
}
