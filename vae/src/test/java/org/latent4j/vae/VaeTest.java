package org.latent4j.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.latent4j.core.ops.Random;
import org.latent4j.core.ops.Shapes;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.TensorAssert;

class VaeTest {
    private static final VaeConfig SMALL = new VaeConfig(Architecture.MLP, 1, 2, 3, new int[] {5}, 2,
            Likelihood.BERNOULLI, 0.1, 0, 1);

    @Test
    void parametersFollowTheDocumentedNames() {
        Vae mlp = new Vae(SMALL.withLikelihood(Likelihood.GAUSSIAN_LEARNED, 0.2), new Rng(1));
        // a module's own parameters come before its children's
        assertEquals(List.of("outputLogVar", "encoder.body.0.weight", "encoder.body.0.bias", "encoder.mu.weight", "encoder.mu.bias",
                "encoder.logVar.weight", "encoder.logVar.bias", "decoder.body.0.weight", "decoder.body.0.bias",
                "decoder.out.weight", "decoder.out.bias"), List.copyOf(mlp.namedParameters().keySet()));
        assertEquals(2 * Math.log(0.2), mlp.namedParameters().get("outputLogVar").toDoubleArray()[0], 1e-6);
        Vae conv = new Vae(VaeConfig.smallConv(), new Rng(1));
        assertArrayEquals(new long[] {32, 1, 4, 4}, conv.namedParameters().get("encoder.body.0.weight").shape());
        assertArrayEquals(new long[] {64 * 7 * 7, 16}, conv.namedParameters().get("decoder.project.weight").shape());
        assertArrayEquals(new long[] {32, 1, 4, 4}, conv.namedParameters().get("decoder.body.2.weight").shape());
    }

    @Test
    void presetsHaveTheParameterCountsTheGuideLists() {
        assertEquals(102_224, new Vae(VaeConfig.digits(), new Rng(1)).numParameters());
        assertEquals(1_079_600, new Vae(VaeConfig.fashionMnist(), new Rng(1)).numParameters());
        assertEquals(220_385, new Vae(VaeConfig.smallConv(), new Rng(1)).numParameters());
    }

    @Test
    void shapesThroughEncodeDecodeSampleAndReconstruct() {
        for (VaeConfig c : new VaeConfig[] {SMALL, VaeConfig.smallConv().withImage(1, 8, 8).withNumClasses(3)}) {
            Rng rng = new Rng(2);
            Vae vae = new Vae(c, rng);
            Tensor x = Random.rand(rng, DType.FLOAT32, 4, c.channels(), c.height(), c.width());
            Tensor y = c.numClasses() > 0 ? Tensor.ofLongs(new long[] {0, 1, 2, 1}, 4) : null;
            DiagonalGaussian q = vae.encode(x, y);
            assertArrayEquals(new long[] {4, c.latentDim()}, q.mu().shape());
            assertArrayEquals(x.shape(), vae.reconstruct(x, y).shape());
            Tensor s = vae.sample(4, y, rng);
            assertArrayEquals(x.shape(), s.shape());
            for (float v : s.toFloatArray()) {
                assertTrue(v >= 0 && v <= 1, "Bernoulli means lie in [0, 1]");
            }
            assertArrayEquals(new long[] {4}, vae.importanceWeighted(x, y, 3, rng).shape());
        }
    }

    @Test
    void importanceWeightsOfRepeatedNoiseGiveTheSingleSampleLogWeight() {
        Rng rng = new Rng(3);
        Vae vae = new Vae(SMALL, DType.FLOAT64, rng);
        Tensor x = TensorAssert.uniform(rng, 0, 1, 3, 1, 2, 3);
        Tensor eps = Random.randn(rng, DType.FLOAT64, 3, 2);
        DiagonalGaussian q = vae.encode(x, null);
        Tensor z = q.sample(eps);
        Tensor logW = vae.logLikelihood(x, vae.decode(z, null)).add(LogDensity.standardNormal(z)).sub(q.logProb(z));
        Tensor same = Shapes.stack(0, eps, eps, eps, eps);                  // (4, 3, 2): four equal draws
        TensorAssert.assertClose(logW, vae.importanceWeighted(x, null, same), 1e-10, 1e-10);
    }

    @Test
    void monteCarloKlMatchesTheClosedForm() {
        Rng rng = new Rng(4);
        Tensor mu = TensorAssert.uniform(rng, -1, 1, 1, 3);
        Tensor logVar = TensorAssert.uniform(rng, -1, 0.5, 1, 3);
        DiagonalGaussian q = new DiagonalGaussian(mu, logVar);
        Tensor z = q.sample(Random.randn(rng, DType.FLOAT64, 20_000, 1, 3));   // (K, 1, 3)
        double mc = q.logProb(z).sub(LogDensity.standardNormal(z)).mean().item();
        assertEquals(q.klToStandardNormal().item(), mc, 0.03);
    }

    @Test
    void interpolationsStartAndEndAtTheEndpoints() {
        Tensor a = Tensor.of(new double[] {1, 0, 0}, 3);
        Tensor b = Tensor.of(new double[] {0, 1, 0}, 3);
        Tensor lin = Interpolation.linear(a, b, 5);
        Tensor slerp = Interpolation.spherical(a, b, 5);
        for (Tensor path : new Tensor[] {lin, slerp}) {
            TensorAssert.assertClose(a, Shapes.slice(path, 0, 0, 1).reshape(3), 1e-12, 1e-12);
            TensorAssert.assertClose(b, Shapes.slice(path, 0, 4, 5).reshape(3), 1e-12, 1e-12);
        }
        double[] mid = Shapes.slice(slerp, 0, 2, 3).toDoubleArray();
        assertEquals(1.0, Math.hypot(mid[0], mid[1]), 1e-12, "slerp keeps the norm of unit endpoints");
        assertEquals(0.5, Shapes.slice(lin, 0, 2, 3).toDoubleArray()[0], 1e-12);
    }

    @Test
    void badInputNamesTheArgumentAndShape() {
        Vae vae = new Vae(SMALL, new Rng(5));
        assertEquals("Vae.encode: x (4,1,3,2) must be (B, 1, 2, 3)", assertThrows(IllegalArgumentException.class,
                () -> vae.encode(Tensor.zeros(4, 1, 3, 2), null)).getMessage());
        assertEquals("Vae.decode: z (4,3) must be (B, 2)", assertThrows(IllegalArgumentException.class,
                () -> vae.decode(Tensor.zeros(4, 3), null)).getMessage());
        assertEquals("Vae.encode: labels given to an unconditional VAE (numClasses = 0)", assertThrows(
                IllegalArgumentException.class, () -> vae.encode(Tensor.zeros(1, 1, 2, 3),
                        Tensor.ofLongs(new long[] {0}, 1))).getMessage());
        assertEquals("Vae.elbo: eps (2,2) must be (1,2)", assertThrows(IllegalArgumentException.class,
                () -> vae.elbo(Tensor.zeros(1, 1, 2, 3), null, Tensor.zeros(2, 2))).getMessage());
        Vae cvae = new Vae(SMALL.withNumClasses(3), new Rng(5));
        assertEquals("Vae.decode: a conditional VAE (numClasses = 3) needs int64 labels (2)", assertThrows(
                IllegalArgumentException.class, () -> cvae.decode(Tensor.zeros(2, 2), null)).getMessage());
        assertEquals("Vae.decode: label 3 is outside [0, 3)", assertThrows(IllegalArgumentException.class,
                () -> cvae.decode(Tensor.zeros(1, 2), Tensor.ofLongs(new long[] {3}, 1))).getMessage());
        assertEquals("Interpolation.linear: steps must be at least 2, got 1", assertThrows(
                IllegalArgumentException.class, () -> Interpolation.linear(Tensor.zeros(2), Tensor.zeros(2), 1))
                .getMessage());
    }

    @Test
    void configRejectsBadFieldsByName() {
        assertEquals("VaeConfig: a CONV VAE with 2 stride-2 stages needs height and width divisible by 4, got 6x6",
                assertThrows(IllegalArgumentException.class, () -> VaeConfig.smallConv().withImage(1, 6, 6))
                        .getMessage());
        assertEquals("VaeConfig: latentDim must be positive, got 0", assertThrows(IllegalArgumentException.class,
                () -> VaeConfig.digits().withLatentDim(0)).getMessage());
        assertEquals("VaeConfig: beta must be non-negative and finite, got -1.0", assertThrows(
                IllegalArgumentException.class, () -> VaeConfig.digits().withBeta(-1)).getMessage());
        assertEquals("VaeConfig: hiddenDims needs at least one entry, got []", assertThrows(
                IllegalArgumentException.class, () -> VaeConfig.digits().withHiddenDims()).getMessage());
        assertEquals(VaeConfig.digits(), VaeConfig.digits().withBeta(1));
    }
}
