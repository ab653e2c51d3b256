package org.latent4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.Fixtures;

/**
 * Our random streams differ from PyTorch's, so the initializers are compared by their statistics on large
 * tensors: the largest magnitude (which approaches a uniform's bound from below) and the standard deviation.
 */
class InitTest {
    private static final Fixtures.Case STATS = LayerFixtures.NN.get("init_stats");

    static double maxAbs(Tensor t) {
        return t.value().amaxNumber().doubleValue();
    }

    static double std(Tensor t) {
        return t.value().stdNumber().doubleValue();
    }

    /** Equal within {@code rel}, relative to PyTorch's value. */
    static void assertNear(String key, double actual, double rel) {
        double expected = STATS.number(key);
        assertTrue(Math.abs(actual - expected) <= rel * Math.abs(expected),
                key + ": PyTorch " + expected + ", ours " + actual);
    }

    @Test
    void linearDefaultInitMatchesPyTorchBounds() {
        Linear l = new Linear(256, 128, new Rng(0));
        assertNear("linear_weight_max", maxAbs(l.weight()), 0.005);
        assertNear("linear_weight_std", std(l.weight()), 0.02);
        assertNear("linear_bias_max", maxAbs(l.bias()), 0.05);
        assertTrue(maxAbs(l.weight()) <= 1 / 16.0);
    }

    @Test
    void initializersMatchPyTorchStatistics() {
        Rng rng = new Rng(1);
        Tensor t = Tensor.zeros(256, 128);
        assertNear("xavier_uniform_max", maxAbs(Init.xavierUniform(t, 2.0, rng)), 0.005);
        assertNear("xavier_normal_std", std(Init.xavierNormal(t, 1.0, rng)), 0.02);
        assertNear("kaiming_normal_fan_out_relu_std", std(Init.kaimingNormal(t, 0, Init.FanMode.FAN_OUT,
                Init.Nonlinearity.RELU, rng)), 0.02);
        assertNear("kaiming_uniform_relu_max", maxAbs(Init.kaimingUniform(t, 0, Init.FanMode.FAN_IN,
                Init.Nonlinearity.RELU, rng)), 0.005);
    }

    @Test
    void fansFollowPyTorchAndFillsWork() {
        Tensor w = Tensor.zeros(DType.FLOAT64, 8, 3, 5, 5);
        assertEquals(75, Init.fanIn(w));
        assertEquals(200, Init.fanOut(w));
        assertEquals(1.0, Init.ones(w).value().minNumber().doubleValue());
        assertEquals(0.0, Init.zeros(w).value().maxNumber().doubleValue());
        Init.uniform(w, 2, 3, new Rng(0));
        assertTrue(w.value().minNumber().doubleValue() >= 2 && w.value().maxNumber().doubleValue() < 3);
        assertEquals(Math.sqrt(2.0 / (1 + 0.01)), Init.gain(Init.Nonlinearity.LEAKY_RELU, 0.1), 1e-15);
        assertEquals("Init.fanIn: fans need a tensor of rank 2 or more, got shape (5,)",
                assertThrows(IllegalArgumentException.class, () -> Init.fanIn(Tensor.zeros(5))).getMessage());
    }
}
