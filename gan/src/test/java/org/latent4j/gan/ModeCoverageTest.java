package org.latent4j.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.latent4j.core.data.ToyDatasets;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

class ModeCoverageTest {
    @Test
    void realRingSamplesCoverEveryModeWithAlmostAllHighQuality() {
        Tensor x = ToyDatasets.ring(new Rng(1), 4000).field(0);
        ModeCoverage c = ModeCoverage.measure(x, ToyDatasets.ringModes(), ToyDatasets.RING_STD);
        assertEquals(8, c.modesCovered());
        // a 2-D Gaussian puts 1 − e^{−9/2} = 98.9% of its mass within 3σ of its centre
        assertEquals(1 - Math.exp(-4.5), c.highQualityFraction(), 0.01);
        assertTrue(c.modeKl() < 0.01, c.toString());
        assertEquals(4000 / 80, c.minCount());
    }

    @Test
    void realGridSamplesCoverAll25Modes() {
        Tensor x = ToyDatasets.grid(new Rng(2), 5000).field(0);
        ModeCoverage c = ModeCoverage.measure(x, ToyDatasets.gridModes(), ToyDatasets.GRID_STD);
        assertEquals(25, c.modesCovered());
        assertTrue(c.coversAll());
    }

    @Test
    void collapsedSamplesCoverOneModeAndSmearedSamplesAreLowQuality() {
        double[][] modes = ToyDatasets.ringModes();
        Rng rng = new Rng(3);
        double[] xy = new double[2 * 1000];
        for (int i = 0; i < 1000; i++) {
            xy[2 * i] = modes[2][0] + 0.02 * rng.nextGaussian();
            xy[2 * i + 1] = modes[2][1] + 0.02 * rng.nextGaussian();
        }
        ModeCoverage collapsed = ModeCoverage.measure(Tensor.of(xy, 1000, 2), modes, 0.02);
        assertEquals(1, collapsed.modesCovered());
        assertEquals(Math.log(8), collapsed.modeKl(), 1e-12);
        assertEquals(1000, collapsed.counts()[2] + (1000 - Math.round(1000 * collapsed.highQualityFraction())));

        // points on the circle between the modes: near the ring, but none within 3σ of a centre
        for (int i = 0; i < 1000; i++) {
            double a = 2 * Math.PI * (i % 8 + 0.5) / 8;
            xy[2 * i] = 2 * Math.cos(a);
            xy[2 * i + 1] = 2 * Math.sin(a);
        }
        ModeCoverage smeared = ModeCoverage.measure(Tensor.of(xy, 1000, 2), modes, 0.02);
        assertEquals(0, smeared.modesCovered());
        assertEquals(0, smeared.highQualityFraction());
        assertTrue(Double.isNaN(smeared.modeKl()));
    }

    @Test
    void histogramCountsOnlySamplesWithinTheRadius() {
        double[][] modes = {{0, 0}, {10, 0}};
        Tensor x = Tensor.of(new double[] {0.1, 0, 9.9, 0, 10, 0.05, 5, 0, 0, 3}, 5, 2);
        ModeCoverage c = ModeCoverage.measure(x, modes, 0.5, 2);
        assertArrayEquals(new long[] {1, 2}, c.counts());
        assertEquals(1, c.modesCovered());
        assertEquals(0.6, c.highQualityFraction(), 1e-12);
    }

    @Test
    void badInputIsNamed() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ModeCoverage.measure(Tensor.zeros(4, 3), ToyDatasets.ringModes(), 0.1));
        assertEquals("ModeCoverage: a mode has 2 coordinates but the samples have 3", e.getMessage());
        var f = assertThrows(IllegalArgumentException.class,
                () -> ModeCoverage.measure(Tensor.zeros(4), ToyDatasets.ringModes(), 0.1));
        assertEquals("ModeCoverage: samples must be a non-empty (N, D) batch, got (4,)", f.getMessage());
    }
}
