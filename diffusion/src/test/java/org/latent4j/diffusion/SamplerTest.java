package org.latent4j.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.latent4j.core.ops.Random;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

class SamplerTest {
    private static final long[] SHAPE = {8, 2};

    private static MlpDenoiser model() {
        return new MlpDenoiser(new MlpDenoiserConfig(2, 16, 1, 8, 0), new Rng(1));
    }

    @Test
    void ddpmIsDeterministicUnderASeed() {
        MlpDenoiser m = model();
        DdpmSampler s = new DdpmSampler(NoiseSchedule.linear(40), Prediction.EPSILON);
        float[] a = s.sample(m, Condition.NONE, SHAPE, new Rng(7)).toFloatArray();
        float[] b = s.sample(m, Condition.NONE, SHAPE, new Rng(7)).toFloatArray();
        float[] c = s.sample(m, Condition.NONE, SHAPE, new Rng(8)).toFloatArray();
        assertArrayEquals(a, b);
        assertTrue(a[0] != c[0]);
    }

    @Test
    void ddimWithEtaZeroIgnoresTheRngAfterTheStartingNoise() {
        MlpDenoiser m = model();
        DdimSampler s = new DdimSampler(NoiseSchedule.linear(100), Prediction.EPSILON, 10, 0);
        Tensor noise = Random.randn(new Rng(3), DType.FLOAT32, SHAPE);
        float[] a = s.sample(m, Condition.NONE, noise, new Rng(1), StepListener.NONE).toFloatArray();
        float[] b = s.sample(m, Condition.NONE, noise, new Rng(2), StepListener.NONE).toFloatArray();
        assertArrayEquals(a, b);
        DdimSampler noisy = new DdimSampler(NoiseSchedule.linear(100), Prediction.EPSILON, 10, 1);
        float[] c = noisy.sample(m, Condition.NONE, SHAPE, new Rng(4)).toFloatArray();
        float[] d = noisy.sample(m, Condition.NONE, SHAPE, new Rng(4)).toFloatArray();
        assertArrayEquals(c, d);
    }

    /**
     * The exact denoiser of data ~ N(0, s²I): x_t ~ N(0, (ᾱs² + 1 − ᾱ)I) and E[ε | x_t] = √(1−ᾱ)·x_t/(ᾱs² + 1 − ᾱ),
     * given in the form {@code p} asks for. DDIM with η = 0 then integrates the exact probability-flow ODE.
     */
    static Denoiser gaussianOracle(NoiseSchedule schedule, Prediction p, double s) {
        return (xt, t, c) -> {
            long[] steps = t.toLongArray();
            double[] scale = new double[steps.length];
            for (int i = 0; i < steps.length; i++) {
                double ab = schedule.alphaBar((int) steps[i]);
                scale[i] = Math.sqrt(1 - ab) / (ab * s * s + 1 - ab);
            }
            Tensor eps = xt.mul(Tensor.of(scale, steps.length, 1).to(xt.dtype()));
            return schedule.target(p, schedule.predictX0(Prediction.EPSILON, xt, t, eps), t, eps);
        };
    }

    @Test
    void ddimWithEtaZeroInvertsData() {
        NoiseSchedule schedule = NoiseSchedule.linear(1000);
        for (Prediction p : Prediction.values()) {
            DdimSampler s = new DdimSampler(schedule, p, 200, 0);
            Denoiser oracle = gaussianOracle(schedule, p, 0.5);
            Tensor x0 = Random.randn(new Rng(5), DType.FLOAT32, SHAPE).mul(0.5);
            Tensor xT = s.encode(oracle, Condition.NONE, x0);
            Tensor back = s.sample(oracle, Condition.NONE, xT, new Rng(0), StepListener.NONE);
            float[] want = x0.toFloatArray();
            float[] got = back.toFloatArray();
            double worst = 0;
            for (int i = 0; i < want.length; i++) {
                worst = Math.max(worst, Math.abs(want[i] - got[i]));
            }
            assertTrue(worst < 0.03, p + ": reconstruction error " + worst);
            // and the code is noise-like: variance near 1 rather than the data's 0.25
            double var = 0;
            for (float v : xT.toFloatArray()) {
                var += v * v / want.length;
            }
            assertTrue(var > 0.5, p + ": encoded variance " + var);
        }
    }

    @Test
    void ddimStepsSpanTheSchedule() {
        DdimSampler s = new DdimSampler(NoiseSchedule.linear(1000), Prediction.EPSILON, 50, 0);
        int[] steps = s.steps();
        assertEquals(50, steps.length);
        assertEquals(0, steps[0]);
        assertEquals(999, steps[49]);
        assertArrayEquals(new int[] {999}, new DdimSampler(NoiseSchedule.linear(1000), Prediction.EPSILON, 1, 0).steps());
        var e = assertThrows(IllegalArgumentException.class,
                () -> new DdimSampler(NoiseSchedule.linear(10), Prediction.EPSILON, 11, 0));
        assertEquals("DdimSampler: numSteps must lie in [1, 10], got 11", e.getMessage());
    }

    @Test
    void listenerSeesEveryStep() {
        int[] seen = new int[2];
        new DdimSampler(NoiseSchedule.linear(30), Prediction.V, 6, 0.5).sample(model(), Condition.NONE,
                Random.randn(new Rng(1), DType.FLOAT32, SHAPE), new Rng(2), (i, t, x) -> {
                    seen[0]++;
                    seen[1] = t;
                });
        assertEquals(6, seen[0]);
        assertEquals(-1, seen[1]);
    }
}
