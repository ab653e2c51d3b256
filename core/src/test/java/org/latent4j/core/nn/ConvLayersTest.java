package org.latent4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latent4j.core.testing.TensorAssert.uniform;

import org.junit.jupiter.api.Test;
import org.latent4j.core.ops.Convolution;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

class ConvLayersTest {
    private static final ParamOptions F64 = ParamOptions.defaults().withDType(DType.FLOAT64);

    @Test
    void conv1dMatchesPyTorchAndPassesGradCheck() {
        Conv1d c = new Conv1d(3, 4, 3, Convolution.Conv1dOptions.of(2, 1), F64, new Rng(0));
        LayerFixtures.assertMatchesPyTorch("conv1d", c, c::forward);
        Conv1d small = new Conv1d(2, 2, 2, Convolution.Conv1dOptions.of(2, 1), F64, new Rng(1));
        ModuleGradCheck.assertGradients(small, small::forward, uniform(new Rng(2), -1, 1, 1, 2, 4));
    }

    @Test
    void groupedConv2dMatchesPyTorchAndPassesGradCheck() {
        Conv2d c = new Conv2d(2, 4, 3, Convolution.Conv2dOptions.of(1, 1).withGroups(2), F64, new Rng(0));
        assertArrayEquals(new long[] {4, 1, 3, 3}, c.weight().shape());
        LayerFixtures.assertMatchesPyTorch("conv2d_groups", c, c::forward);
        Conv2d small = new Conv2d(2, 2, 2, Convolution.Conv2dOptions.of(1, 0), F64, new Rng(1));
        ModuleGradCheck.assertGradients(small, small::forward, uniform(new Rng(2), -1, 1, 1, 2, 3, 3));
    }

    @Test
    void convTranspose2dMatchesPyTorchAndPassesGradCheck() {
        ConvTranspose2d c = new ConvTranspose2d(4, 2, 3, Convolution.ConvTranspose2dOptions.of(2, 1)
                .withOutputPadding(1), F64, new Rng(0));
        assertArrayEquals(new long[] {4, 2, 3, 3}, c.weight().shape());
        LayerFixtures.assertMatchesPyTorch("conv_transpose2d", c, c::forward);
        ConvTranspose2d small = new ConvTranspose2d(2, 1, 2, Convolution.ConvTranspose2dOptions.of(2, 0), F64,
                new Rng(1));
        ModuleGradCheck.assertGradients(small, small::forward, uniform(new Rng(2), -1, 1, 1, 2, 2, 2));
    }

    @Test
    void convDefaultInitMatchesPyTorchBounds() {
        Conv2d c = new Conv2d(16, 32, 3, new Rng(0));
        InitTest.assertNear("conv_weight_max", InitTest.maxAbs(c.weight()), 0.005);
        InitTest.assertNear("conv_weight_std", InitTest.std(c.weight()), 0.03);
        InitTest.assertNear("conv_bias_max", InitTest.maxAbs(c.bias()), 0.1);
        ConvTranspose2d t = new ConvTranspose2d(32, 16, 3, new Rng(0));
        InitTest.assertNear("conv_transpose_weight_max", InitTest.maxAbs(t.weight()), 0.005);
        assertTrue(InitTest.maxAbs(t.bias()) <= 1 / Math.sqrt(16 * 9));
    }

    @Test
    void convolutionsRejectChannelsThatDoNotSplitIntoGroups() {
        assertEquals("Conv2d: inChannels 3 and outChannels 4 must both be divisible by groups 2",
                assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 4, 3,
                        Convolution.Conv2dOptions.defaults().withGroups(2), ParamOptions.defaults(), new Rng(0)))
                        .getMessage());
        assertEquals("Conv1d: kernelSize must be positive, got 0",
                assertThrows(IllegalArgumentException.class, () -> new Conv1d(3, 4, 0, new Rng(0))).getMessage());
    }
}
