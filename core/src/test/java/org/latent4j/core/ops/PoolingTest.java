package org.latent4j.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.latent4j.core.testing.TensorAssert.assertClose;
import static org.latent4j.core.testing.TensorAssert.assertGradients;
import static org.latent4j.core.testing.TensorAssert.assertSecondOrderGradients;
import static org.latent4j.core.testing.TensorAssert.uniform;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.latent4j.core.autograd.Autograd;
import org.latent4j.core.autograd.GraphMode;
import org.latent4j.core.ops.Pooling.Corners;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.Fixtures;

class PoolingTest {
    private static final Fixtures FIX = Fixtures.load("pooling");

    private static UnaryOperator<Tensor> op(String name) {
        Fixtures.Case c = FIX.get(name);
        if (name.startsWith("upsample")) {
            int scale = (int) c.number("scale");
            if (name.startsWith("upsample_nearest")) {
                return x -> Pooling.upsampleNearest2d(x, scale);
            }
            Corners corners = name.endsWith("align") ? Corners.ALIGNED : Corners.HALF_PIXEL;
            return x -> Pooling.upsampleBilinear2d(x, scale, corners);
        }
        int k = (int) c.number("kernel");
        int s = (int) c.number("stride");
        int p = (int) c.number("padding");
        return name.startsWith("max") ? x -> Pooling.maxPool2d(x, k, s, p) : x -> Pooling.avgPool2d(x, k, s, p);
    }

    @ParameterizedTest
    @ValueSource(strings = {"max_pool_k2", "max_pool_k3_s2_p1", "avg_pool_k2", "avg_pool_k3_s2_p1",
        "upsample_nearest_2", "upsample_bilinear_2", "upsample_bilinear_3_align"})
    void matchesPyTorchForwardAndBackward(String name) {
        Fixtures.Case c = FIX.get(name);
        Tensor x = c.tensor("x").requireGrad();
        Tensor out = op(name).apply(x);
        assertClose(c.tensor("out"), out);
        out.mul(c.tensor("w")).sum().backward();
        assertClose(c.tensor("grad_x"), x.grad());
    }

    @ParameterizedTest
    @ValueSource(strings = {"max_pool_k3_s2_p1", "avg_pool_k3_s2_p1", "upsample_nearest_2", "upsample_bilinear_2",
        "upsample_bilinear_3_align"})
    void passesGradCheck(String name) {
        UnaryOperator<Tensor> f = op(name);
        assertGradients(xs -> f.apply(xs[0]), uniform(new Rng(31), -1, 1, 1, 1, 4, 3));
    }

    @Test
    void upsamplingAndAveragePoolingPassSecondOrderGradCheck() {
        Tensor x = uniform(new Rng(32), -1, 1, 1, 1, 2, 2);
        assertSecondOrderGradients(xs -> Pooling.upsampleBilinear2d(xs[0], 2, Corners.HALF_PIXEL).mul(xs[0]
                .mul(xs[0]).sum()), x);
        assertSecondOrderGradients(xs -> Pooling.upsampleNearest2d(xs[0], 2).mul(xs[0].sum()), x);
        Tensor y = uniform(new Rng(35), -1, 1, 1, 1, 3, 3);
        assertSecondOrderGradients(xs -> Pooling.avgPool2d(xs[0], 3, 2, 1).mul(xs[0].mul(xs[0]).sum()), y);
    }

    @Test
    void avgPoolRawAndRecordedBackwardAgree() {
        CreateModeGradients.assertMatchRawBackward(xs -> Pooling.avgPool2d(xs[0], 3, 2, 1),
                uniform(new Rng(37), -1, 1, 2, 2, 5, 4));
    }

    @Test
    void maxPoolRefusesASecondOrderGraph() {
        Tensor x = uniform(new Rng(36), -1, 1, 1, 1, 2, 2).requireGrad();
        Tensor y = Pooling.maxPool2d(x, 2).sum();
        assertEquals("'maxPool2d' has no second derivative yet: GraphMode.CREATE cannot differentiate through it",
                assertThrows(UnsupportedOperationException.class,
                        () -> Autograd.grad(y, new Tensor[] {x}, GraphMode.CREATE)).getMessage());
    }

    @Test
    void maxPoolSendsTheGradientOfATieToTheFirstMaximumAsPyTorchDoes() {
        Tensor x = Tensor.zeros(DType.FLOAT64, 1, 1, 4, 4).requireGrad(); // all ties, as after a ReLU
        Pooling.maxPool2d(x, 2).sum().backward();
        assertClose(Tensor.of(new double[] {1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0}, 1, 1, 4, 4), x.grad());
        Tensor y = Tensor.zeros(DType.FLOAT64, 1, 1, 3, 3).requireGrad();
        Pooling.maxPool2d(y, 3, 2, 1).sum().backward();
        assertClose(Tensor.of(new double[] {1, 1, 0, 1, 1, 0, 0, 0, 0}, 1, 1, 3, 3), y.grad());
    }

    @Test
    void acceptsNonContiguousInputs() {
        Tensor x = uniform(new Rng(34), -1, 1, 1, 2, 4, 4);
        Tensor transposed = Shapes.transpose(x, 2, 3); // a strided view
        Tensor copy = Tensor.wrap(transposed.value().dup('c'));
        assertClose(Pooling.maxPool2d(copy, 3, 2, 1), Pooling.maxPool2d(transposed, 3, 2, 1));
        assertClose(Pooling.avgPool2d(copy, 2), Pooling.avgPool2d(transposed, 2));
        assertClose(Pooling.upsampleBilinear2d(copy, 2, Corners.ALIGNED),
                Pooling.upsampleBilinear2d(transposed, 2, Corners.ALIGNED));
        assertClose(Convolution.conv2d(copy, x, null), Convolution.conv2d(transposed, x, null));
        assertClose(Softmax.softmax(copy, 2), Softmax.softmax(transposed, 2));
        assertClose(Softmax.logSoftmax(copy, 2), Softmax.logSoftmax(transposed, 2));
        assertClose(Normalization.groupNorm(copy, 2, null, null, 1e-5),
                Normalization.groupNorm(transposed, 2, null, null, 1e-5));
    }

    @Test
    void float32AgreesWithFloat64() {
        Tensor x = uniform(new Rng(33), -1, 1, 2, 3, 5, 4);
        for (String name : new String[] {"max_pool_k3_s2_p1", "avg_pool_k3_s2_p1", "upsample_bilinear_2"}) {
            Tensor f = op(name).apply(x.to(DType.FLOAT32));
            assertEquals(DType.FLOAT32, f.dtype());
            assertClose(op(name).apply(x), f.to(DType.FLOAT64), 1e-5, 1e-5);
        }
    }

    @Test
    void badInputsFailWithClearMessages() {
        assertEquals("maxPool2d: input must have shape (N, C, H, W), got (3,4,4)", assertThrows(
                IllegalArgumentException.class, () -> Pooling.maxPool2d(Tensor.zeros(3, 4, 4), 2)).getMessage());
        assertEquals("avgPool2d: needs kernel > 0, stride > 0 and 0 <= padding <= kernel/2, got kernel 2, stride 2, "
                + "padding 2", assertThrows(IllegalArgumentException.class,
                        () -> Pooling.avgPool2d(Tensor.zeros(1, 1, 4, 4), 2, 2, 2)).getMessage());
        assertEquals("maxPool2d: input (1,1,2,2) padded by 0 is smaller than the kernel 3", assertThrows(
                IllegalArgumentException.class, () -> Pooling.maxPool2d(Tensor.zeros(1, 1, 2, 2), 3)).getMessage());
        assertEquals("upsampleBilinear2d: scale must be a positive integer, got 0", assertThrows(
                IllegalArgumentException.class, () -> Pooling.upsampleBilinear2d(Tensor.zeros(1, 1, 2, 2), 0,
                        Corners.ALIGNED)).getMessage());
    }
}
