package org.latent4j.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.latent4j.core.testing.TensorAssert.assertClose;
import static org.latent4j.core.testing.TensorAssert.assertGradients;
import static org.latent4j.core.testing.TensorAssert.assertSecondOrderGradients;
import static org.latent4j.core.testing.TensorAssert.uniform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.Fixtures;

class SoftmaxTest {
    private static final Fixtures FIX = Fixtures.load("softmax");

    private static Tensor apply(String name, Tensor x, int axis) {
        return name.startsWith("log_") ? Softmax.logSoftmax(x, axis) : Softmax.softmax(x, axis);
    }

    @ParameterizedTest
    @ValueSource(strings = {"softmax_axis1", "softmax_last", "log_softmax_axis0", "log_softmax_last"})
    void matchesPyTorchForwardAndBackward(String name) {
        Fixtures.Case c = FIX.get(name);
        Tensor x = c.tensor("x").requireGrad();
        Tensor out = apply(name, x, (int) c.number("axis"));
        assertClose(c.tensor("out"), out);
        out.mul(c.tensor("w")).sum().backward();
        assertClose(c.tensor("grad_x"), x.grad());
    }

    @ParameterizedTest
    @ValueSource(strings = {"softmax_axis1", "softmax_last", "log_softmax_axis0", "log_softmax_last"})
    void passesGradCheckIncludingSecondOrder(String name) {
        Fixtures.Case c = FIX.get(name);
        int axis = (int) c.number("axis");
        assertGradients(xs -> apply(name, xs[0], axis), c.tensor("x"));
        Tensor small = uniform(new Rng(7), -2, 2, 2, 2);
        assertSecondOrderGradients(xs -> apply(name, xs[0], axis), small);
    }

    @Test
    void largeLogitsStayFiniteAndFloat32AgreesWithFloat64() {
        Tensor x = Tensor.of(new double[] {1000, 0, -1000, 5, 5, 5}, 2, 3);
        assertClose(Tensor.of(new double[] {1, 0, 0, 1 / 3.0, 1 / 3.0, 1 / 3.0}, 2, 3), Softmax.softmax(x, 1));
        double l3 = -Math.log(3);
        assertClose(Tensor.of(new double[] {0, -1000, -2000, l3, l3, l3}, 2, 3), Softmax.logSoftmax(x, 1));
        Tensor f = Softmax.logSoftmax(x.to(DType.FLOAT32), -1);
        assertEquals(DType.FLOAT32, f.dtype());
        assertClose(Softmax.logSoftmax(x, -1), f.to(DType.FLOAT64), 1e-6, 1e-4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"softmax_axis1", "log_softmax_axis0"})
    void rawAndRecordedBackwardAgree(String name) {
        Fixtures.Case c = FIX.get(name);
        int axis = (int) c.number("axis");
        CreateModeGradients.assertMatchRawBackward(xs -> apply(name, xs[0], axis), c.tensor("x"));
    }

    @Test
    void badInputsFailWithClearMessages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Softmax.softmax(Tensor.zeros(2, 3), 2));
        assertEquals("softmax: axis 2 is out of range for rank 2", e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> Softmax.logSoftmax(Tensor.ofLongs(new long[] {1, 2}, 2), 0));
        assertEquals("logSoftmax: needs a floating-point tensor, got int64", e2.getMessage());
        try (var ng = GradMode.noGrad()) {
            assertEquals(1.0, Softmax.softmax(Tensor.zeros(4), 0).sum().item(), 1e-6);
        }
    }
}
