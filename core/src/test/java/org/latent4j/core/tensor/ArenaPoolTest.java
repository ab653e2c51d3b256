package org.latent4j.core.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.latent4j.core.ops.Activations;
import org.latent4j.core.ops.Attention;
import org.latent4j.core.ops.Normalization;
import org.latent4j.core.ops.Softmax;

/** Closed arenas hand their op outputs back to the thread's pool; the next identical step reuses them all. */
class ArenaPoolTest {
    private Tensor w;
    private Tensor bias;
    private Tensor x;

    @BeforeEach
    void setUp() {
        Arena.drainPool();
        Rng rng = new Rng(1);
        float[] wd = new float[16 * 16];
        for (int i = 0; i < wd.length; i++) {
            wd[i] = rng.nextFloat() - 0.5f;
        }
        w = Tensor.of(wd, 16, 16).requireGrad();
        bias = Tensor.zeros(16).requireGrad();
        x = Tensor.ones(8, 16);
    }

    @AfterEach
    void tearDown() {
        Arena.drainPool();
    }

    /** A small training step through the pooled ops: forward, backward, and the loss read out. */
    private double step() {
        try (Arena arena = Arena.open()) {
            Tensor h = Activations.tanh(x.matmul(w).add(bias));
            Tensor n = Normalization.layerNorm(h, new long[] {16}, null, null, 1e-5);
            Tensor a = Attention.scaledDotProduct(n.reshape(1, 2, 4, 16), n.reshape(1, 2, 4, 16),
                    n.reshape(1, 2, 4, 16));
            Tensor loss = Softmax.softmax(a.reshape(8, 16), -1).mul(n).relu().sum();
            loss.backward();
            return loss.item();
        }
    }

    @Test
    void aSecondIdenticalStepTakesEveryBufferFromThePool() {
        step();
        Arena.PoolStats first = Arena.poolStats();
        assertTrue(first.pooledBytes() > 0, "the first step's buffers were handed back: " + first);
        step();
        Arena.PoolStats second = Arena.poolStats();
        assertEquals(first.misses(), second.misses(), "fresh allocations in the second step: " + second);
        assertTrue(second.hits() > first.hits(), "the second step reused pooled buffers: " + second);
        assertEquals(first.pooledBytes(), second.pooledBytes(), "the second step handed back as much as it took");
    }

    @Test
    void keptTensorsAndTheirViewsAreNotReusedByTheNextStep() {
        Tensor kept;
        Tensor keptView;
        try (Arena arena = Arena.open()) {
            kept = arena.keep(x.mul(3.0));
            keptView = arena.keep(x.mul(2.0).reshape(16, 8));
        }
        step();
        step();
        assertArrayEquals(Tensor.full(DType.FLOAT32, 3, 8, 16).toFloatArray(), kept.toFloatArray());
        assertArrayEquals(Tensor.full(DType.FLOAT32, 2, 16, 8).toFloatArray(), keptView.toFloatArray());
    }

    @Test
    void aTensorUsedAfterItsArenaClosedStillFailsLoudly() {
        Tensor escaped;
        try (Arena arena = Arena.open()) {
            escaped = x.mul(3.0);
        }
        step();
        IllegalStateException e = assertThrows(IllegalStateException.class, escaped::toFloatArray);
        assertTrue(e.getMessage().contains("Arena"), e.getMessage());
    }

    @Test
    void parametersAndLeafGradientsAreNeverPooled() {
        step();
        float[] grad = w.grad().toFloatArray();
        float[] weight = w.toFloatArray();
        for (int i = 0; i < 3; i++) {
            try (Arena arena = Arena.open()) {
                x.mul(7.0).add(w.sum()).sum();
            }
        }
        assertArrayEquals(grad, w.grad().toFloatArray());
        assertArrayEquals(weight, w.toFloatArray());
    }

    @Test
    void withAZeroLimitNothingIsKept() {
        Arena.setPoolLimit(0);
        try {
            step();
            assertEquals(0, Arena.poolStats().pooledBytes());
        } finally {
            Arena.setPoolLimit(1L << 30);
        }
    }
}
