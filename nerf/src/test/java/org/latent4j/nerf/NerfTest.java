package org.latent4j.nerf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.latent4j.core.testing.ParameterGradCheck;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

class NerfTest {
    private static final NerfMlpConfig SMALL = new NerfMlpConfig(3, 1, 16, 2, 0, 8,
            NerfMlpConfig.DensityActivation.SOFTPLUS);

    @Test
    void coarseAndFinePassesRenderAndBothGetGradients() {
        Rng rng = new Rng(1);
        Nerf nerf = new Nerf(SMALL, new RenderOptions(6, 5, Background.WHITE), rng);
        assertTrue(nerf.namedParameters().containsKey("fine.rgb_linear.weight"));
        Rays rays = Camera.orbit(Intrinsics.fromFieldOfView(3, 2, 40), 4, 30, 20).rays(2, 6);
        Nerf.Output out = nerf.render(rays, rng);
        assertArrayEquals(new long[] {6, 3}, out.coarse().rgb().shape());
        assertArrayEquals(new long[] {6, 11}, out.fine().weights().shape());
        Tensor loss = nerf.loss(rays, Tensor.full(DType.FLOAT32, 0.5, 6, 3), rng);
        loss.backward();
        for (var e : nerf.namedParameters().entrySet()) {
            assertNotNull(e.getValue().grad(), e.getKey());
        }
    }

    @Test
    void renderingAndLossPassFloat64GradCheckThroughTheWholeModel() {
        // coarse only: a fine pass's sample positions move with the coarse weights, a path the paper (and this
        // code) leaves out of the gradient on purpose, so central differences would see more than autograd
        Rng rng = new Rng(6);
        Nerf nerf = new Nerf(SMALL.withWidth(6), new RenderOptions(5, 0, Background.WHITE), DType.FLOAT64, rng);
        Rays rays = Camera.orbit(Intrinsics.fromFieldOfView(2, 2, 40), 4, 30, 20).rays(2, 6);
        Tensor target = Tensor.full(DType.FLOAT64, 0.4, 4, 3);
        ParameterGradCheck.assertGradients(nerf, () -> {
            Nerf.Output out = nerf.render(rays, null);
            return out.coarse().depth().sum().mul(0.05).add(nerf.loss(rays, target, null));
        }, 2);
    }

    @Test
    void coarseOnlyHasNoFineNetworkAndRendersImages() {
        Nerf nerf = new Nerf(SMALL, new RenderOptions(4, 0, Background.BLACK), new Rng(2));
        assertTrue(nerf.namedParameters().keySet().stream().allMatch(k -> k.startsWith("coarse.")));
        Camera cam = Camera.orbit(Intrinsics.fromFieldOfView(5, 3, 40), 4, 0, 30);
        Nerf.Image img = nerf.renderImage(cam, 2, 6, 4);
        assertArrayEquals(new long[] {3, 3, 5}, img.rgb().shape());
        assertArrayEquals(new long[] {3, 5}, img.depth().shape());
        assertNull(nerf.render(cam.rays(2, 6), null).fine());
        // rendering is deterministic without jitter, and chunking does not change it
        Nerf.Image again = nerf.renderImage(cam, 2, 6, 15);
        assertArrayEquals(img.rgb().toDoubleArray(), again.rgb().toDoubleArray(), 1e-6);
        for (double a : img.opacity().toDoubleArray()) {
            assertTrue(a >= 0 && a <= 1 + 1e-6);
        }
    }

    @Test
    void sceneViewsDrawSeededBatchesOfTrueColours() {
        Scene scene = Scene.builtIn();
        List<Camera> cams = SceneViews.orbitCameras(Intrinsics.fromFieldOfView(6, 6, 40), 4, 3, 0, 20, 40);
        SceneViews views = SceneViews.render(scene, cams, 2, 6);
        assertEquals(108, views.rays().count());
        SceneViews.Batch a = views.batch(new Rng(3), 10, DType.FLOAT64);
        SceneViews.Batch b = views.batch(new Rng(3), 10, DType.FLOAT64);
        assertArrayEquals(a.colours().toDoubleArray(), b.colours().toDoubleArray());
        // each batch colour is what the scene shows along that ray
        double[] o = a.rays().origins();
        double[] d = a.rays().directions();
        double[] c = a.colours().toDoubleArray();
        for (int i = 0; i < 10; i++) {
            Vec3 seen = scene.trace(new Vec3(o[3 * i], o[3 * i + 1], o[3 * i + 2]),
                    new Vec3(d[3 * i], d[3 * i + 1], d[3 * i + 2])).colour();
            assertEquals(seen.x(), c[3 * i], 1e-12);
            assertEquals(seen.z(), c[3 * i + 2], 1e-12);
        }
        assertArrayEquals(new long[] {3, 3, 6, 6}, views.images().shape());
        double[] mean = views.meanColour();
        assertTrue(mean[0] > 0 && mean[0] < 1);
    }

    @Test
    void badOptionsAreRejected() {
        assertEquals("RenderOptions: hierarchical sampling needs numCoarse >= 3, got 2",
                assertThrows(IllegalArgumentException.class, () -> new RenderOptions(2, 4, Background.WHITE))
                        .getMessage());
        Nerf nerf = new Nerf(SMALL, new RenderOptions(4, 0, Background.BLACK), new Rng(2));
        Rays rays = Camera.orbit(Intrinsics.fromFieldOfView(2, 2, 40), 4, 0, 30).rays(2, 6);
        assertEquals("Nerf.loss: targets (3,3) must be (4,3)", assertThrows(IllegalArgumentException.class,
                () -> nerf.loss(rays, Tensor.zeros(3, 3), null)).getMessage());
        assertEquals("Psnr: prediction (2,) and target (3,) differ in shape", assertThrows(
                IllegalArgumentException.class, () -> Psnr.of(Tensor.zeros(2), Tensor.zeros(3))).getMessage());
    }

    @Test
    void psnrOfAKnownError() {
        assertEquals(20.0, Psnr.of(new double[] {0.1, 0.2}, new double[] {0.2, 0.1}), 1e-9);
    }
}
