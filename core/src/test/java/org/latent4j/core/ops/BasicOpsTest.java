package org.latent4j.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latent4j.core.testing.TensorAssert.assertClose;
import static org.latent4j.core.testing.TensorAssert.assertGradients;
import static org.latent4j.core.testing.TensorAssert.assertSecondOrderGradients;
import static org.latent4j.core.testing.TensorAssert.uniform;

import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.latent4j.core.testing.Fixtures;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

class BasicOpsTest {
    private static final Fixtures FIX = Fixtures.load("basic");

    private static BinaryOperator<Tensor> binary(String name) {
        switch (name) {
            case "add_broadcast": return Elementwise::add;
            case "sub_broadcast": return Elementwise::sub;
            case "mul_broadcast": return Elementwise::mul;
            case "div_broadcast": return Elementwise::div;
            default: return LinearAlgebra::matmul;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"add_broadcast", "sub_broadcast", "mul_broadcast", "div_broadcast", "matmul_2d",
        "matmul_batched_broadcast", "matmul_vec"})
    void binaryOpsMatchPyTorchForwardAndBackward(String name) {
        Fixtures.Case c = FIX.get(name);
        Tensor a = c.tensor("a").requireGrad();
        Tensor b = c.tensor("b").requireGrad();
        Tensor out = binary(name).apply(a, b);
        assertClose(c.tensor("out"), out);
        out.mul(c.tensor("w")).sum().backward();
        assertClose(c.tensor("grad_a"), a.grad());
        assertClose(c.tensor("grad_b"), b.grad());
    }

    @ParameterizedTest
    @ValueSource(strings = {"add_broadcast", "sub_broadcast", "mul_broadcast", "div_broadcast", "matmul_2d",
        "matmul_batched_broadcast", "matmul_vec"})
    void binaryOpsPassGradCheckIncludingSecondOrder(String name) {
        Fixtures.Case c = FIX.get(name);
        BinaryOperator<Tensor> op = binary(name);
        assertGradients(xs -> op.apply(xs[0], xs[1]), c.tensor("a"), c.tensor("b"));
        assertSecondOrderGradients(xs -> op.apply(xs[0], xs[1]), c.tensor("a"), c.tensor("b"));
    }

    @Test
    void sumAndMeanOverAxesMatchPyTorch() {
        Fixtures.Case s = FIX.get("sum_axes_keepdims");
        Tensor x = s.tensor("x").requireGrad();
        Tensor out = Reductions.sum(x, s.ints("axes"), true);
        assertClose(s.tensor("out"), out);
        out.mul(s.tensor("w")).sum().backward();
        assertClose(s.tensor("grad_x"), x.grad());

        Fixtures.Case m = FIX.get("mean_axis");
        Tensor y = m.tensor("x").requireGrad();
        Tensor mean = Reductions.mean(y, m.ints("axes"), false);
        assertClose(m.tensor("out"), mean);
        mean.mul(m.tensor("w")).sum().backward();
        assertClose(m.tensor("grad_x"), y.grad());
        assertGradients(xs -> Reductions.mean(xs[0], new int[] {1}, false), m.tensor("x"));
    }

    @Test
    void tensorUsedTwiceAccumulatesBothGradients() {
        Tensor x = Tensor.of(new double[] {1, 2, 3}, 3).requireGrad();
        x.mul(x).add(x).sum().backward(); // d/dx (x² + x) = 2x + 1
        assertClose(Tensor.of(new double[] {3, 5, 7}, 3), x.grad());
    }

    @Test
    void shapeErrorsNameTheOpAndShapes() {
        Tensor a = Tensor.zeros(2, 3);
        Tensor b = Tensor.zeros(4, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.matmul(b));
        assertEquals("matmul: (2,3) x (4,5): inner dimensions 3 and 4 differ", e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> a.add(b));
        assertTrue(e2.getMessage().startsWith("add: shapes (2,3) and (4,5) do not broadcast"), e2.getMessage());
    }

    @Test
    void float32ForwardAgreesWithFloat64() {
        Rng rng = new Rng(3);
        Tensor a = uniform(rng, -1, 1, 5, 7);
        Tensor b = uniform(rng, -1, 1, 7, 3);
        Tensor expected = a.matmul(b);
        Tensor actual = a.to(org.latent4j.core.tensor.DType.FLOAT32).matmul(b.to(org.latent4j.core.tensor.DType.FLOAT32));
        assertClose(expected, actual.to(org.latent4j.core.tensor.DType.FLOAT64), 1e-5, 1e-5);
    }
}
