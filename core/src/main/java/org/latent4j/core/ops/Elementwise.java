package org.latent4j.core.ops;

import org.latent4j.core.autograd.Graph;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Elementwise arithmetic with NumPy broadcasting. Each backward sums the incoming gradient back to its
 * input's shape ({@link Shapes#sumTo}), so a bias added to every row gets the sum over rows.
 */
public final class Elementwise {
    private Elementwise() {
    }

    // ---- binary, broadcasting -----------------------------------------------------------------------

    /** a + b. */
    public static Tensor add(Tensor a, Tensor b) {
        INDArray out = binary("add", new AddOp(), a, b);
        return Graph.record("add", out, g -> new Tensor[] {
            Shapes.sumTo(g, a.shape()),
            Shapes.sumTo(g, b.shape())
        }, a, b);
    }

    /** a − b. */
    public static Tensor sub(Tensor a, Tensor b) {
        INDArray out = binary("sub", new SubOp(), a, b);
        return Graph.record("sub", out, g -> new Tensor[] {
            Shapes.sumTo(g, a.shape()),
            Shapes.sumTo(neg(g), b.shape())
        }, a, b);
    }

    /** a · b. */
    public static Tensor mul(Tensor a, Tensor b) {
        INDArray out = binary("mul", new MulOp(), a, b);
        return Graph.record("mul", out, g -> new Tensor[] {
            a.requiresGrad() ? Shapes.sumTo(mul(g, b), a.shape()) : null,
            b.requiresGrad() ? Shapes.sumTo(mul(g, a), b.shape()) : null
        }, a, b);
    }

    /** a / b. */
    public static Tensor div(Tensor a, Tensor b) {
        INDArray out = binary("div", new DivOp(), a, b);
        return Graph.record("div", out, g -> new Tensor[] {
            a.requiresGrad() ? Shapes.sumTo(div(g, b), a.shape()) : null,
            // d(a/b)/db = −a/b²
            b.requiresGrad() ? Shapes.sumTo(neg(div(mul(g, a), mul(b, b))), b.shape()) : null
        }, a, b);
    }

    static INDArray binary(String op, DynamicCustomOp kernel, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": dtypes differ (" + a.dtype() + " and " + b.dtype()
                    + "); convert one with .to(dtype)");
        }
        long[] shape = Shape.broadcast(op, a.shape(), b.shape());
        INDArray out = Nd4j.createUninitialized(a.value().dataType(), shape);
        kernel.addInputArgument(a.value(), b.value());
        kernel.addOutputArgument(out);
        Nd4j.exec(kernel);
        return out;
    }

    // ---- with a constant ------------------------------------------------------------------------------

    /** a + c. */
    public static Tensor add(Tensor a, double c) {
        INDArray out = a.value().add(c);
        return Graph.record("add_scalar", out, g -> new Tensor[] {g}, a);
    }

    /** a · c. */
    public static Tensor mul(Tensor a, double c) {
        INDArray out = a.value().mul(c);
        return Graph.record("mul_scalar", out, g -> new Tensor[] {mul(g, c)}, a);
    }

    /** −a. */
    public static Tensor neg(Tensor a) {
        INDArray out = a.value().neg();
        return Graph.record("neg", out, g -> new Tensor[] {neg(g)}, a);
    }
}
