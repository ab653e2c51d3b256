package org.latent4j.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.latent4j.core.ops.Random;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.Fixtures;
import org.latent4j.core.testing.TensorAssert;

class NoiseScheduleTest {
    private static final Fixtures FIX = Fixtures.load("diffusion_schedules");

    @ParameterizedTest
    @ValueSource(strings = {"linear_20", "cosine_20", "linear_1000", "cosine_1000"})
    void scheduleValuesMatchPyTorch(String name) {
        Fixtures.Case c = FIX.get(name);
        int steps = Integer.parseInt(name.substring(name.indexOf('_') + 1));
        NoiseSchedule s = name.startsWith("linear") ? NoiseSchedule.linear(steps) : NoiseSchedule.cosine(steps);
        long[] index = c.has("index") ? c.longs("index").toLongArray() : null;
        check(c, "betas", s.betas(), index);
        check(c, "alphas", s.alphas(), index);
        check(c, "alphas_cumprod", s.alphasCumprod(), index);
        check(c, "alphas_cumprod_prev", s.alphasCumprodPrev(), index);
        check(c, "posterior_variance", s.posteriorVariance(), index);
        check(c, "posterior_log_variance_clipped", s.posteriorLogVarianceClipped(), index);
        check(c, "posterior_mean_coef1", s.posteriorMeanCoef1(), index);
        check(c, "posterior_mean_coef2", s.posteriorMeanCoef2(), index);
    }

    private static void check(Fixtures.Case c, String key, double[] all, long[] index) {
        double[] picked = all;
        if (index != null) {
            picked = new double[index.length];
            for (int i = 0; i < index.length; i++) {
                picked[i] = all[(int) index[i]];
            }
        }
        TensorAssert.assertClose(c.tensor(key), Tensor.of(picked, picked.length), 1e-9, 1e-12);
    }

    @Test
    void qSampleAndVelocityMatchPyTorch() {
        Fixtures.Case c = FIX.get("qsample_linear_20");
        NoiseSchedule s = NoiseSchedule.linear(20);
        Tensor x0 = c.tensor("x0");
        Tensor noise = c.tensor("noise");
        Tensor t = c.longs("t");
        TensorAssert.assertClose(c.tensor("xt"), s.qSample(x0, t, noise));
        TensorAssert.assertClose(c.tensor("v"), s.target(Prediction.V, x0, t, noise));
    }

    @Test
    void qSampleHasTheClosedFormMeanAndVariance() {
        NoiseSchedule s = NoiseSchedule.cosine(100);
        Rng rng = new Rng(3);
        int n = 20_000;
        int step = 60;
        Tensor x0 = Tensor.full(DType.FLOAT64, 1.5, n, 1);
        long[] steps = new long[n];
        java.util.Arrays.fill(steps, step);
        Tensor xt = s.qSample(x0, Tensor.ofLongs(steps, n), Random.randn(rng, DType.FLOAT64, n, 1));
        double[] v = xt.toDoubleArray();
        double mean = 0;
        for (double x : v) {
            mean += x / n;
        }
        double var = 0;
        for (double x : v) {
            var += (x - mean) * (x - mean) / (n - 1);
        }
        double ab = s.alphaBar(step);
        // 4.5 standard errors of the mean and of the variance
        assertEquals(1.5 * Math.sqrt(ab), mean, 4.5 * Math.sqrt((1 - ab) / n));
        assertEquals(1 - ab, var, 4.5 * (1 - ab) * Math.sqrt(2.0 / n));
    }

    @Test
    void lastStepIsNearlyPureNoise() {
        assertTrue(NoiseSchedule.linear(1000).alphaBar(999) < 1e-4);
        assertTrue(NoiseSchedule.cosine(1000).alphaBar(999) < 1e-6);
    }

    @ParameterizedTest
    @EnumSource(Prediction.class)
    void predictionsInvertTheirTargets(Prediction p) {
        NoiseSchedule s = NoiseSchedule.linear(50);
        Rng rng = new Rng(9);
        Tensor x0 = Random.randn(rng, DType.FLOAT64, 3, 2, 2);
        Tensor eps = Random.randn(rng, DType.FLOAT64, 3, 2, 2);
        Tensor t = Tensor.ofLongs(new long[] {0, 25, 49}, 3);
        Tensor xt = s.qSample(x0, t, eps);
        Tensor out = s.target(p, x0, t, eps);
        TensorAssert.assertClose(x0, s.predictX0(p, xt, t, out), 1e-8, 1e-8);
        TensorAssert.assertClose(eps, s.predictEpsilon(p, xt, t, out), 1e-8, 1e-8);
    }

    @Test
    void badStepsAreRejected() {
        NoiseSchedule s = NoiseSchedule.linear(10);
        Tensor x = Tensor.zeros(2, 3);
        var e = assertThrows(IllegalArgumentException.class,
                () -> s.qSample(x, Tensor.ofLongs(new long[] {0, 10}, 2), x));
        assertEquals("NoiseSchedule: step 10 is outside [0, 10)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> s.qSample(x, Tensor.ofLongs(new long[] {0}, 1), x));
        assertEquals("qSample: steps (1,) must be (B) for input (2,3)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NoiseSchedule.cosine(0));
        assertEquals("NoiseSchedule: steps must be positive, got 0", e.getMessage());
    }
}
