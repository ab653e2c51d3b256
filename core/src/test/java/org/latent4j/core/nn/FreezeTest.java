package org.latent4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.latent4j.core.optim.AdamW;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.TensorAssert;

class FreezeTest {
    private static final class TwoLayers extends Module {
        final Linear first;
        final Linear second;

        TwoLayers(Rng rng) {
            first = registerModule("first", new Linear(3, 4, rng));
            second = registerModule("second", new Linear(4, 2, rng));
        }

        Tensor loss(Tensor x) {
            return second.forward(first.forward(x)).mul(second.forward(first.forward(x))).sum();
        }
    }

    @Test
    void frozenParametersGetNoGradientAndOptimizersLeaveThemExactlyAsTheyWere() {
        TwoLayers m = new TwoLayers(new Rng(1));
        m.first.freeze();
        assertEquals(List.of("second.weight", "second.bias"), List.copyOf(m.namedTrainableParameters().keySet()));
        assertEquals(4, m.namedParameters().size());
        float[] frozenBefore = m.first.weight().toFloatArray();
        float[] trainedBefore = m.second.weight().toFloatArray();
        // Weight decay would move a frozen weight without a gradient check in the optimizer.
        AdamW opt = new AdamW(m.parameters(), AdamW.defaults().withLr(0.1).withWeightDecay(0.5));
        for (int i = 0; i < 3; i++) {
            opt.zeroGrad();
            m.loss(TensorAssert.uniform(new Rng(2 + i), -1, 1, 5, 3).to(m.first.weight().dtype())).backward();
            assertNull(m.first.weight().grad());
            assertNotNull(m.second.weight().grad());
            opt.step();
        }
        assertArrayEquals(frozenBefore, m.first.weight().toFloatArray());
        assertFalse(java.util.Arrays.equals(trainedBefore, m.second.weight().toFloatArray()));
    }

    @Test
    void freezingDropsGradientsAndUnfreezingTrainsAgain() {
        TwoLayers m = new TwoLayers(new Rng(3));
        Tensor x = TensorAssert.uniform(new Rng(4), -1, 1, 2, 3).to(m.first.weight().dtype());
        m.loss(x).backward();
        assertNotNull(m.first.bias().grad());
        m.freeze();
        assertTrue(m.trainableParameters().isEmpty());
        assertNull(m.first.bias().grad());
        assertFalse(m.loss(x).requiresGrad());
        m.unfreeze();
        m.loss(x).backward();
        assertNotNull(m.first.bias().grad());
    }

    @Test
    void onlyLeavesCanBeFrozen() {
        Tensor w = Tensor.ones(2).requireGrad();
        assertEquals("disableGrad: only leaf tensors can be marked; this one was made by 'mul_scalar'",
                assertThrows(IllegalStateException.class, () -> w.mul(2.0).disableGrad()).getMessage());
    }
}
