package org.latent4j.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.nn.Module;
import org.latent4j.core.ops.LinearAlgebra;
import org.latent4j.core.ops.Random;
import org.latent4j.core.ops.Reductions;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.TensorAssert;

class FlowLayersTest {
    private static final DType F64 = DType.FLOAT64;

    @Test
    void madeOutputsDependOnlyOnEarlierInputs() {
        int d = 5;
        Rng rng = new Rng(3);
        Made made = FlowChecks.perturb(new Made(d, new int[] {8, 7}, 2, F64, rng), rng, 0.3);
        int batch = 16;
        Tensor x = Random.randn(rng, F64, batch, d).requireGrad();
        Tensor out = made.forward(x);                                     // (B, 2D)
        for (int o = 0; o < 2 * d; o++) {
            double[] onehot = new double[2 * d];
            onehot[o] = 1;
            Tensor picked = out.mul(Tensor.of(onehot, 1, 2 * d)).sum();   // examples are independent
            double[] grad = org.latent4j.core.autograd.Autograd.grad(picked, new Tensor[] {x},
                    org.latent4j.core.autograd.GraphMode.RETAIN)[0].toDoubleArray();
            int i = o % d; // the dimension this output parameterizes
            for (int j = 0; j < d; j++) {
                for (int e = 0; e < batch; e++) {
                    if (j >= i) {
                        assertEquals(0.0, grad[e * d + j], 0.0, "∂out_" + o + "/∂x_" + j + " must be 0 (example " + e
                                + ")");
                    }
                }
            }
        }
        // and MADE is not trivially autoregressive: the masks leave a path from every x_j to every output of
        // dimension i > j (the product of the masks counts the paths)
        var masks = made.namedBuffers();
        Tensor paths = LinearAlgebra.matmul(masks.get("net.4.mask"),
                LinearAlgebra.matmul(masks.get("net.2.mask"), masks.get("net.0.mask")));   // (2D, D)
        double[] count = paths.toDoubleArray();
        for (int o = 0; o < 2 * d; o++) {
            for (int j = 0; j < d; j++) {
                boolean allowed = j < o % d;
                assertEquals(allowed, count[o * d + j] > 0, "path from x_" + j + " to output " + o);
            }
        }
    }

    @Test
    void actNormInitializesFromTheFirstBatchAndTheMarkRoundTrips() {
        Rng rng = new Rng(4);
        ActNorm a = new ActNorm(3, F64);
        assertFalse(a.isInitialized());
        Tensor x = Random.randn(rng, F64, 64, 3, 2, 2).mul(3.0).add(1.5);
        Tensor z;
        try (GradMode.Scope ng = GradMode.noGrad()) {
            z = a.forward(x).z();
        }
        assertTrue(a.isInitialized());
        Tensor mean = Reductions.mean(z, new int[] {0, 2, 3}, false);
        Tensor var = Reductions.var(z, new int[] {0, 2, 3}, false, 0);
        TensorAssert.assertClose(Tensor.zeros(F64, 3), mean, 0, 1e-9);
        TensorAssert.assertClose(Tensor.ones(F64, 3), var, 0, 1e-5);

        ActNorm restored = new ActNorm(3, F64);
        Map<String, Tensor> state = new LinkedHashMap<>();
        a.stateDict().forEach((k, v) -> state.put(k, Tensor.wrap(v.value().dup())));
        restored.loadStateDict(state, Module.LoadMode.STRICT);
        assertTrue(restored.isInitialized());
        // a restored layer in training mode must not initialize again from a different batch
        Tensor other = Random.randn(rng, F64, 16, 3, 2, 2);
        try (GradMode.Scope ng = GradMode.noGrad()) {
            TensorAssert.assertClose(a.forward(other).z(), restored.forward(other).z(), 0, 0);
        }
        TensorAssert.assertClose(a.logScale(), restored.logScale(), 0, 0);
    }

    @Test
    void luAndPlainOneByOneConvolutionsAgree() {
        Rng rng = new Rng(5);
        InvertibleConv1x1 lu = FlowChecks.perturb(new InvertibleConv1x1(4, F64, rng), rng, 0.3);
        PlainConv1x1 plain = new PlainConv1x1(4, F64, rng);
        plain.weight().value().assign(lu.weight().value());
        Tensor x = Random.randn(rng, F64, 2, 4, 3, 5);
        Bijector.Output a = lu.forward(x);
        Bijector.Output b = plain.forward(x);
        TensorAssert.assertClose(b.z(), a.z(), 1e-12, 1e-12);
        TensorAssert.assertClose(b.logDet(), a.logDet(), 1e-10, 1e-10);
        double slogdet = LinearAlgebra.slogdet(lu.weight()).logAbsDet().item();
        assertEquals(15 * slogdet, a.logDet().toDoubleArray()[0], 1e-9);
    }

    @Test
    void aFreshCouplingIsTheIdentity() {
        Rng rng = new Rng(6);
        AffineCoupling c = AffineCoupling.mlp(Masks.alternating(4, 0, F64), 8, 1, 2.0, F64, rng);
        Tensor x = Random.randn(rng, F64, 3, 4);
        Bijector.Output o = c.forward(x);
        TensorAssert.assertClose(x, o.z(), 0, 0);
        TensorAssert.assertClose(Tensor.zeros(F64, 3), o.logDet(), 0, 0);
    }

    @Test
    void couplingScalesStayInsideTheSoftClamp() {
        Rng rng = new Rng(7);
        AffineCoupling c = FlowChecks.perturb(AffineCoupling.mlp(Masks.alternating(2, 0, F64), 8, 1, 0.5, F64, rng),
                rng, 20.0);
        Tensor x = Random.randn(rng, F64, 50, 2).mul(10.0);
        double[] logDet = c.forward(x).logDet().toDoubleArray();
        for (double v : logDet) {
            assertTrue(Math.abs(v) <= 0.5 + 1e-12, "one transformed entry, |s| ≤ 0.5, got " + v);
        }
    }

    @Test
    void flowSamplesHaveTheEventShapeAndEncodeBackToTheirLatents() {
        Rng rng = new Rng(8);
        Flow flow = FlowChecks.perturb(Flow.maf(new MafConfig(3, 2, 6, 1, 2.0, F64), rng), rng, 0.3);
        Tensor x = flow.sample(7, new Rng(9));
        assertArrayEquals(new long[] {7, 3}, x.shape());
        Tensor z = StandardNormal.sample(new Rng(9), F64, 7, 3);
        TensorAssert.assertClose(z, flow.encode(x), 1e-9, 1e-9);
        for (double v : flow.logProb(x).toDoubleArray()) {
            assertTrue(Double.isFinite(v));
        }
    }

    @Test
    void aSqueezingFlowSamplesImagesFromSqueezedLatents() {
        Rng rng = new Rng(12);
        Flow flow = Flow.glow(new GlowConfig(1, 4, 6, 1, 4, 2.0, 0.05, F64), rng);
        assertArrayEquals(new long[] {4, 2, 3}, flow.latentShape());
        Tensor x = flow.sample(3, rng);
        assertArrayEquals(new long[] {3, 1, 4, 6}, x.shape());
        assertArrayEquals(new long[] {3, 4, 2, 3}, flow.encode(x).shape());
    }

    @Test
    void standardNormalLogProbIsTheGaussianDensity() {
        Tensor z = Tensor.of(new double[] {0, 0, 1, -2}, 2, 2);
        double c = -Math.log(2 * Math.PI);
        assertArrayEquals(new double[] {c, c - 2.5}, StandardNormal.logProb(z).toDoubleArray(), 1e-12);
    }

    @Test
    void bitsPerDimCountsTheDequantizationVolume() {
        // a uniform density on [0, 1)^D (log p = 0) with 256 levels is exactly 8 bits per dimension
        assertEquals(8.0, Dequantization.bitsPerDim(0.0, 64, 256), 1e-12);
        Tensor y = Dequantization.uniform(Tensor.of(new double[] {0, 0.5, 1}, 1, 3), 17, new Rng(1));
        double[] v = y.toDoubleArray();
        assertTrue(v[0] >= 0 && v[0] < 1.0 / 17);
        assertTrue(v[1] >= 8.0 / 17 && v[1] < 9.0 / 17);
        assertTrue(v[2] >= 16.0 / 17 && v[2] < 1);
    }

    @Test
    void badInputsNameTheLayerAndTheShapes() {
        Rng rng = new Rng(10);
        assertEquals("AffineCoupling: mask (3,) must hold only 0 and 1, and both",
                assertThrows(IllegalArgumentException.class, () -> AffineCoupling.mlp(Tensor.ones(F64, 3), 4, 1, 2.0,
                        F64, rng)).getMessage());
        AffineCoupling c = AffineCoupling.mlp(Masks.alternating(3, 0, F64), 4, 1, 2.0, F64, rng);
        assertEquals("AffineCoupling.forward: input (2,4) does not match the mask (3,) (expected (B, …mask))",
                assertThrows(IllegalArgumentException.class, () -> c.forward(Tensor.zeros(F64, 2, 4))).getMessage());
        Flow flow = new Flow(c, F64, 3);
        assertEquals("Flow.logProb: input (2,3,1) must be (B, 3)",
                assertThrows(IllegalArgumentException.class, () -> flow.logProb(Tensor.zeros(F64, 2, 3, 1)))
                        .getMessage());
        assertEquals("ActNorm.forward: input (2,5) must be (B, 3, …)",
                assertThrows(IllegalArgumentException.class, () -> new ActNorm(3, F64).forward(Tensor.zeros(F64, 2, 5)))
                        .getMessage());
        assertEquals("Permutation: [0, 2, 2] is not a permutation of 0..2",
                assertThrows(IllegalArgumentException.class, () -> new Permutation(new int[] {0, 2, 2})).getMessage());
        assertEquals("Made: dim must be at least 2, got 1",
                assertThrows(IllegalArgumentException.class, () -> new Made(1, new int[] {4}, 2, F64, rng)).getMessage());
        assertEquals("Squeeze.forward: input (1,1,3,4) must be (B, C, H, W) with even H and W",
                assertThrows(IllegalArgumentException.class, () -> new Squeeze().forward(Tensor.zeros(F64, 1, 1, 3, 4)))
                        .getMessage());
        assertEquals("RealNvpConfig: couplings must be positive, got 0",
                assertThrows(IllegalArgumentException.class, () -> RealNvpConfig.twoD().withCouplings(0)).getMessage());
        assertEquals("Logit: alpha must be in [0, 0.5), got 0.5",
                assertThrows(IllegalArgumentException.class, () -> new Logit(0.5)).getMessage());
        assertNotEquals(null, flow.toString());
    }
}
