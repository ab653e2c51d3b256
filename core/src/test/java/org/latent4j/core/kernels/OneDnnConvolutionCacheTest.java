package org.latent4j.core.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.latent4j.core.kernels.KernelTesting.uniform;

import org.junit.jupiter.api.Test;
import org.latent4j.core.tensor.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class OneDnnConvolutionCacheTest {
    /** A 3×3, padding 1 convolution of one 2-channel h×h image into 3 channels. */
    private static ConvGeometry square(long h) {
        return new ConvGeometry(1, 2, h, h, 3, 3, 3, h, h, 1, 1, 1, 1, 1, 1, 1, true);
    }

    private static float[] forward(ConvGeometry g, INDArray x, INDArray w, INDArray b) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, g.n(), g.o(), g.outH(), g.outW());
        OneDnnConvolution.forward(g, x, w, b, y);
        return y.data().asFloat();
    }

    @Test
    void planCacheStaysBoundedAndAnEvictedShapeIsRebuilt() {
        assumeTrue(OneDnnConvolution.available(), "oneDNN's binding is not usable here");
        Rng rng = new Rng(11);
        INDArray w = uniform(rng, DataType.FLOAT, -1, 1, 3, 2, 3, 3);
        INDArray b = uniform(rng, DataType.FLOAT, -1, 1, 3);
        ConvGeometry first = square(4);
        INDArray x = uniform(rng, DataType.FLOAT, -1, 1, 1, 2, 4, 4);
        float[] before = forward(first, x, w, b);
        for (long h = 5; h < 5 + OneDnnConvolution.MAX_PLANS + 3; h++) {
            ConvGeometry g = square(h);
            forward(g, uniform(rng, DataType.FLOAT, -1, 1, 1, 2, h, h), w, b);
            assertTrue(OneDnnConvolution.cachedPlans() <= OneDnnConvolution.MAX_PLANS,
                    "plans cached: " + OneDnnConvolution.cachedPlans());
        }
        assertEquals(OneDnnConvolution.MAX_PLANS, OneDnnConvolution.cachedPlans());
        // the first shape's plan was closed on the way: it is built again and computes the same values
        assertArrayEquals(before, forward(first, x, w, b));
    }
}
