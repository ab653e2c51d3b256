package org.latent4j.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.latent4j.core.testing.TensorAssert.assertClose;
import static org.latent4j.core.testing.TensorAssert.assertGradients;
import static org.latent4j.core.testing.TensorAssert.assertSecondOrderGradients;
import static org.latent4j.core.testing.TensorAssert.uniform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.latent4j.core.ops.Normalization.BatchNormMode;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.Fixtures;

class NormalizationTest {
    private static final Fixtures FIX = Fixtures.load("norms");
    private static final double EPS = 1e-5;

    private static long[] longs(int[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"layer_norm_affine", "layer_norm_plain"})
    void layerNormMatchesPyTorch(String name) {
        Fixtures.Case c = FIX.get(name);
        boolean affine = c.has("weight");
        Tensor x = c.tensor("x").requireGrad();
        Tensor weight = affine ? c.tensor("weight").requireGrad() : null;
        Tensor bias = affine ? c.tensor("bias").requireGrad() : null;
        Tensor out = Normalization.layerNorm(x, longs(c.ints("normalized_shape")), weight, bias, EPS);
        assertClose(c.tensor("out"), out);
        out.mul(c.tensor("w")).sum().backward();
        assertClose(c.tensor("grad_x"), x.grad());
        if (affine) {
            assertClose(c.tensor("grad_weight"), weight.grad());
            assertClose(c.tensor("grad_bias"), bias.grad());
        }
    }

    @Test
    void layerNormPassesGradCheckIncludingSecondOrder() {
        Rng rng = new Rng(11);
        long[] small = {3};
        assertGradients(xs -> Normalization.layerNorm(xs[0], small, xs[1], xs[2], EPS),
                uniform(rng, -2, 2, 2, 3), uniform(rng, 0.5, 1.5, 3), uniform(rng, -1, 1, 3));
        assertSecondOrderGradients(xs -> Normalization.layerNorm(xs[0], small, xs[1], xs[2], EPS),
                uniform(rng, -2, 2, 1, 3), uniform(rng, 0.5, 1.5, 3), uniform(rng, -1, 1, 3));
    }

    @Test
    void groupNormMatchesPyTorchAndPassesGradCheck() {
        Fixtures.Case c = FIX.get("group_norm");
        int groups = (int) c.number("groups");
        Tensor x = c.tensor("x").requireGrad();
        Tensor weight = c.tensor("weight").requireGrad();
        Tensor bias = c.tensor("bias").requireGrad();
        Tensor out = Normalization.groupNorm(x, groups, weight, bias, EPS);
        assertClose(c.tensor("out"), out);
        out.mul(c.tensor("w")).sum().backward();
        assertClose(c.tensor("grad_x"), x.grad());
        assertClose(c.tensor("grad_weight"), weight.grad());
        assertClose(c.tensor("grad_bias"), bias.grad());
        Rng rng = new Rng(12);
        assertGradients(xs -> Normalization.groupNorm(xs[0], 2, xs[1], xs[2], EPS), uniform(rng, -2, 2, 1, 4, 2),
                uniform(rng, 0.5, 1.5, 4), uniform(rng, -1, 1, 4));
    }

    /** Float32 training mode runs the Java kernel: the fixture again, and odd shapes against float64. */
    @Test
    void batchNormTrainInFloat32MatchesFloat64AndPyTorch() {
        Fixtures.Case c = FIX.get("batch_norm_train");
        Tensor x = c.tensor("x").to(DType.FLOAT32).requireGrad();
        Tensor weight = c.tensor("weight").to(DType.FLOAT32).requireGrad();
        Tensor bias = c.tensor("bias").to(DType.FLOAT32).requireGrad();
        Tensor runningMean = c.tensor("running_mean").to(DType.FLOAT32);
        Tensor runningVar = c.tensor("running_var").to(DType.FLOAT32);
        Tensor out = Normalization.batchNorm(x, runningMean, runningVar, weight, bias, BatchNormMode.TRAIN,
                c.number("momentum"), EPS);
        assertClose(c.tensor("out"), out.to(DType.FLOAT64), 1e-5, 1e-5);
        assertClose(c.tensor("running_mean_after"), runningMean.to(DType.FLOAT64), 1e-5, 1e-5);
        assertClose(c.tensor("running_var_after"), runningVar.to(DType.FLOAT64), 1e-5, 1e-5);
        out.mul(c.tensor("w").to(DType.FLOAT32)).sum().backward();
        assertClose(c.tensor("grad_x"), x.grad().to(DType.FLOAT64), 1e-4, 1e-5);
        assertClose(c.tensor("grad_weight"), weight.grad().to(DType.FLOAT64), 1e-4, 1e-5);
        assertClose(c.tensor("grad_bias"), bias.grad().to(DType.FLOAT64), 1e-4, 1e-5);

        Rng rng = new Rng(71);
        for (long[] shape : new long[][] {{5, 3, 7, 9}, {33, 6}, {2, 4, 1029}}) {
            // an offset of 100 checks that the variance is not taken as E[x²] − mean² in float
            Tensor x64 = uniform(rng, -2, 2, shape).add(100.0);
            Tensor r64 = uniform(rng, -1, 1, shape);
            Tensor x32 = x64.to(DType.FLOAT32).requireGrad();
            Tensor xr = x32.detach().to(DType.FLOAT64).requireGrad();
            Tensor y32 = Normalization.batchNorm(x32, null, null, null, null, BatchNormMode.TRAIN, 0.1, EPS);
            Tensor y64 = Normalization.batchNorm(xr, null, null, null, null, BatchNormMode.TRAIN, 0.1, EPS);
            y32.mul(r64.to(DType.FLOAT32)).sum().backward();
            y64.mul(r64).sum().backward();
            assertClose(y64, y32.detach().to(DType.FLOAT64), 1e-4, 1e-4);
            assertClose(xr.grad(), x32.grad().to(DType.FLOAT64), 1e-3, 1e-4);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"batch_norm_train", "batch_norm_eval"})
    void batchNormMatchesPyTorchIncludingRunningStats(String name) {
        Fixtures.Case c = FIX.get(name);
        BatchNormMode mode = name.endsWith("train") ? BatchNormMode.TRAIN : BatchNormMode.EVAL;
        Tensor x = c.tensor("x").requireGrad();
        Tensor weight = c.tensor("weight").requireGrad();
        Tensor bias = c.tensor("bias").requireGrad();
        Tensor runningMean = c.tensor("running_mean");
        Tensor runningVar = c.tensor("running_var");
        Tensor out = Normalization.batchNorm(x, runningMean, runningVar, weight, bias, mode, c.number("momentum"),
                EPS);
        assertClose(c.tensor("out"), out);
        assertClose(c.tensor("running_mean_after"), runningMean);
        assertClose(c.tensor("running_var_after"), runningVar);
        out.mul(c.tensor("w")).sum().backward();
        assertClose(c.tensor("grad_x"), x.grad());
        assertClose(c.tensor("grad_weight"), weight.grad());
        assertClose(c.tensor("grad_bias"), bias.grad());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TRAIN", "EVAL"})
    void batchNormPassesGradCheck(String modeName) {
        BatchNormMode mode = BatchNormMode.valueOf(modeName);
        Rng rng = new Rng(13);
        Tensor mean = uniform(rng, -0.5, 0.5, 2);
        Tensor var = uniform(rng, 0.5, 1.5, 2);
        // running statistics are updated in place on every call, so each evaluation gets fresh copies
        assertGradients(xs -> Normalization.batchNorm(xs[0], mean.to(DType.FLOAT64), var.to(DType.FLOAT64), xs[1],
                xs[2], mode, 0.1, EPS), uniform(rng, -2, 2, 3, 2, 1), uniform(rng, 0.5, 1.5, 2),
                uniform(rng, -1, 1, 2));
    }

    @Test
    void rawAndRecordedBackwardAgree() {
        Rng rng = new Rng(15);
        CreateModeGradients.assertMatchRawBackward(xs -> Normalization.layerNorm(xs[0], new long[] {3}, xs[1], xs[2],
                EPS), uniform(rng, -2, 2, 2, 3), uniform(rng, 0.5, 1.5, 3), uniform(rng, -1, 1, 3));
        CreateModeGradients.assertMatchRawBackward(xs -> Normalization.groupNorm(xs[0], 2, xs[1], xs[2], EPS),
                uniform(rng, -2, 2, 2, 4, 2), uniform(rng, 0.5, 1.5, 4), uniform(rng, -1, 1, 4));
        CreateModeGradients.assertMatchRawBackward(xs -> Normalization.batchNorm(xs[0], null, null, xs[1], xs[2],
                BatchNormMode.TRAIN, 0.1, EPS), uniform(rng, -2, 2, 3, 2, 2), uniform(rng, 0.5, 1.5, 2),
                uniform(rng, -1, 1, 2));
    }

    @Test
    void float32AgreesWithFloat64() {
        Rng rng = new Rng(14);
        Tensor x = uniform(rng, -3, 3, 4, 6);
        Tensor expected = Normalization.layerNorm(x, new long[] {6}, null, null, EPS);
        Tensor actual = Normalization.layerNorm(x.to(DType.FLOAT32), new long[] {6}, null, null, EPS);
        assertEquals(DType.FLOAT32, actual.dtype());
        assertClose(expected, actual.to(DType.FLOAT64), 1e-4, 1e-4);
    }

    @Test
    void badInputsFailWithClearMessages() {
        Tensor x = Tensor.zeros(2, 3, 5);
        assertEquals("layerNorm: normalizedShape (4,) does not match the trailing dimensions of input (2,3,5)",
                assertThrows(IllegalArgumentException.class,
                        () -> Normalization.layerNorm(x, new long[] {4}, null, null, EPS)).getMessage());
        assertEquals("layerNorm: weight has shape (3,) but input (2,3,5) needs (5,)",
                assertThrows(IllegalArgumentException.class,
                        () -> Normalization.layerNorm(x, new long[] {5}, Tensor.ones(3), null, EPS)).getMessage());
        assertEquals("groupNorm: 3 channels cannot be split into 2 groups", assertThrows(
                IllegalArgumentException.class, () -> Normalization.groupNorm(x, 2, null, null, EPS)).getMessage());
        assertEquals("batchNorm: runningMean has shape (2,) but input (2,3,5) needs (3,)", assertThrows(
                IllegalArgumentException.class, () -> Normalization.batchNorm(x, Tensor.zeros(2), Tensor.ones(2),
                        null, null, BatchNormMode.TRAIN, 0.1, EPS)).getMessage());
        assertEquals("batchNorm: TRAIN mode needs more than one value per channel, got input (1,3)", assertThrows(
                IllegalArgumentException.class, () -> Normalization.batchNorm(Tensor.zeros(1, 3), null, null,
                        null, null, BatchNormMode.TRAIN, 0.1, EPS)).getMessage());
        assertEquals("batchNorm: EVAL mode needs runningMean and runningVar", assertThrows(
                IllegalArgumentException.class, () -> Normalization.batchNorm(x, null, null, null, null,
                        BatchNormMode.EVAL, 0.1, EPS)).getMessage());
        assertEquals("layerNorm: weight is float64 but input is float32", assertThrows(
                IllegalArgumentException.class, () -> Normalization.layerNorm(x, new long[] {5},
                        Tensor.ones(5).to(DType.FLOAT64), null, EPS)).getMessage());
    }
}
