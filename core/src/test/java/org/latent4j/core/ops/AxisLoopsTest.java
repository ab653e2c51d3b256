package org.latent4j.core.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.latent4j.core.testing.TensorAssert.assertClose;
import static org.latent4j.core.testing.TensorAssert.uniform;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/** cumsum and flip in float32 (the Java loops) against float64 (ND4J's ops), values and gradients, every axis. */
class AxisLoopsTest {
    private static void agree(String name, long[] shape, UnaryOperator<Tensor> op) {
        Tensor x64 = uniform(new Rng(21), -1, 1, shape);
        Tensor r64 = uniform(new Rng(22), -1, 1, shape);
        Tensor x32 = x64.to(DType.FLOAT32).requireGrad();
        Tensor y32 = op.apply(x32);
        y32.mul(r64.to(DType.FLOAT32)).sum().backward();
        Tensor xr = x32.detach().to(DType.FLOAT64).requireGrad();
        Tensor y64 = op.apply(xr);
        y64.mul(r64).sum().backward();
        assertArrayEquals(shape, y32.shape(), name);
        assertClose(y64, y32.detach().to(DType.FLOAT64), 1e-5, 1e-5);
        assertClose(xr.grad(), x32.grad().to(DType.FLOAT64), 1e-5, 1e-5);
    }

    @Test
    void cumsumAlongEveryAxis() {
        long[] shape = {3, 4, 1, 7};
        for (int axis = -4; axis < 4; axis++) {
            int a = axis;
            agree("cumsum " + a, shape, x -> Reductions.cumsum(x, a));
        }
        agree("cumsum of a vector", new long[] {1000}, x -> Reductions.cumsum(x, 0));
    }

    @Test
    void flipAlongOneOrSeveralAxes() {
        long[] shape = {3, 4, 1, 7};
        for (int axis = 0; axis < 4; axis++) {
            int a = axis;
            agree("flip " + a, shape, x -> Shapes.flip(x, a));
        }
        agree("flip 0,3", shape, x -> Shapes.flip(x, 0, 3));
        agree("flip 3,1,0", shape, x -> Shapes.flip(x, 3, 1, 0));
        agree("flip of a vector", new long[] {9}, x -> Shapes.flip(x, 0));
    }

    @Test
    void emptyArraysStayEmpty() {
        Tensor x = Tensor.zeros(DType.FLOAT32, 2, 0, 3);
        assertArrayEquals(new long[] {2, 0, 3}, Reductions.cumsum(x, 2).shape());
        assertArrayEquals(new long[] {2, 0, 3}, Shapes.flip(x, 1, 2).shape());
    }
}
