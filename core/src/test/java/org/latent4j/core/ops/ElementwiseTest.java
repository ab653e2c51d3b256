package org.latent4j.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.latent4j.core.testing.TensorAssert.assertClose;
import static org.latent4j.core.testing.TensorAssert.assertGradients;
import static org.latent4j.core.testing.TensorAssert.assertSecondOrderGradients;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.Fixtures;

class ElementwiseTest {
    private static final Fixtures FIX = Fixtures.load("elementwise");

    /** The op of a fixture case, applied to its inputs (x, and y for binary ops). */
    private static Function<Tensor[], Tensor> op(Fixtures.Case c) {
        switch (c.name()) {
            case "exp": return xs -> Elementwise.exp(xs[0]);
            case "log": return xs -> Elementwise.log(xs[0]);
            case "sqrt": return xs -> Elementwise.sqrt(xs[0]);
            case "rsqrt": return xs -> Elementwise.rsqrt(xs[0]);
            case "abs": return xs -> Elementwise.abs(xs[0]);
            case "square": return xs -> Elementwise.square(xs[0]);
            case "reciprocal": return xs -> Elementwise.reciprocal(xs[0]);
            case "pow_scalar": return xs -> Elementwise.pow(xs[0], c.number("c"));
            case "pow_tensor": return xs -> Elementwise.pow(xs[0], xs[1]);
            case "clamp": return xs -> Elementwise.clamp(xs[0], c.number("min"), c.number("max"));
            case "maximum": return xs -> Elementwise.maximum(xs[0], xs[1]);
            case "minimum": return xs -> Elementwise.minimum(xs[0], xs[1]);
            case "where": return xs -> Elementwise.where(c.longs("cond"), xs[0], xs[1]);
            case "masked_fill": return xs -> Elementwise.maskedFill(xs[0], c.longs("mask"), c.number("value"));
            default: throw new IllegalArgumentException(c.name());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"exp", "log", "sqrt", "rsqrt", "abs", "square", "reciprocal", "pow_scalar", "pow_tensor",
        "clamp", "maximum", "minimum", "where", "masked_fill"})
    void matchesPyTorchForwardAndBackward(String name) {
        Fixtures.Case c = FIX.get(name);
        FixtureCheck.assertMatchesPyTorch(c, op(c));
    }

    @ParameterizedTest
    @ValueSource(strings = {"exp", "log", "sqrt", "rsqrt", "abs", "square", "reciprocal", "pow_scalar", "pow_tensor",
        "clamp", "maximum", "minimum", "where", "masked_fill"})
    void passesFirstAndSecondOrderGradCheck(String name) {
        Fixtures.Case c = FIX.get(name);
        assertGradients(op(c), FixtureCheck.inputs(c));
        assertSecondOrderGradients(op(c), FixtureCheck.inputs(c));
    }

    @Test
    void tiesSplitTheGradientAsPyTorchDoes() {
        Tensor a = Tensor.of(new double[] {1, 2, 3}, 3).requireGrad();
        Tensor b = Tensor.of(new double[] {1, 1, 4}, 3).requireGrad();
        Elementwise.maximum(a, b).sum().backward();
        assertClose(Tensor.of(new double[] {0.5, 1, 0}, 3), a.grad());
        assertClose(Tensor.of(new double[] {0.5, 0, 1}, 3), b.grad());
    }

    @Test
    void powWithZeroBaseHasFiniteExponentGradient() {
        Tensor a = Tensor.of(new double[] {0, 2}, 2);
        Tensor b = Tensor.of(new double[] {2, 3}, 2).requireGrad();
        Elementwise.pow(a, b).sum().backward();
        assertClose(Tensor.of(new double[] {0, 8 * Math.log(2)}, 2), b.grad());
    }

    @Test
    void maskedFillWritesInfinityWithoutTouchingOtherValues() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor mask = Tensor.ofLongs(new long[] {0, 1}, 2);
        Tensor out = Elementwise.maskedFill(x, mask, Double.NEGATIVE_INFINITY);
        assertEquals(DType.FLOAT32, out.dtype());
        float[] v = out.toFloatArray();
        assertEquals(1f, v[0]);
        assertEquals(Float.NEGATIVE_INFINITY, v[1]);
        assertEquals(3f, v[2]);
        assertEquals(Float.NEGATIVE_INFINITY, v[3]);
    }

    @Test
    void unaryOpsKeepFloat32() {
        Tensor x = Tensor.of(new float[] {0.5f, 1.5f}, 2);
        assertEquals(DType.FLOAT32, Elementwise.sqrt(x).dtype());
        assertEquals(DType.FLOAT32, Elementwise.pow(x, 3).dtype());
        assertEquals(DType.FLOAT32, Elementwise.clamp(x, 0, 1).dtype());
    }

    @Test
    void badInputsFailWithMessagesNamingTheOp() {
        Tensor ints = Tensor.ofLongs(new long[] {1, 2}, 2);
        assertEquals("exp: needs a floating-point tensor, got int64 of shape (2,)",
                assertThrows(IllegalArgumentException.class, () -> Elementwise.exp(ints)).getMessage());
        Tensor x = Tensor.zeros(2, 3);
        assertEquals("clamp: min 1.0 must not exceed max 0.0",
                assertThrows(IllegalArgumentException.class, () -> Elementwise.clamp(x, 1, 0)).getMessage());
        assertEquals("maskedFill: mask (2,2,3) does not broadcast to the input's shape (2,3)",
                assertThrows(IllegalArgumentException.class,
                        () -> Elementwise.maskedFill(x, Tensor.zeros(2, 2, 3), 0)).getMessage());
        assertEquals("where: dtypes differ (float32 and float64); convert one with .to(dtype)",
                assertThrows(IllegalArgumentException.class,
                        () -> Elementwise.where(Tensor.ones(2, 3), x, Tensor.zeros(DType.FLOAT64, 2, 3))).getMessage());
        assertEquals("maximum: shapes (2,3) and (4,) do not broadcast (dimension 1: 3 vs 4)",
                assertThrows(IllegalArgumentException.class,
                        () -> Elementwise.maximum(x, Tensor.zeros(4))).getMessage());
    }
}
