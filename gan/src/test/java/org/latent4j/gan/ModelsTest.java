package org.latent4j.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.latent4j.core.testing.ParameterGradCheck;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.Fixtures;
import org.latent4j.core.testing.TensorAssert;

class ModelsTest {
    @Test
    void mlpNetworksHavePyTorchNamesAndShapes() {
        Rng rng = new Rng(1);
        MlpGanConfig c = MlpGanConfig.toy2d();
        MlpGenerator g = new MlpGenerator(c, rng);
        MlpDiscriminator d = new MlpDiscriminator(c, rng);
        assertEquals(List.of("net.0.weight", "net.0.bias", "net.2.weight", "net.2.bias", "net.4.weight", "net.4.bias"),
                List.copyOf(g.namedParameters().keySet()));
        assertArrayEquals(new long[] {64, 16}, g.namedParameters().get("net.0.weight").shape());
        Tensor x = g.sample(rng, 5);
        assertArrayEquals(new long[] {5, 2}, x.shape());
        assertArrayEquals(new long[] {5}, d.forward(x).shape());
        assertArrayEquals(new long[] {1, 64}, d.namedParameters().get("net.4.weight").shape());
        Gan gan = new Gan(g, d);
        assertTrue(gan.namedParameters().containsKey("generator.net.0.weight"));
        assertTrue(gan.namedParameters().containsKey("discriminator.net.4.bias"));
    }

    @Test
    void dcganPresetsMakeImagesOfTheirSizeAndOneLogitPerImage() {
        Rng rng = new Rng(2);
        for (DcganConfig c : new DcganConfig[] {DcganConfig.digits8(), DcganConfig.small16(), DcganConfig.mnist28()}) {
            DcganGenerator g = new DcganGenerator(c.withWidths(4, 4), rng);
            DcganDiscriminator d = new DcganDiscriminator(c.withWidths(4, 4), rng);
            Tensor x = g.sample(rng, 3);
            assertArrayEquals(new long[] {3, c.channels(), c.imageSize(), c.imageSize()}, x.shape(), c.toString());
            assertArrayEquals(new long[] {3}, d.forward(x).shape());
            double[] v = x.toDoubleArray();
            for (double p : v) {
                assertTrue(p > -1 && p < 1, "tanh output " + p);
            }
        }
    }

    @Test
    void dcganGeneratorMatchesPyTorchInTrainingMode() {
        Fixtures.Case c = Fixtures.load("gan").get("dcgan_generator");
        DcganGenerator g = GradientPenaltyTest.loaded(new DcganGenerator(new DcganConfig(8, 1, 3, 2, 2, 2),
                DType.FLOAT64, new Rng(1)), c);
        assertEquals(List.of("main.0.weight", "main.1.weight", "main.1.bias", "main.3.weight", "main.4.weight",
                "main.4.bias", "main.6.weight"), List.copyOf(g.namedParameters().keySet()));
        Tensor out = g.forward(c.tensor("z"));
        TensorAssert.assertClose(c.tensor("out"), out, 1e-9, 1e-11);
        out.mul(c.tensor("weights")).sum().backward();
        g.namedParameters().forEach((name, p) -> TensorAssert.assertClose(c.tensor("grad." + name), p.grad(), 1e-8,
                1e-10));
        TensorAssert.assertClose(c.tensor("running_mean"), g.namedBuffers().get("main.1.running_mean"), 1e-9, 1e-12);
        TensorAssert.assertClose(c.tensor("running_var"), g.namedBuffers().get("main.1.running_var"), 1e-9, 1e-12);
    }

    @Test
    void generatorsPassFloat64GradCheckInTheirParameters() {
        Rng rng = new Rng(3);
        MlpGenerator g = new MlpGenerator(MlpGanConfig.tiny(), DType.FLOAT64, rng);
        Tensor z = TensorAssert.uniform(rng, -1, 1, 4, 3);
        Tensor w = TensorAssert.uniform(rng, 0.5, 1.5, 4, 2);
        ParameterGradCheck.assertGradients(g.namedParameters(), () -> g.forward(z).mul(w).sum(), 8, 1e-4);
        DcganGenerator dc = new DcganGenerator(new DcganConfig(8, 1, 3, 2, 2, 2), DType.FLOAT64, rng);
        Tensor z2 = TensorAssert.uniform(rng, -1, 1, 3, 3);
        Tensor w2 = TensorAssert.uniform(rng, 0.5, 1.5, 3, 1, 8, 8);
        ParameterGradCheck.assertGradients(dc.namedParameters(), () -> dc.forward(z2).mul(w2).sum(), 3, 1e-4);
    }

    @Test
    void configsRejectBadFieldsByName() {
        var a = assertThrows(IllegalArgumentException.class, () -> new MlpGanConfig(2, 0, 8, 1, 1, 0.2));
        assertEquals("MlpGanConfig: latentDim must be positive, got 0", a.getMessage());
        var b = assertThrows(IllegalArgumentException.class, () -> new MlpGanConfig(2, 4, 8, 1, 1, 1.5));
        assertEquals("MlpGanConfig: leakySlope must be in [0, 1), got 1.5", b.getMessage());
        var c = assertThrows(IllegalArgumentException.class, () -> new DcganConfig(10, 1, 8, 8, 8, 2));
        assertEquals("DcganConfig: imageSize 10 must be a multiple of 2^upsamplings = 2^2", c.getMessage());
        var d = assertThrows(IllegalArgumentException.class, () -> new DcganConfig(8, 1, 8, 0, 8, 2));
        assertEquals("DcganConfig: generatorWidth must be positive, got 0", d.getMessage());
    }

    @Test
    void wrongInputShapesAreRejectedWithTheExpectedShape() {
        Rng rng = new Rng(4);
        MlpGenerator g = new MlpGenerator(MlpGanConfig.toy2d(), rng);
        var e = assertThrows(IllegalArgumentException.class, () -> g.forward(Tensor.zeros(3, 8)));
        assertEquals("MlpGenerator: latent z must be (N, 16), got (3,8)", e.getMessage());
        MlpDiscriminator d = new MlpDiscriminator(MlpGanConfig.toy2d(), rng);
        var f = assertThrows(IllegalArgumentException.class, () -> d.forward(Tensor.zeros(3, 3)));
        assertEquals("MlpDiscriminator: input must be (N, 2), got (3,3)", f.getMessage());
        DcganDiscriminator dc = new DcganDiscriminator(DcganConfig.digits8(), rng);
        var h = assertThrows(IllegalArgumentException.class, () -> dc.forward(Tensor.zeros(2, 1, 16, 16)));
        assertEquals("DcganDiscriminator: input must be (N, 1, 8, 8), got (2,1,16,16)", h.getMessage());
    }
}
