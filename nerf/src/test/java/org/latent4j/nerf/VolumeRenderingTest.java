package org.latent4j.nerf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latent4j.core.testing.TensorAssert.assertClose;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.latent4j.core.autograd.GradCheck;
import org.latent4j.core.ops.Elementwise;
import org.latent4j.core.ops.Reductions;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.Fixtures;
import org.latent4j.core.testing.TensorAssert;

class VolumeRenderingTest {
    private static final Fixtures FIX = Fixtures.load("nerf");

    private static Background background(Fixtures.Case c) {
        return c.number("background") == 1.0 ? Background.WHITE : Background.BLACK;
    }

    @ParameterizedTest
    @ValueSource(strings = {"render_white", "render_black"})
    void matchesPyTorchForwardAndGradients(String name) {
        Fixtures.Case c = FIX.get(name);
        Tensor sigma = c.tensor("sigma").requireGrad();
        Tensor rgb = c.tensor("rgb").requireGrad();
        VolumeRendering.Rendered r = VolumeRendering.render(sigma, rgb, c.tensor("t"), c.tensor("delta"),
                background(c));
        assertClose(c.tensor("out_rgb"), r.rgb());
        assertClose(c.tensor("out_depth"), r.depth());
        assertClose(c.tensor("out_acc"), r.opacity());
        assertClose(c.tensor("weights"), r.weights());
        Tensor objective = Elementwise.add(Elementwise.add(r.rgb().mul(c.tensor("w_rgb")).sum(),
                r.depth().mul(c.tensor("w_depth")).sum()), r.opacity().mul(c.tensor("w_acc")).sum());
        objective.backward();
        assertClose(c.tensor("grad_sigma"), sigma.grad());
        assertClose(c.tensor("grad_rgb"), rgb.grad());
    }

    @Test
    void passesFloat64GradCheckForDensityAndColour() {
        Rng rng = new Rng(3);
        Tensor sigma = TensorAssert.uniform(rng, 0.1, 2.5, 3, 5);
        Tensor rgb = TensorAssert.uniform(rng, 0.05, 0.95, 3, 5, 3);
        RaySamples s = Sampling.stratified(new Camera(Intrinsics.fromFieldOfView(3, 1, 40), Pose.orbit(4, 10, 20))
                .rays(2, 6), 5, rng);
        Tensor t = Rays.toTensor(s.t(), DType.FLOAT64, 3, 5);
        Tensor d = Rays.toTensor(s.deltas(), DType.FLOAT64, 3, 5);
        Tensor w = TensorAssert.uniform(rng, 0.2, 1.0, 3, 3);
        GradCheck.assertGradients(xs -> {
            VolumeRendering.Rendered r = VolumeRendering.render(xs[0], xs[1], t, d, Background.WHITE);
            return Elementwise.add(Elementwise.add(r.rgb().mul(w).sum(), r.depth().mul(0.3).sum()),
                    r.opacity().mul(0.7).sum());
        }, sigma, rgb);
    }

    @Test
    void anOpaqueFirstSampleTakesAllTheWeight() {
        Tensor sigma = Tensor.of(new double[] {1e4, 1, 1}, 1, 3);
        Tensor rgb = Tensor.of(new double[] {0.2, 0.4, 0.6, 1, 1, 1, 1, 1, 1}, 1, 3, 3);
        Tensor t = Tensor.of(new double[] {2.5, 3, 3.5}, 1, 3);
        Tensor d = Tensor.of(new double[] {0.5, 0.5, 0.5}, 1, 3);
        VolumeRendering.Rendered r = VolumeRendering.render(sigma, rgb, t, d, Background.WHITE);
        assertClose(Tensor.of(new double[] {0.2, 0.4, 0.6}, 1, 3), r.rgb(), 1e-9, 1e-9);
        assertEquals(2.5, r.depth().item(), 1e-9);
        assertEquals(1.0, r.opacity().item(), 1e-12);
    }

    @Test
    void emptySpaceShowsTheBackgroundAndLargeDensitiesStayFinite() {
        Tensor rgb = Tensor.full(DType.FLOAT64, 0.3, 2, 4, 3);
        Tensor t = Tensor.of(new double[] {2, 3, 4, 5, 2, 3, 4, 5}, 2, 4);
        Tensor d = Tensor.full(DType.FLOAT64, 1.0, 2, 4);
        VolumeRendering.Rendered empty = VolumeRendering.render(Tensor.zeros(DType.FLOAT64, 2, 4), rgb, t, d,
                Background.WHITE);
        assertClose(Tensor.full(DType.FLOAT64, 1.0, 2, 3), empty.rgb());
        assertClose(Tensor.zeros(DType.FLOAT64, 2), empty.opacity());
        VolumeRendering.Rendered dense = VolumeRendering.render(Tensor.full(DType.FLOAT64, 1e6, 2, 4), rgb, t, d,
                Background.BLACK);
        assertTrue(Double.isFinite(Reductions.sum(dense.weights()).item()));
        assertClose(Tensor.full(DType.FLOAT64, 0.3, 2, 3), dense.rgb(), 1e-12, 1e-12);
    }

    @Test
    void mismatchedShapesAreRejected() {
        Tensor sigma = Tensor.zeros(DType.FLOAT64, 2, 4);
        Tensor t = Tensor.zeros(DType.FLOAT64, 2, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VolumeRendering.render(sigma,
                Tensor.zeros(DType.FLOAT64, 2, 3, 3), t, t, Background.BLACK));
        assertEquals("VolumeRendering: rgb (2,3,3) must be (2,4,3) to match sigma (2,4)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> VolumeRendering.render(sigma,
                Tensor.zeros(DType.FLOAT64, 2, 4, 3), Tensor.zeros(DType.FLOAT64, 2, 5), t, Background.BLACK));
        assertEquals("VolumeRendering: t (2,5) and deltas (2,4) must match sigma (2,4)", e.getMessage());
    }
}
