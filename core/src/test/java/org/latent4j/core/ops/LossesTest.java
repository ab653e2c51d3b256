package org.latent4j.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latent4j.core.testing.TensorAssert.assertClose;
import static org.latent4j.core.testing.TensorAssert.assertGradients;
import static org.latent4j.core.testing.TensorAssert.assertSecondOrderGradients;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.Fixtures;

class LossesTest {
    private static final Fixtures FIX = Fixtures.load("losses");

    private static Tensor logSoftmax(Tensor x) {
        return x.sub(Reductions.logSumExp(x, new int[] {1}, true));
    }

    private static Function<Tensor[], Tensor> op(Fixtures.Case c) {
        switch (c.name()) {
            case "mse": return xs -> Losses.mse(xs[0], xs[1]);
            case "l1": return xs -> Losses.l1(xs[0], xs[1]);
            case "bce_with_logits": return xs -> Losses.bceWithLogits(xs[0], xs[1]);
            case "cross_entropy": return xs -> Losses.crossEntropy(xs[0], c.longs("targets"));
            case "cross_entropy_ignore_smoothing": case "cross_entropy_spatial":
                return xs -> Losses.crossEntropy(xs[0], c.longs("targets"), (long) c.number("ignore"),
                        c.number("smoothing"));
            case "nll": return xs -> Losses.nll(logSoftmax(xs[0]), c.longs("targets"));
            case "nll_spatial": return xs -> Losses.nll(xs[0], c.longs("targets"));
            case "gaussian_kl": return xs -> Losses.gaussianKl(xs[0], xs[1]);
            default: throw new IllegalArgumentException(c.name());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mse", "l1", "bce_with_logits", "cross_entropy", "cross_entropy_ignore_smoothing",
        "cross_entropy_spatial", "nll", "nll_spatial", "gaussian_kl"})
    void matchesPyTorchForwardAndBackward(String name) {
        Fixtures.Case c = FIX.get(name);
        FixtureCheck.assertMatchesPyTorch(c, op(c));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mse", "l1", "bce_with_logits", "cross_entropy", "cross_entropy_ignore_smoothing",
        "cross_entropy_spatial", "nll", "nll_spatial", "gaussian_kl"})
    void passesGradCheck(String name) {
        Fixtures.Case c = FIX.get(name);
        assertGradients(op(c), FixtureCheck.inputs(c));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mse", "bce_with_logits", "cross_entropy_ignore_smoothing", "cross_entropy_spatial", "nll",
        "gaussian_kl"})
    void passesSecondOrderGradCheck(String name) {
        Fixtures.Case c = FIX.get(name);
        assertSecondOrderGradients(op(c), FixtureCheck.inputs(c));
    }

    @Test
    void crossEntropyInFloat32AgreesWithFloat64AndIgnoresEveryRowAsNaN() {
        Fixtures.Case c = FIX.get("cross_entropy");
        Tensor loss = Losses.crossEntropy(c.tensor("x").to(DType.FLOAT32), c.longs("targets"));
        assertEquals(DType.FLOAT32, loss.dtype());
        assertEquals(c.tensor("out").item(), loss.item(), 1e-5);
        Tensor x = Tensor.zeros(DType.FLOAT64, 2, 3).requireGrad();
        Tensor all = Losses.crossEntropy(x, Tensor.ofLongs(new long[] {-100, -100}, 2));
        assertTrue(Double.isNaN(all.item()));
        all.backward();
        assertClose(Tensor.zeros(DType.FLOAT64, 2, 3), x.grad());
    }

    /** Float32 (M, C) scores take the Java loops: the PyTorch fixtures, loss and gradient, with and without options. */
    @ParameterizedTest
    @ValueSource(strings = {"cross_entropy", "cross_entropy_ignore_smoothing"})
    void crossEntropyRowsInFloat32MatchPyTorch(String name) {
        Fixtures.Case c = FIX.get(name);
        Tensor x = c.tensor("x").to(DType.FLOAT32).requireGrad();
        Tensor loss = op(c).apply(new Tensor[] {x});
        assertEquals(DType.FLOAT32, loss.dtype());
        assertEquals(c.tensor("out").item(), loss.item(), 1e-5);
        loss.mul(2.0).backward();
        assertClose(c.tensor("grad_x").mul(2.0), x.grad().to(DType.FLOAT64), 1e-5, 1e-6);
        // and all rows ignored: NaN loss, zero gradient
        Tensor z = Tensor.zeros(DType.FLOAT32, 2, 3).requireGrad();
        Tensor all = Losses.crossEntropy(z, Tensor.ofLongs(new long[] {-100, -100}, 2));
        assertTrue(Double.isNaN(all.item()));
        all.backward();
        assertClose(Tensor.zeros(DType.FLOAT64, 2, 3), z.grad().to(DType.FLOAT64));
    }

    /** Wide float32 rows with large logits (the lane kernels' log-sum-exp and softmax) against float64. */
    @Test
    void wideCrossEntropyRowsInFloat32AgreeWithFloat64() {
        org.latent4j.core.tensor.Rng rng = new org.latent4j.core.tensor.Rng(5);
        Tensor x64 = org.latent4j.core.testing.TensorAssert.uniform(rng, -30, 30, 33, 517);
        long[] targets = new long[33];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = i % 7 == 3 ? -100 : (i * 37) % 517;
        }
        Tensor t = Tensor.ofLongs(targets, 33);
        Tensor x32 = x64.to(DType.FLOAT32).requireGrad();
        Tensor xr = x32.detach().to(DType.FLOAT64).requireGrad();
        Tensor l32 = Losses.crossEntropy(x32, t, -100, 0.1);
        Tensor l64 = Losses.crossEntropy(xr, t, -100, 0.1);
        assertEquals(l64.item(), l32.item(), 1e-5 * Math.abs(l64.item()));
        l32.backward();
        l64.backward();
        assertClose(xr.grad(), x32.grad().to(DType.FLOAT64), 1e-4, 1e-7);
    }

    @Test
    void badInputsFailWithClearMessages() {
        Tensor logits = Tensor.zeros(4, 5);
        assertEquals("crossEntropy: target 5 at position 2 is out of range for 5 classes",
                assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(logits,
                        Tensor.ofLongs(new long[] {0, 1, 5, 2}, 4))).getMessage());
        assertEquals("crossEntropy: targets (3,) do not match input (4,5) (expected (4,))",
                assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(logits,
                        Tensor.ofLongs(new long[] {0, 1, 2}, 3))).getMessage());
        assertEquals("nll: targets must be int64 class indices, got float32",
                assertThrows(IllegalArgumentException.class,
                        () -> Losses.nll(logits, Tensor.zeros(4))).getMessage());
        assertEquals("crossEntropy: input must be (N, C) or (N, C, d1, ...), got (5,)",
                assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(Tensor.zeros(5),
                        Tensor.ofLongs(new long[] {1}, 1))).getMessage());
        assertEquals("crossEntropy: labelSmoothing must be in [0, 1], got 2.0",
                assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(logits,
                        Tensor.ofLongs(new long[] {0, 1, 2, 3}, 4), -100, 2)).getMessage());
        assertEquals("mse: shapes (4,5) and (5,) differ; the loss does not broadcast",
                assertThrows(IllegalArgumentException.class,
                        () -> Losses.mse(logits, Tensor.zeros(5))).getMessage());
        assertEquals("gaussianKl: dtypes differ (float32 and float64)",
                assertThrows(IllegalArgumentException.class,
                        () -> Losses.gaussianKl(logits, Tensor.zeros(DType.FLOAT64, 4, 5))).getMessage());
    }
}
