package org.latent4j.nerf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

class SamplingTest {
    private static final Rays RAYS = Camera.orbit(Intrinsics.fromFieldOfView(2, 2, 40), 4, 0, 20).rays(2, 6);

    @Test
    void stratifiedSamplesFallOneInEachBin() {
        RaySamples s = Sampling.stratified(RAYS, 8, new Rng(1));
        assertEquals(4, s.numRays());
        for (int r = 0; r < 4; r++) {
            for (int i = 0; i < 8; i++) {
                double t = s.t()[r * 8 + i];
                assertTrue(t >= 2 + 0.5 * i && t < 2 + 0.5 * (i + 1), "sample " + i + " at " + t);
            }
            assertEquals(6.0, s.t()[r * 8 + 7] + s.deltas()[r * 8 + 7], 1e-12);
        }
        RaySamples mid = Sampling.stratified(RAYS, 4, null);
        assertArrayEquals(new double[] {2.5, 3.5, 4.5, 5.5}, java.util.Arrays.copyOf(mid.t(), 4), 1e-12);
        assertArrayEquals(new double[] {1, 1, 1, 0.5}, java.util.Arrays.copyOf(mid.deltas(), 4), 1e-12);
        assertArrayEquals(Sampling.stratified(RAYS, 8, new Rng(5)).t(), Sampling.stratified(RAYS, 8, new Rng(5)).t());
    }

    @Test
    void hierarchicalSamplesGoWhereTheWeightIsAndStaySorted() {
        Rays one = RAYS.slice(0, 1);
        RaySamples coarse = Sampling.stratified(one, 16, null);       // midpoints 2.125, 2.375, …
        double[] w = new double[16];
        w[9] = 1.0;                                                   // all weight on the sample at t = 4.375
        RaySamples fine = Sampling.hierarchical(one, coarse, Tensor.of(w, 1, 16), 32, new Rng(2));
        assertEquals(48, fine.perRay());
        int near = 0;
        for (int i = 0; i < 48; i++) {
            if (i > 0) {
                assertTrue(fine.t()[i] >= fine.t()[i - 1]);
            }
            if (Math.abs(fine.t()[i] - 4.375) <= 0.125 + 1e-12) {
                near++;
            }
        }
        // the coarse sample itself, plus all the fine draws but the few the weight floor spreads out
        assertTrue(near >= 1 + 30, "only " + near + " samples within the heavy interval");
        // uniform weights spread the fine samples evenly between the first and last coarse midpoints
        double[] flat = new double[16];
        java.util.Arrays.fill(flat, 0.1);
        RaySamples even = Sampling.hierarchical(one, coarse, Tensor.of(flat, 1, 16), 7, null);
        double[] fineOnly = new double[7];
        int k = 0;
        for (double t : even.t()) {
            boolean isCoarse = false;
            for (double c : coarse.t()) {
                isCoarse |= c == t;
            }
            if (!isCoarse) {
                fineOnly[k++] = t;
            }
        }
        assertEquals(7, k);
        // bins run from 2.25 to 5.75 (midpoints between coarse samples): u = (j + ½)/7 lands at 2.25 + 3.5·u
        for (int j = 0; j < 7; j++) {
            assertEquals(2.25 + 3.5 * (j + 0.5) / 7, fineOnly[j], 1e-9);
        }
    }

    @Test
    void badArgumentsAreRejected() {
        RaySamples coarse = Sampling.stratified(RAYS, 2, null);
        assertEquals("Sampling.hierarchical: needs at least 3 coarse samples per ray, got 2",
                assertThrows(IllegalArgumentException.class, () -> Sampling.hierarchical(RAYS, coarse,
                        Tensor.zeros(4, 2), 4, null)).getMessage());
        RaySamples c8 = Sampling.stratified(RAYS, 8, null);
        assertEquals("Sampling.hierarchical: weights (4,7) must be (4,8) for 4 rays of 8 coarse samples",
                assertThrows(IllegalArgumentException.class, () -> Sampling.hierarchical(RAYS, c8,
                        Tensor.zeros(4, 7), 4, null)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sampling.stratified(RAYS, 0, null));
    }
}
