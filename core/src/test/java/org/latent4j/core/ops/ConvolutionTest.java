package org.latent4j.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.latent4j.core.testing.TensorAssert.assertClose;
import static org.latent4j.core.testing.TensorAssert.assertGradients;
import static org.latent4j.core.testing.TensorAssert.assertSecondOrderGradients;
import static org.latent4j.core.testing.TensorAssert.uniform;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.latent4j.core.ops.Convolution.Conv1dOptions;
import org.latent4j.core.ops.Convolution.Conv2dOptions;
import org.latent4j.core.ops.Convolution.ConvTranspose2dOptions;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.Fixtures;

class ConvolutionTest {
    private static final Fixtures FIX = Fixtures.load("conv");

    /** A fixture parameter given either as one int or as an (h, w) pair. */
    private static int[] pair(Fixtures.Case c, String key) {
        int[] a = c.ints(key);
        return a.length == 2 ? a : new int[] {(int) c.number(key), (int) c.number(key)};
    }

    /** The op of a fixture case, as a function of (x, weight, bias). */
    private static Function<Tensor[], Tensor> op(Fixtures.Case c) {
        int[] s = pair(c, "stride");
        int[] p = pair(c, "padding");
        int[] d = pair(c, "dilation");
        int groups = (int) c.number("groups");
        String name = c.name();
        if (name.startsWith("conv1d")) {
            Conv1dOptions o = new Conv1dOptions(s[0], p[0], d[0], groups);
            return xs -> Convolution.conv1d(xs[0], xs[1], xs.length > 2 ? xs[2] : null, o);
        }
        if (name.startsWith("conv_transpose2d")) {
            int[] op = pair(c, "output_padding");
            ConvTranspose2dOptions o = new ConvTranspose2dOptions(s[0], s[1], p[0], p[1], op[0], op[1], d[0], d[1],
                    groups);
            return xs -> Convolution.convTranspose2d(xs[0], xs[1], xs.length > 2 ? xs[2] : null, o);
        }
        Conv2dOptions o = new Conv2dOptions(s[0], s[1], p[0], p[1], d[0], d[1], groups);
        return xs -> Convolution.conv2d(xs[0], xs[1], xs.length > 2 ? xs[2] : null, o);
    }

    private static Tensor[] inputs(Fixtures.Case c) {
        return c.has("bias") ? new Tensor[] {c.tensor("x"), c.tensor("weight"), c.tensor("bias")}
                : new Tensor[] {c.tensor("x"), c.tensor("weight")};
    }

    @ParameterizedTest
    @ValueSource(strings = {"conv2d_basic", "conv2d_stride2_pad1", "conv2d_dilation2", "conv2d_groups2",
        "conv1d_groups2_stride2", "conv1d_dilation", "conv_transpose2d_basic", "conv_transpose2d_stride2",
        "conv_transpose2d_outpad_groups", "conv_transpose2d_dilation"})
    void matchesPyTorchForwardAndBackward(String name) {
        Fixtures.Case c = FIX.get(name);
        Tensor[] xs = inputs(c);
        for (Tensor t : xs) {
            t.requireGrad();
        }
        Tensor out = op(c).apply(xs);
        assertClose(c.tensor("out"), out);
        out.mul(c.tensor("w")).sum().backward();
        assertClose(c.tensor("grad_x"), xs[0].grad());
        assertClose(c.tensor("grad_weight"), xs[1].grad());
        if (xs.length > 2) {
            assertClose(c.tensor("grad_bias"), xs[2].grad());
        }
    }

    @Test
    void conv2dPassesGradCheckWithStridePaddingGroupsAndDilation() {
        Rng rng = new Rng(22);
        Conv2dOptions strided = new Conv2dOptions(2, 1, 1, 0, 1, 1, 2);
        assertGradients(xs -> Convolution.conv2d(xs[0], xs[1], xs[2], strided), uniform(rng, -1, 1, 1, 2, 3, 3),
                uniform(rng, -1, 1, 2, 1, 2, 2), uniform(rng, -1, 1, 2));
        Conv2dOptions dilated = Conv2dOptions.of(1, 1).withDilation(2);
        assertGradients(xs -> Convolution.conv2d(xs[0], xs[1], null, dilated), uniform(rng, -1, 1, 1, 1, 4, 3),
                uniform(rng, -1, 1, 2, 1, 2, 2));
    }

    @Test
    void conv1dPassesGradCheck() {
        Rng rng = new Rng(23);
        Conv1dOptions o = Conv1dOptions.of(2, 1).withGroups(2);
        assertGradients(xs -> Convolution.conv1d(xs[0], xs[1], xs[2], o), uniform(rng, -1, 1, 1, 4, 5),
                uniform(rng, -1, 1, 2, 2, 2), uniform(rng, -1, 1, 2));
    }

    @Test
    void convTranspose2dPassesGradCheckWithOutputPaddingGroupsAndDilation() {
        Rng rng = new Rng(24);
        ConvTranspose2dOptions grouped = ConvTranspose2dOptions.of(2, 1).withOutputPadding(1).withGroups(2);
        assertGradients(xs -> Convolution.convTranspose2d(xs[0], xs[1], xs[2], grouped),
                uniform(rng, -1, 1, 1, 2, 2, 2), uniform(rng, -1, 1, 2, 1, 2, 2), uniform(rng, -1, 1, 2));
        ConvTranspose2dOptions direct = new ConvTranspose2dOptions(2, 1, 1, 0, 0, 0, 1, 2, 2); // no output padding
        assertGradients(xs -> Convolution.convTranspose2d(xs[0], xs[1], xs[2], direct),
                uniform(rng, -1, 1, 1, 2, 2, 2), uniform(rng, -1, 1, 2, 1, 3, 2), uniform(rng, -1, 1, 2));
        ConvTranspose2dOptions dilated = ConvTranspose2dOptions.of(2, 0).withOutputPadding(1).withDilation(2);
        assertGradients(xs -> Convolution.convTranspose2d(xs[0], xs[1], null, dilated),
                uniform(rng, -1, 1, 1, 1, 2, 2), uniform(rng, -1, 1, 1, 2, 2, 2));
    }

    @Test
    void rawAndRecordedBackwardAgree() {
        Rng rng = new Rng(27);
        Conv2dOptions conv = new Conv2dOptions(2, 1, 1, 0, 2, 1, 2);
        CreateModeGradients.assertMatchRawBackward(xs -> Convolution.conv2d(xs[0], xs[1], xs[2], conv),
                uniform(rng, -1, 1, 2, 4, 5, 4), uniform(rng, -1, 1, 6, 2, 2, 3), uniform(rng, -1, 1, 6));
        ConvTranspose2dOptions transposed = new ConvTranspose2dOptions(2, 3, 1, 0, 1, 2, 1, 2, 2);
        CreateModeGradients.assertMatchRawBackward(xs -> Convolution.convTranspose2d(xs[0], xs[1], xs[2],
                transposed), uniform(rng, -1, 1, 2, 4, 3, 2), uniform(rng, -1, 1, 4, 1, 3, 2),
                uniform(rng, -1, 1, 2));
    }

    @Test
    void float32AgreesWithFloat64() {
        Rng rng = new Rng(21);
        Tensor x = uniform(rng, -1, 1, 2, 4, 6, 6);
        Tensor w = uniform(rng, -1, 1, 6, 2, 3, 3);
        Conv2dOptions o = Conv2dOptions.of(2, 1).withGroups(2);
        Tensor expected = Convolution.conv2d(x, w, null, o);
        Tensor actual = Convolution.conv2d(x.to(DType.FLOAT32), w.to(DType.FLOAT32), null, o);
        assertEquals(DType.FLOAT32, actual.dtype());
        assertClose(expected, actual.to(DType.FLOAT64), 1e-4, 1e-5);
    }

    @Test
    void conv2dPassesSecondOrderGradCheck() {
        Rng rng = new Rng(25);
        Conv2dOptions o = new Conv2dOptions(2, 1, 1, 0, 1, 1, 2);
        assertSecondOrderGradients(xs -> Convolution.conv2d(xs[0], xs[1], null, o), uniform(rng, -1, 1, 1, 2, 3, 2),
                uniform(rng, -1, 1, 2, 1, 2, 2));
    }

    @Test
    void convTranspose2dPassesSecondOrderGradCheck() {
        Rng rng = new Rng(26);
        ConvTranspose2dOptions o = ConvTranspose2dOptions.of(2, 1).withOutputPadding(1);
        assertSecondOrderGradients(xs -> Convolution.convTranspose2d(xs[0], xs[1], xs[2], o),
                uniform(rng, -1, 1, 1, 1, 2, 2), uniform(rng, -1, 1, 1, 2, 2, 2), uniform(rng, -1, 1, 2));
    }

    @Test
    void badInputsFailWithClearMessages() {
        Tensor x = Tensor.zeros(1, 3, 5, 5);
        assertEquals("conv2d: input has 3 channels but weight expects 4 (groups 1)", assertThrows(
                IllegalArgumentException.class, () -> Convolution.conv2d(x, Tensor.zeros(2, 4, 3, 3), null))
                .getMessage());
        assertEquals("conv2d: input has 3 channels but weight expects 4 (groups 2)", assertThrows(
                IllegalArgumentException.class, () -> Convolution.conv2d(x, Tensor.zeros(2, 2, 3, 3), null,
                        Conv2dOptions.defaults().withGroups(2))).getMessage());
        assertEquals("conv2d: input must have shape (N, C, H, W), got (3,5,5)", assertThrows(
                IllegalArgumentException.class, () -> Convolution.conv2d(Tensor.zeros(3, 5, 5),
                        Tensor.zeros(2, 3, 3, 3), null)).getMessage());
        assertEquals("conv2d: bias has shape (3,) but there are 2 output channels", assertThrows(
                IllegalArgumentException.class, () -> Convolution.conv2d(x, Tensor.zeros(2, 3, 3, 3),
                        Tensor.zeros(3))).getMessage());
        assertEquals("conv2d: input (1,3,5,5) padded by 0 is smaller than the kernel (7 with dilation 3) along axis 2",
                assertThrows(IllegalArgumentException.class, () -> Convolution.conv2d(x, Tensor.zeros(2, 3, 3, 3),
                        null, Conv2dOptions.defaults().withDilation(3))).getMessage());
        assertEquals("conv1d: input has 3 channels but weight expects 2 (groups 1)", assertThrows(
                IllegalArgumentException.class, () -> Convolution.conv1d(Tensor.zeros(1, 3, 8),
                        Tensor.zeros(4, 2, 3), null)).getMessage());
        assertEquals("convTranspose2d: input has 3 channels but weight expects 2 (groups 1)", assertThrows(
                IllegalArgumentException.class, () -> Convolution.convTranspose2d(x, Tensor.zeros(2, 3, 3, 3),
                        null)).getMessage());
        assertEquals("ConvTranspose2dOptions: outputPadding (2,2) must be >= 0 and smaller than the stride or the "
                + "dilation", assertThrows(IllegalArgumentException.class,
                        () -> ConvTranspose2dOptions.of(2, 1).withOutputPadding(2)).getMessage());
        assertEquals("Conv2dOptions: padding must be >= 0, got (-1,-1)", assertThrows(
                IllegalArgumentException.class, () -> Conv2dOptions.of(1, -1)).getMessage());
        assertEquals("conv2d: dtypes differ (input float32, weight float64)", assertThrows(
                IllegalArgumentException.class, () -> Convolution.conv2d(x, Tensor.zeros(DType.FLOAT64, 2, 3, 3, 3),
                        null)).getMessage());
    }
}
