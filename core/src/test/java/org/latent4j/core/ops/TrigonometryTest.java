package org.latent4j.core.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.latent4j.core.testing.TensorAssert.assertClose;
import static org.latent4j.core.testing.TensorAssert.assertGradients;
import static org.latent4j.core.testing.TensorAssert.assertSecondOrderGradients;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.Fixtures;

class TrigonometryTest {
    private static final Fixtures FIX = Fixtures.load("trigonometry");

    private static UnaryOperator<Tensor> op(String name) {
        return name.equals("sin") ? Trigonometry::sin : Trigonometry::cos;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sin", "cos"})
    void matchesPyTorchForwardAndBackward(String name) {
        FixtureCheck.assertMatchesPyTorch(FIX.get(name), xs -> op(name).apply(xs[0]));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sin", "cos"})
    void passesFirstAndSecondOrderGradCheck(String name) {
        Tensor x = FIX.get(name).tensor("x");
        assertGradients(xs -> op(name).apply(xs[0]), x);
        assertSecondOrderGradients(xs -> op(name).apply(xs[0]), x);
    }

    @Test
    void float32KeepsItsDtype() {
        Tensor y = Trigonometry.sin(Tensor.of(new float[] {0f, (float) (Math.PI / 2)}, 2));
        assertClose(Tensor.of(new float[] {0f, 1f}, 2), y, 1e-6, 1e-6);
    }

    @Test
    void integerInputIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trigonometry.cos(Tensor.ofLongs(new long[] {1, 2}, 2)));
        assertEquals("cos: needs a floating-point tensor, got int64 of shape (2,)", e.getMessage());
    }
}
