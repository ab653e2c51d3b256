package org.latent4j.core.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

class ReductionsTest {
    private static final Fixtures FIX = Fixtures.load("reductions");

    private static UnaryOperator<Tensor> op(Fixtures.Case c) {
        boolean keep = c.has("keep") && c.number("keep") != 0;
        switch (c.name()) {
            case "var_axes_keepdims": case "var_all_population":
                return x -> Reductions.var(x, c.ints("axes"), keep, c.number("correction"));
            case "max_axis": return x -> Reductions.max(x, (int) c.number("axis"), keep);
            case "min_axis_keepdims": return x -> Reductions.min(x, (int) c.number("axis"), keep);
            case "logsumexp_axis": case "logsumexp_all_keepdims":
                return x -> Reductions.logSumExp(x.mul(c.number("scale")), c.ints("axes"), keep);
            case "cumsum": return x -> Reductions.cumsum(x, (int) c.number("axis"));
            case "cumprod": case "cumprod_zeros": return x -> Reductions.cumprod(x, (int) c.number("axis"));
            default: throw new IllegalArgumentException(c.name());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"var_axes_keepdims", "var_all_population", "max_axis", "min_axis_keepdims",
        "logsumexp_axis", "logsumexp_all_keepdims", "cumsum", "cumprod", "cumprod_zeros"})
    void matchesPyTorchForwardAndBackward(String name) {
        Fixtures.Case c = FIX.get(name);
        FixtureCheck.assertMatchesPyTorch(c, xs -> op(c).apply(xs[0]));
    }

    @ParameterizedTest
    @ValueSource(strings = {"var_axes_keepdims", "var_all_population", "max_axis", "min_axis_keepdims",
        "logsumexp_axis", "logsumexp_all_keepdims", "cumsum", "cumprod", "cumprod_zeros"})
    void passesGradCheck(String name) {
        Fixtures.Case c = FIX.get(name);
        assertGradients(xs -> op(c).apply(xs[0]), c.tensor("x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"var_axes_keepdims", "var_all_population", "logsumexp_all_keepdims",
        "min_axis_keepdims", "cumsum", "cumprod"})
    void passesSecondOrderGradCheck(String name) {
        Fixtures.Case c = FIX.get(name);
        assertSecondOrderGradients(xs -> op(c).apply(xs[0]), c.tensor("x"));
    }

    @Test
    void sumAndMeanPassSecondOrderGradCheck() {
        Tensor x = FIX.get("logsumexp_all_keepdims").tensor("x");
        assertSecondOrderGradients(xs -> Elementwise.square(Reductions.sum(xs[0], new int[] {1}, false)), x);
        assertSecondOrderGradients(xs -> Elementwise.square(Reductions.mean(xs[0], new int[] {0, 1}, true)), x);
    }

    @Test
    void argmaxMatchesPyTorchAsInt64() {
        Fixtures.Case c = FIX.get("argmax");
        Tensor out = Reductions.argmax(c.tensor("x"), 1, false);
        assertEquals(DType.INT64, out.dtype());
        assertFalse(out.requiresGrad());
        assertArrayEquals(c.longs("out").toLongArray(), out.toLongArray());
        Tensor keep = Reductions.argmax(c.tensor("x"), 0, true);
        assertArrayEquals(new long[] {1, 4}, keep.shape());
        assertArrayEquals(c.longs("out_keep").toLongArray(), keep.toLongArray());
    }

    @Test
    void maxOfAVectorIsAScalarAndItsGradientGoesToTheFirstMaximum() {
        Tensor x = Tensor.of(new double[] {1, 3, 3, 2}, 4).requireGrad();
        Tensor m = Reductions.max(x, 0, false);
        assertArrayEquals(new long[0], m.shape());
        assertEquals(3, m.item());
        m.backward();
        assertClose(Tensor.of(new double[] {0, 1, 0, 0}, 4), x.grad());
        Tensor i = Reductions.argmax(x, 0, false);
        assertArrayEquals(new long[0], i.shape());
        assertEquals(1, i.toLongArray()[0]);
    }

    @Test
    void logSumExpHandlesHugeAndInfiniteValues() {
        Tensor x = Tensor.of(new float[] {1000f, 1000f, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}, 2, 2);
        float[] out = Reductions.logSumExp(x, new int[] {1}, false).toFloatArray();
        assertEquals(1000f + (float) Math.log(2), out[0], 1e-3);
        assertEquals(Float.NEGATIVE_INFINITY, out[1]);
    }

    @Test
    void badInputsFailWithClearMessages() {
        Tensor x = Tensor.zeros(2, 3);
        assertEquals("var: correction 1.0 leaves no degrees of freedom for 1 elements per reduction of (6,1)",
                assertThrows(IllegalArgumentException.class,
                        () -> Reductions.var(Tensor.zeros(6, 1), new int[] {1}, false, 1)).getMessage());
        assertEquals("max: axis 2 is out of range for rank 2",
                assertThrows(IllegalArgumentException.class, () -> Reductions.max(x, 2, false)).getMessage());
        assertEquals("argmax: cannot reduce the empty axis 1 of (2,0)",
                assertThrows(IllegalArgumentException.class,
                        () -> Reductions.argmax(Tensor.zeros(2, 0), 1, false)).getMessage());
        assertEquals("logSumExp: axis 0 repeated in [0, -2]",
                assertThrows(IllegalArgumentException.class,
                        () -> Reductions.logSumExp(x, new int[] {0, -2}, false)).getMessage());
        assertEquals("cumsum: needs a floating-point tensor, got int64 of shape (2,)",
                assertThrows(IllegalArgumentException.class,
                        () -> Reductions.cumsum(Tensor.ofLongs(new long[] {1, 2}, 2), 0)).getMessage());
    }
}
