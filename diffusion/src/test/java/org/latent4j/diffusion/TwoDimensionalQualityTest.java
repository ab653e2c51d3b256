package org.latent4j.diffusion;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.latent4j.core.data.ToyDatasets;
import org.latent4j.core.ops.Random;
import org.latent4j.core.optim.AdamW;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * A tiny denoiser trained for a few seconds on two moons must sample closer to the data, in energy distance,
 * than a fixed bound that a standard Gaussian (the sampler's starting point) fails by far.
 */
class TwoDimensionalQualityTest {
    static final double BOUND = 0.03;
    private static final int SAMPLES = 1000;
    private static final int STEPS = 400;

    @Test
    void tinyModelOnTwoMoonsBeatsTheEnergyDistanceBound() {
        Rng rng = new Rng(11);
        Tensor data = ToyDatasets.twoMoons(rng.split(), 8192, 0.05).field(0);         // (N, 2)
        Tensor fresh = ToyDatasets.twoMoons(rng.split(), SAMPLES, 0.05).field(0);
        double gaussian = EnergyDistance.squared(Random.randn(rng.split(), DType.FLOAT32, SAMPLES, 2), fresh);
        assertTrue(gaussian > 5 * BOUND, "the bound must be meaningful: N(0, I) scores " + gaussian);

        NoiseSchedule schedule = NoiseSchedule.linear(200);
        MlpDenoiser model = new MlpDenoiser(MlpDenoiserConfig.tiny(), rng.split());
        var opt = new AdamW(model.parameters(), AdamW.defaults().withLr(3e-3).withWeightDecay(0));
        var step = new DiffusionStep<>(model, new DiffusionLoss(schedule, Prediction.EPSILON), opt, null, 0,
                Double.POSITIVE_INFINITY);
        Rng batches = rng.split();
        long start = System.nanoTime();
        for (int i = 0; i < STEPS; i++) {
            step.run(batch(data, 256, batches), Condition.NONE, batches);
        }
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        Tensor samples = new DdpmSampler(schedule, Prediction.EPSILON).sample(model, Condition.NONE,
                new long[] {SAMPLES, 2}, rng.split());
        double ed = EnergyDistance.squared(samples, fresh);
        System.out.printf("two moons: energy distance %.4f (N(0,I): %.4f), trained in %.1f s%n", ed, gaussian,
                trainSeconds);
        assertTrue(ed < BOUND, "energy distance " + ed + " >= " + BOUND);
    }

    static Tensor batch(Tensor data, int size, Rng rng) {
        long[] idx = new long[size];
        for (int i = 0; i < size; i++) {
            idx[i] = rng.nextLong(data.size(0));
        }
        return org.latent4j.core.ops.Indexing.indexSelect(data, 0, Tensor.ofLongs(idx, size));
    }
}
