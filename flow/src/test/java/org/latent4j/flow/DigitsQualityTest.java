package org.latent4j.flow;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.data.Digits;
import org.latent4j.core.ops.Indexing;
import org.latent4j.core.ops.Random;
import org.latent4j.core.ops.Shapes;
import org.latent4j.core.optim.Adam;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * The Glow-style flow ({@link GlowConfig#digits()}) trained on 1,500 of scikit-learn's 8×8 digits, uniformly
 * dequantized (17 levels), reaches a held-out bits/dim below the independent-pixel model's (each pixel its own
 * histogram, fitted on the same images), whose exact discrete NLL is the baseline. The flow's number is an
 * upper bound on its discrete NLL (the dequantization bound), so beating the baseline is not an artefact of
 * comparing a density with probabilities. Measured at seed 0, 400 steps: 2.31 bits/dim against the
 * independent pixels' 2.42. Slow: 400 steps took 822 s wall on the loaded 2-vCPU build machine.
 */
@Tag("slow")
class DigitsQualityTest {
    static final int STEPS = Integer.getInteger("flow.digits.steps", 400);
    static final int LEVELS = 17;

    @Test
    void glowOnDigitsBeatsTheIndependentPixelModel() throws Exception {
        long seed = Long.getLong("flow.digits.seed", 0);
        Rng rng = new Rng(seed);
        Tensor all = Digits.load().field(0);
        Tensor shuffled = Indexing.indexSelect(all, 0, Random.permutation(rng.split(), (int) all.size(0)));
        Tensor train = Shapes.slice(shuffled, 0, 0, 1500);
        Tensor test = Shapes.slice(shuffled, 0, 1500, all.size(0));
        double baseline = PixelHistogram.fit(train, LEVELS).bitsPerDim(test);

        Flow flow = Flow.glow(GlowConfig.digits(), rng.split());
        Adam opt = new Adam(flow.parameters(), Adam.Options.defaults().withLr(1e-3));
        Rng batches = rng.split();
        long t0 = System.nanoTime();
        for (int step = 0; step < STEPS; step++) {
            try (Arena a = Arena.open()) {
                Tensor x = Indexing.indexSelect(train, 0, Random.randint(batches, 0, train.size(0), 64));
                Tensor loss = flow.nll(Dequantization.uniform(x, LEVELS, batches));
                opt.zeroGrad();
                loss.backward();
                opt.step();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        flow.eval();
        double logProb = 0;
        int draws = 4;
        try (GradMode.Scope ng = GradMode.noGrad()) {
            for (int i = 0; i < draws; i++) {
                logProb -= flow.nll(Dequantization.uniform(test, LEVELS, batches)).item() / draws;
            }
        }
        double bpd = Dequantization.bitsPerDim(logProb, flow.eventSize(), LEVELS);
        System.out.printf("digits: seed %d, %d steps in %.1f s, held-out %.4f bits/dim, independent pixels %.4f%n",
                seed, STEPS, seconds, bpd, baseline);
        assertTrue(bpd < baseline, "held-out " + bpd + " bits/dim vs the independent-pixel model's " + baseline);
    }
}
