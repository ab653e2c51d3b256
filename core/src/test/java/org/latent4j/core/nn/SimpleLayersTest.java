package org.latent4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.latent4j.core.testing.TensorAssert.assertClose;
import static org.latent4j.core.testing.TensorAssert.uniform;

import org.junit.jupiter.api.Test;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

class SimpleLayersTest {
    @Test
    void upsampleMatchesPyTorchNearestAndBilinear() {
        Upsample nearest = Upsample.nearest(2);
        LayerFixtures.assertMatchesPyTorch("upsample_nearest", nearest, nearest::forward);
        ModuleGradCheck.assertGradients(nearest, nearest::forward, uniform(new Rng(0), -1, 1, 1, 1, 2, 2));
        Upsample bilinear = Upsample.bilinear(2);
        LayerFixtures.assertMatchesPyTorch("upsample_bilinear", bilinear, bilinear::forward);
        ModuleGradCheck.assertGradients(bilinear, bilinear::forward, uniform(new Rng(0), -1, 1, 1, 1, 2, 2));
    }

    @Test
    void dropoutDropsInTrainingAndPassesThroughInEval() {
        Dropout d = new Dropout(0.5, new Rng(0));
        Tensor x = Tensor.ones(DType.FLOAT64, 1000);
        double[] y = d.forward(x).toDoubleArray();
        int kept = 0;
        for (double v : y) {
            if (v != 0) {
                assertEquals(2.0, v);
                kept++;
            }
        }
        assertEquals(500, kept, 50);
        d.eval();
        assertSame(x, d.forward(x));
        assertEquals("Dropout: p must lie in [0, 1], got 1.5",
                assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5, new Rng(0))).getMessage());
    }

    @Test
    void dropoutWithTheSameSeedDropsTheSameUnits() {
        Tensor x = uniform(new Rng(1), 1, 2, 4, 8);
        assertClose(new Dropout(0.3, new Rng(9)).forward(x), new Dropout(0.3, new Rng(9)).forward(x), 0, 0);
    }
}
