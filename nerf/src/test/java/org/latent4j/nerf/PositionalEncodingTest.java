package org.latent4j.nerf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.latent4j.core.testing.TensorAssert.assertClose;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.latent4j.core.autograd.GradCheck;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.Fixtures;

class PositionalEncodingTest {
    private static final Fixtures FIX = Fixtures.load("nerf");

    private static PositionalEncoding of(Fixtures.Case c) {
        return new PositionalEncoding((int) c.number("frequencies"), c.number("include_input") == 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"encoding_l4_input", "encoding_l3_no_input"})
    void matchesPyTorchForwardAndBackward(String name) {
        Fixtures.Case c = FIX.get(name);
        Tensor x = c.tensor("x").requireGrad();
        Tensor out = of(c).encode(x);
        assertClose(c.tensor("out"), out);
        out.mul(c.tensor("w")).sum().backward();
        assertClose(c.tensor("grad_x"), x.grad());
    }

    @ParameterizedTest
    @ValueSource(strings = {"encoding_l4_input", "encoding_l3_no_input"})
    void passesFloat64GradCheck(String name) {
        Fixtures.Case c = FIX.get(name);
        Tensor w = c.tensor("w");
        GradCheck.assertGradients(xs -> of(c).encode(xs[0]).mul(w).sum(), c.tensor("x"));
    }

    @Test
    void keepsLeadingAxesAndCountsFeatures() {
        PositionalEncoding e = PositionalEncoding.withInput(5);
        assertEquals(33, e.outputDim(3));
        Tensor y = e.encode(Tensor.zeros(DType.FLOAT32, 2, 7, 3));
        assertEquals(3, y.rank());
        assertEquals(33, y.size(2));
        assertEquals(7, y.size(1));
    }

    @Test
    void badSettingsAreRejected() {
        assertEquals("PositionalEncoding: with 0 frequencies the input must be included",
                assertThrows(IllegalArgumentException.class, () -> new PositionalEncoding(0, false)).getMessage());
        assertEquals("PositionalEncoding: numFrequencies must be in [0, 20], got -1",
                assertThrows(IllegalArgumentException.class, () -> new PositionalEncoding(-1, true)).getMessage());
    }
}
