package org.latent4j.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.latent4j.core.testing.TensorAssert.assertClose;
import static org.latent4j.core.testing.TensorAssert.assertGradients;
import static org.latent4j.core.testing.TensorAssert.assertSecondOrderGradients;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.Fixtures;

class ActivationsTest {
    private static final Fixtures FIX = Fixtures.load("activations");

    private static UnaryOperator<Tensor> op(String name) {
        switch (name) {
            case "relu": return Activations::relu;
            case "leaky_relu": return x -> Activations.leakyRelu(x, 0.1);
            case "gelu": return Activations::gelu;
            case "gelu_tanh": return Activations::geluTanh;
            case "silu": return Activations::silu;
            case "sigmoid": return Activations::sigmoid;
            case "tanh": return Activations::tanh;
            case "softplus": case "softplus_extremes": return Activations::softplus;
            case "elu": return x -> Activations.elu(x, 0.8);
            default: throw new IllegalArgumentException(name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"relu", "leaky_relu", "gelu", "gelu_tanh", "silu", "sigmoid", "tanh", "softplus", "elu"})
    void matchesPyTorchForwardAndBackward(String name) {
        FixtureCheck.assertMatchesPyTorch(FIX.get(name), xs -> op(name).apply(xs[0]));
    }

    @ParameterizedTest
    @ValueSource(strings = {"relu", "leaky_relu", "gelu", "gelu_tanh", "silu", "sigmoid", "tanh", "softplus", "elu"})
    void passesFirstAndSecondOrderGradCheck(String name) {
        Tensor x = FIX.get(name).tensor("x");
        assertGradients(xs -> op(name).apply(xs[0]), x);
        assertSecondOrderGradients(xs -> op(name).apply(xs[0]), x);
    }

    @Test
    void softplusNeitherOverflowsNorUnderflows() {
        Fixtures.Case c = FIX.get("softplus_extremes");
        Tensor x = c.tensor("x").requireGrad();
        Tensor out = Activations.softplus(x);
        // ND4J's log1p is log(1 + y): below x ≈ −37 the result (< 1e-16) rounds to 0, an absolute error only
        assertClose(c.tensor("out"), out, 1e-12, 1e-15);
        out.sum().backward();
        assertClose(c.tensor("grad_x"), x.grad(), 1e-12, 0);
        float[] f = Activations.softplus(Tensor.of(new float[] {100f}, 1)).toFloatArray();
        assertEquals(100f, f[0]);
    }

    @Test
    void float32AgreesWithFloat64() {
        Tensor x = FIX.get("gelu").tensor("x");
        for (String name : new String[] {"gelu", "gelu_tanh", "silu", "softplus", "elu"}) {
            Tensor expected = op(name).apply(x);
            Tensor actual = op(name).apply(x.to(DType.FLOAT32));
            assertEquals(DType.FLOAT32, actual.dtype());
            assertClose(expected, actual.to(DType.FLOAT64), 1e-5, 1e-6);
        }
    }

    @Test
    void integerInputIsRejected() {
        Tensor ids = Tensor.ofLongs(new long[] {1, 2, 3}, 3);
        assertEquals("gelu: needs a floating-point tensor, got int64 of shape (3,)",
                assertThrows(IllegalArgumentException.class, () -> Activations.gelu(ids)).getMessage());
    }
}
