package org.latent4j.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.latent4j.core.testing.TensorAssert.assertClose;
import static org.latent4j.core.testing.TensorAssert.assertGradients;

import org.junit.jupiter.api.Test;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.Fixtures;
import org.latent4j.core.testing.TensorAssert;

class PositionsTest {
    private static final Fixtures F = Fixtures.load("transformer_positions");

    @Test
    void sinusoidalTableMatchesPyTorch() {
        Fixtures.Case c = F.get("sinusoidal");
        assertClose(c.tensor("table"), SinusoidalPositions.table((long) c.number("start"), 4, 8, DType.FLOAT64));
        assertEquals(DType.FLOAT32, SinusoidalPositions.table(0, 2, 4, DType.FLOAT32).dtype());
    }

    @Test
    void ropeForwardAndBackwardMatchPyTorch() {
        Fixtures.Case c = F.get("rope");
        Tensor x = c.tensor("x").requireGrad();
        Tensor y = new RotaryEmbedding(6).apply(x, (long) c.number("start"));
        assertClose(c.tensor("y"), y);
        y.backward(c.tensor("gy"));
        assertClose(c.tensor("gx"), x.grad());
    }

    @Test
    void ropePassesGradCheck() {
        Tensor x = TensorAssert.uniform(new Rng(1), -1, 1, 1, 2, 3, 4);
        assertGradients(xs -> new RotaryEmbedding(4).apply(xs[0], 7), x);
    }

    @Test
    void ropeDotProductsDependOnlyOnDistance() {
        Rng rng = new Rng(2);
        Tensor q = TensorAssert.uniform(rng, -1, 1, 1, 8);
        Tensor k = TensorAssert.uniform(rng, -1, 1, 1, 8);
        RotaryEmbedding rope = new RotaryEmbedding(8);
        double near = rope.apply(q, 5).mul(rope.apply(k, 2)).sum().item();
        double far = rope.apply(q, 105).mul(rope.apply(k, 102)).sum().item();
        assertEquals(near, far, 1e-9);
    }

    @Test
    void badShapesAreRejected() {
        assertEquals("RotaryEmbedding: dim must be even and positive, got 5",
                assertThrows(IllegalArgumentException.class, () -> new RotaryEmbedding(5)).getMessage());
        assertEquals("RotaryEmbedding: input (2,3) must be (..., T, 4)", assertThrows(IllegalArgumentException.class,
                () -> new RotaryEmbedding(4).apply(Tensor.zeros(2, 3), 0)).getMessage());
    }
}
