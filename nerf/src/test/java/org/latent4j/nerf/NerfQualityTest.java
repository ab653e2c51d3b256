package org.latent4j.nerf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.latent4j.core.optim.Adam;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

class NerfQualityTest {
    static final double RADIUS = 4;
    static final double NEAR = 2;
    static final double FAR = 6;
    static final double SLOW_BOUND = 20.0;

    record Outcome(double heldOutPsnr, double baselinePsnr, double seconds) {
    }

    static Outcome train(long seed, int size, int views, NerfMlpConfig mlp, RenderOptions render, int steps, int batch,
            double lr) {
        Scene scene = Scene.builtIn();
        Intrinsics in = Intrinsics.fromFieldOfView(size, size, 40);
        SceneViews train = SceneViews.render(scene, SceneViews.orbitCameras(in, RADIUS, views, 0, 15, 35, 55), NEAR,
                FAR);
        SceneViews test = SceneViews.render(scene, SceneViews.orbitCameras(in, RADIUS, 4, 180.0 / views + 45, 25, 45),
                NEAR, FAR);
        Rng rng = new Rng(seed);
        Nerf model = new Nerf(mlp, render, rng.split());
        Adam opt = new Adam(model.parameters(), Adam.Options.defaults().withLr(lr));
        long t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            try (Arena a = Arena.open()) {
                SceneViews.Batch b = train.batch(rng, batch, DType.FLOAT32);
                Tensor loss = model.loss(b.rays(), b.colours(), rng);
                opt.zeroGrad();
                loss.backward();
                opt.step();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double psnr = 0;
        double base = 0;
        double[] mean = train.meanColour();
        for (int v = 0; v < test.size(); v++) {
            Nerf.Image img = model.renderImage(test.cameras().get(v), NEAR, FAR, 4096);
            double[] truth = test.image(v);
            psnr += Psnr.of(img.rgb().toDoubleArray(), truth) / test.size();
            double[] constant = new double[truth.length];
            int hw = truth.length / 3;
            for (int i = 0; i < truth.length; i++) {
                constant[i] = mean[i / hw];
            }
            base += Psnr.of(constant, truth) / test.size();
        }
        System.out.printf("seed %d: held-out PSNR %.2f dB, mean-colour baseline %.2f dB, %d steps in %.1f s%n", seed,
                psnr, base, steps, seconds);
        return new Outcome(psnr, base, seconds);
    }

    /**
     * 200 steps of 256 rays × 24 samples on sixteen 16×16 views; measured (seeds 1 and 2) 19.47 and 19.07 dB on the
     * four held-out views against 9.62 dB for the mean colour. The bound leaves about 3 dB of margin; a model
     * that learned only the average colour, or nothing, stays near 10 dB.
     */
    @Test
    void tinyNerfLearnsTheBuiltInSceneFromSixteenViews() {
        Outcome o = train(1, 16, 16, NerfMlpConfig.tiny().withDensityActivation(NerfMlpConfig.DensityActivation.RELU),
                new RenderOptions(24, 0, Background.WHITE), 200, 256, 1e-2);
        assertTrue(o.heldOutPsnr() > 16.0, o.toString());
        assertTrue(o.heldOutPsnr() > o.baselinePsnr() + 6, o.toString());
    }

    /**
     * The paper's coarse + fine setup on twenty 20×20 views: 24 stratified and 24 hierarchical samples per ray,
     * 400 steps of 256 rays; the bound is set from a measured run (see docs/nerf.md).
     */
    @Test
    @Tag("slow")
    void hierarchicalNerfOnLargerViews() {
        Outcome o = train(1, 20, 20, NerfMlpConfig.tiny().withDensityActivation(NerfMlpConfig.DensityActivation.RELU),
                new RenderOptions(24, 24, Background.WHITE), 400, 256, 5e-3);
        assertTrue(o.heldOutPsnr() > SLOW_BOUND, o.toString());
    }
}
