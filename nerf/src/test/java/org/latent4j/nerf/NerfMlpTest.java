package org.latent4j.nerf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.latent4j.core.testing.ParameterGradCheck;
import org.latent4j.core.autograd.GradCheck;
import org.latent4j.core.ops.Elementwise;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.TensorAssert;

class NerfMlpTest {
    private static final NerfMlpConfig SMALL = new NerfMlpConfig(2, 1, 8, 3, 0, 6,
            NerfMlpConfig.DensityActivation.SOFTPLUS);

    private static Tensor unitDirections(Rng rng, long... shape) {
        double[] d = TensorAssert.uniform(rng, -1, 1, shape).toDoubleArray();
        for (int i = 0; i < d.length; i += 3) {
            double n = Math.sqrt(d[i] * d[i] + d[i + 1] * d[i + 1] + d[i + 2] * d[i + 2]);
            d[i] /= n;
            d[i + 1] /= n;
            d[i + 2] /= n;
        }
        return Tensor.of(d, shape);
    }

    @Test
    void namesFollowTheReferencePort() {
        NerfMlp m = new NerfMlp(NerfMlpConfig.paper().withWidth(16), new Rng(0));
        List<String> names = List.copyOf(m.namedParameters().keySet());
        assertEquals("pts_linears.0.weight", names.get(0));
        assertTrue(names.contains("pts_linears.7.bias"));
        assertTrue(names.containsAll(List.of("feature_linear.weight", "alpha_linear.weight", "views_linears.0.weight",
                "rgb_linear.bias")));
        // 63 encoded position features, 27 direction features, the skip after layer 4 widens layer 5's input
        assertArrayEquals(new long[] {16, 63}, m.namedParameters().get("pts_linears.0.weight").shape());
        assertArrayEquals(new long[] {16, 16 + 63}, m.namedParameters().get("pts_linears.5.weight").shape());
        assertArrayEquals(new long[] {128, 16 + 27}, m.namedParameters().get("views_linears.0.weight").shape());
    }

    @Test
    void outputsDensityAndColourInRange() {
        Rng rng = new Rng(1);
        NerfMlp m = new NerfMlp(NerfMlpConfig.tiny(), rng);
        Tensor x = TensorAssert.uniform(rng, -1, 1, 4, 5, 3).to(DType.FLOAT32);
        NerfMlp.Radiance r = m.forward(x, unitDirections(rng, 4, 1, 3).to(DType.FLOAT32));
        assertArrayEquals(new long[] {4, 5}, r.density().shape());
        assertArrayEquals(new long[] {4, 5, 3}, r.rgb().shape());
        for (float v : r.density().toFloatArray()) {
            assertTrue(v >= 0);
        }
        for (float v : r.rgb().toFloatArray()) {
            assertTrue(v > 0 && v < 1);
        }
    }

    @Test
    void directionsBroadcastPerRayMatchTheExpandedOnes() {
        Rng rng = new Rng(2);
        NerfMlp m = new NerfMlp(SMALL, DType.FLOAT64, rng);
        Tensor x = TensorAssert.uniform(rng, -1, 1, 2, 3, 3);
        Tensor d = unitDirections(rng, 2, 1, 3);
        NerfMlp.Radiance a = m.forward(x, d);
        NerfMlp.Radiance b = m.forward(x, org.latent4j.core.ops.Shapes.contiguous(
                org.latent4j.core.ops.Shapes.expand(d, 2, 3, 3)));
        TensorAssert.assertClose(a.rgb(), b.rgb(), 1e-12, 1e-12);
        TensorAssert.assertClose(a.density(), b.density(), 1e-12, 1e-12);
    }

    @Test
    void encodingAndMlpPassFloat64GradCheckForInputs() {
        Rng rng = new Rng(4);
        NerfMlp m = new NerfMlp(SMALL, DType.FLOAT64, rng);
        Tensor x = TensorAssert.uniform(rng, -0.8, 0.8, 2, 2, 3);
        Tensor d = unitDirections(rng, 2, 2, 3);
        Tensor w = TensorAssert.uniform(rng, 0.2, 1, 2, 2, 3);
        // positions and view directions (ReLU kinks are measure-zero for these random inputs)
        GradCheck.assertGradients(xs -> {
            NerfMlp.Radiance r = m.forward(xs[0], xs[1]);
            return Elementwise.add(r.rgb().mul(w).sum(), r.density().mul(0.5).sum());
        }, x, d);
    }

    @Test
    void encodingAndMlpPassFloat64GradCheckForEveryParameter() {
        Rng rng = new Rng(5);
        NerfMlp m = new NerfMlp(SMALL, DType.FLOAT64, rng);
        Tensor x = TensorAssert.uniform(rng, -0.8, 0.8, 3, 2, 3);
        Tensor d = unitDirections(rng, 3, 1, 3);
        Tensor w = TensorAssert.uniform(rng, 0.2, 1, 3, 2, 3);
        ParameterGradCheck.assertGradients(m, () -> {
            NerfMlp.Radiance r = m.forward(x, d);
            return Elementwise.add(r.rgb().mul(w).sum(), r.density().mul(0.5).sum());
        }, 3);
    }

    @Test
    void badConfigsAndInputsAreRejected() {
        assertEquals("NerfMlpConfig: skip must be -1 (none) or a layer in [0, depth - 2] = [0, 1], got 2",
                assertThrows(IllegalArgumentException.class, () -> new NerfMlpConfig(4, 2, 8, 3, 2, 4,
                        NerfMlpConfig.DensityActivation.RELU)).getMessage());
        assertEquals("NerfMlpConfig: width and colorWidth must be positive, got 0, 4",
                assertThrows(IllegalArgumentException.class, () -> new NerfMlpConfig(4, 2, 0, 3, 0, 4,
                        NerfMlpConfig.DensityActivation.RELU)).getMessage());
        NerfMlp m = new NerfMlp(SMALL, new Rng(0));
        assertEquals("NerfMlp: points (4,2) must be (…,3)", assertThrows(IllegalArgumentException.class,
                () -> m.forward(Tensor.zeros(4, 2), Tensor.zeros(4, 2))).getMessage());
        assertEquals("NerfMlp: directions (4,2,3) must have the points' shape (4,5,3) or size 1 on leading axes",
                assertThrows(IllegalArgumentException.class, () -> m.forward(Tensor.zeros(4, 5, 3),
                        Tensor.zeros(4, 2, 3))).getMessage());
    }
}
