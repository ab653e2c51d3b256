package org.latent4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.latent4j.core.testing.TensorAssert.assertClose;
import static org.latent4j.core.testing.TensorAssert.uniform;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.Fixtures;

class NormLayersTest {
    private static final NormOptions F64 = NormOptions.defaults().withDType(DType.FLOAT64);

    @Test
    void layerNormMatchesPyTorchOverOneAndTwoAxes() {
        LayerNorm one = new LayerNorm(new long[] {6}, F64);
        LayerFixtures.assertMatchesPyTorch("layer_norm", one, one::forward);
        LayerNorm two = new LayerNorm(new long[] {3, 4}, F64);
        LayerFixtures.assertMatchesPyTorch("layer_norm_2d_shape", two, two::forward);
        LayerNorm small = new LayerNorm(new long[] {2, 3}, F64);
        ModuleGradCheck.assertGradients(small, small::forward, uniform(new Rng(1), -1, 1, 2, 2, 3));
    }

    @Test
    void groupNormMatchesPyTorch() {
        GroupNorm gn = new GroupNorm(2, 4, F64);
        LayerFixtures.assertMatchesPyTorch("group_norm", gn, gn::forward);
        ModuleGradCheck.assertGradients(gn, gn::forward, uniform(new Rng(2), -1, 1, 1, 4, 1, 3));
    }

    @Test
    void batchNormTrainsOnBatchStatisticsAndUpdatesRunningOnesAsPyTorch() {
        BatchNorm1d bn = new BatchNorm1d(3, F64);
        LayerFixtures.assertMatchesPyTorch("batch_norm1d_train", bn, bn::forward);
        assertBuffersAfter("batch_norm1d_train", bn);
        bn.eval();
        LayerFixtures.assertMatchesPyTorch("batch_norm1d_eval", bn, bn::forward);

        BatchNorm2d bn2 = new BatchNorm2d(3, F64.withMomentum(0.2).withEps(1e-3));
        LayerFixtures.assertMatchesPyTorch("batch_norm2d_train", bn2, bn2::forward);
        assertBuffersAfter("batch_norm2d_train", bn2);
        assertEquals(List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"),
                List.copyOf(bn2.stateDict().keySet()));
    }

    private static void assertBuffersAfter(String caseName, Module m) {
        Fixtures.Case c = LayerFixtures.NN.get(caseName);
        m.namedBuffers().forEach((name, b) -> assertClose(c.tensor("buffer_after." + name), b.to(DType.FLOAT64)));
    }

    @Test
    void batchNormPassesGradCheckInBothModes() {
        BatchNorm2d bn = new BatchNorm2d(2, F64.withMomentum(0));
        ModuleGradCheck.assertGradients(bn, bn::forward, uniform(new Rng(3), -1, 1, 3, 2, 2, 2));
        bn.eval();
        ModuleGradCheck.assertGradients(bn, bn::forward, uniform(new Rng(3), -1, 1, 3, 2, 2, 2));
    }

    @Test
    void normLayersStartAsPyTorchWithUnitScaleZeroShiftAndUnitRunningVariance() {
        BatchNorm2d bn = new BatchNorm2d(3);
        GroupNorm gn = new GroupNorm(1, 3);
        LayerNorm ln = new LayerNorm(3);
        for (Module m : List.of(bn, gn, ln)) {
            assertClose(Tensor.ones(3), m.namedParameters().get("weight"), 0, 0);
            assertClose(Tensor.zeros(3), m.namedParameters().get("bias"), 0, 0);
        }
        assertClose(Tensor.ones(3), bn.runningVar(), 0, 0);
        assertClose(Tensor.zeros(3), bn.runningMean(), 0, 0);
    }

    @Test
    void normLayersRejectBadConfigurationAndInput() {
        assertEquals("GroupNorm: numChannels 6 is not divisible by numGroups 4",
                assertThrows(IllegalArgumentException.class, () -> new GroupNorm(4, 6)).getMessage());
        assertEquals("BatchNorm2d: expected input (N, C, H, W) with C = 3, got (2,3,4)",
                assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(3).forward(Tensor.zeros(2, 3, 4)))
                        .getMessage());
        assertEquals("NormOptions: eps must be positive, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> NormOptions.defaults().withEps(0)).getMessage());
        assertEquals(0, new LayerNorm(new long[] {4}, NormOptions.defaults().withoutAffine()).numParameters());
    }
}
