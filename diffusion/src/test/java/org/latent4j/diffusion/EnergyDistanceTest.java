package org.latent4j.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.latent4j.core.ops.Random;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

class EnergyDistanceTest {
    @Test
    void pointMassesAreTwiceTheirDistanceApart() {
        Tensor a = Tensor.zeros(DType.FLOAT64, 5, 2);
        Tensor b = Tensor.of(new double[] {3, 4, 3, 4, 3, 4}, 3, 2);
        assertEquals(10.0, EnergyDistance.squared(a, b), 1e-12);
    }

    @Test
    void samplesOfOneDistributionAreNearZeroAndShiftsAreNot() {
        Rng rng = new Rng(2);
        Tensor a = Random.randn(rng, DType.FLOAT64, 1000, 2);
        Tensor b = Random.randn(rng, DType.FLOAT64, 1000, 2);
        assertEquals(0, EnergyDistance.squared(a, b), 0.01);
        // N(0, I) against N((1, 1), I): 0.83 by torch.cdist on 4,000 points each
        double shifted = EnergyDistance.squared(a, b.add(1.0));
        assertEquals(0.83, shifted, 0.12);
    }

    @Test
    void shapesMustAgree() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> EnergyDistance.squared(Tensor.zeros(4, 2), Tensor.zeros(4, 3)));
        assertEquals("EnergyDistance: need (N, D) and (M, D) with N, M >= 2, got (4,2) and (4,3)", e.getMessage());
    }
}
