package org.latent4j.diffusion;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.latent4j.core.data.ShapesDataset;
import org.latent4j.core.ops.Indexing;
import org.latent4j.core.optim.AdamW;
import org.latent4j.core.optim.Ema;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * The image targets of the diffusion issue, on 16×16 shapes with the recipe of {@code latent4j diffusion train
 * --data shapes --preset tiny --condition label --lr 1e-3}: samples guided at scale 3 are judged the requested
 * figure at least 90% of the time by a {@link FeatureClassifier} trained on the same data, and DDIM with 50
 * steps is within 10% of DDPM with 1000 steps in Fréchet distance on that classifier's features. Tens of
 * minutes on two cores, hence {@code slow} ({@code mvn -Pslow}).
 */
@Tag("slow")
class ShapesGuidanceQualityTest {
    private static final int SIZE = 16;
    private static final int STEPS = 3000;
    private static final int SAMPLES = 256;
    private static final double GUIDANCE = 3;

    @Test
    void guidedSamplesShowTheRequestedFigureAndDdimMatchesDdpm() {
        Rng rng = new Rng(0);
        ShapesDataset data = ShapesDataset.generate(rng.split(), 512, SIZE);
        Tensor x = data.tensors().field(0);
        Tensor figures = data.tensors().field(1);
        long[] allFigures = figures.toLongArray();

        // the denoiser: DiffusionExample's tiny preset with a class embedding
        UNet model = new UNet(new UNetConfig(SIZE, 3, 16, new int[] {1, 2}, 1, new int[] {SIZE / 2}, new int[0], 0, 2,
                8, ShapesDataset.numFigures()), rng.split());
        NoiseSchedule schedule = NoiseSchedule.linear(1000);
        AdamW opt = new AdamW(model.parameters(), AdamW.defaults().withLr(1e-3).withWeightDecay(0));
        Ema ema = new Ema(model, Ema.Options.of(0.999).withWarmup());
        var step = new DiffusionStep<>(model, new DiffusionLoss(schedule, Prediction.EPSILON), opt, ema, 0.1, 1.0);
        Rng batches = rng.split();
        for (int i = 0; i < STEPS; i++) {
            long[] idx = new long[32];
            long[] y = new long[32];
            for (int j = 0; j < idx.length; j++) {
                idx[j] = batches.nextLong(x.size(0));
                y[j] = allFigures[(int) idx[j]];
            }
            Tensor x0 = Indexing.indexSelect(x, 0, Tensor.ofLongs(idx, idx.length));
            step.run(x0, Condition.ofLabels(Tensor.ofLongs(y, y.length)), batches);
            x0.close();
        }
        ema.copyTo(model);
        model.eval();

        // the judge, trained on other shapes of the same distribution
        ShapesDataset judgeData = ShapesDataset.generate(rng.split(), 4096, SIZE);
        FeatureClassifier judge = FeatureClassifier.fit(
                FeatureClassifier.Config.small(3, ShapesDataset.numFigures(), ShapesDataset.numColours()),
                judgeData.tensors().field(0), List.of(judgeData.tensors().field(1), judgeData.tensors().field(2)),
                FeatureClassifier.FitOptions.defaults(), rng.split());
        ShapesDataset heldOut = ShapesDataset.generate(rng.split(), SAMPLES, SIZE);
        double realAccuracy = judge.accuracy(heldOut.tensors().field(0), Arrays.asList(heldOut.tensors().field(1), null));
        assertTrue(realAccuracy >= 0.98, "the judge itself is only right on " + realAccuracy + " of real shapes");
        var reference = FrechetDistance.Statistics.of(judge.featuresOf(heldOut.tensors().field(0), 128));

        long[] requested = new long[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            requested[i] = i % ShapesDataset.numFigures();
        }
        Condition c = Condition.ofLabels(Tensor.ofLongs(requested, SAMPLES));
        Denoiser guided = Guidance.classifierFree(model, GUIDANCE);
        long[] shape = {SAMPLES, 3, SIZE, SIZE};
        Tensor ddim = new DdimSampler(schedule, Prediction.EPSILON, 50, 0, 1).sample(guided, c, shape, rng.split());
        Tensor ddpm = new DdpmSampler(schedule, Prediction.EPSILON, 1).sample(guided, c, shape, rng.split());

        List<Tensor> asked = Arrays.asList(c.labels(), null);
        double accDdim = judge.accuracy(ddim, asked);
        double accDdpm = judge.accuracy(ddpm, asked);
        double fdDdim = FrechetDistance.between(FrechetDistance.Statistics.of(judge.featuresOf(ddim, 128)), reference);
        double fdDdpm = FrechetDistance.between(FrechetDistance.Statistics.of(judge.featuresOf(ddpm, 128)), reference);
        System.out.printf("shapes %dx%d, %d steps: guided accuracy DDIM-50 %.3f, DDPM-1000 %.3f; FD DDIM-50 %.3f, "
                + "DDPM-1000 %.3f (judge on real shapes %.3f)%n", SIZE, SIZE, STEPS, accDdim, accDdpm, fdDdim, fdDdpm,
                realAccuracy);
        assertTrue(accDdim >= 0.9, "DDIM-50 guided accuracy " + accDdim);
        assertTrue(accDdpm >= 0.9, "DDPM-1000 guided accuracy " + accDdpm);
        assertTrue(fdDdim <= 1.1 * fdDdpm, "FD of DDIM-50 " + fdDdim + " is more than 10% above DDPM-1000's " + fdDdpm);
    }
}
