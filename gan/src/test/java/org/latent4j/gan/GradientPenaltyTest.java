package org.latent4j.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.latent4j.core.testing.ParameterGradCheck;
import org.latent4j.core.nn.Module;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.Fixtures;
import org.latent4j.core.testing.TensorAssert;

/**
 * The gradient penalties end to end through the core's higher-order gradients: the penalty's value and its
 * gradient in every discriminator parameter against PyTorch (create_graph=True) for an MLP and a DCGAN
 * discriminator, and the same gradients against float64 central differences.
 */
class GradientPenaltyTest {
    private static final Fixtures FIX = Fixtures.load("gan");
    /** MLP discriminator of the fixture: 2 → 5 → 5 → 1, leaky slope 0.2. */
    private static final MlpGanConfig MLP = new MlpGanConfig(2, 3, 5, 1, 2, 0.2);
    /** DCGAN discriminator of the fixture: 8×8×1, widths 2 and 4, a 2×2 last kernel. */
    private static final DcganConfig DCGAN = new DcganConfig(8, 1, 3, 2, 2, 2);

    static <M extends Module> M loaded(M module, Fixtures.Case c) {
        Map<String, Tensor> state = new LinkedHashMap<>(module.stateDict());
        for (String name : module.namedParameters().keySet()) {
            state.put(name, c.tensor("param." + name));
        }
        module.loadStateDict(state, Module.LoadMode.STRICT);
        return module;
    }

    private static void matchesPyTorch(Discriminator d, Fixtures.Case c, Supplier<Tensor> penalty) {
        loaded(d, c);
        d.zeroGrad();
        Tensor p = penalty.get();
        assertEquals(c.tensor("penalty").item(), p.item(), 1e-10 * Math.max(1, Math.abs(p.item())), c.name());
        for (Tensor t : d.parameters()) {
            t.clearGrad();
        }
        p.backward();
        d.namedParameters().forEach((name, t) -> {
            Tensor expected = c.tensor("grad." + name);
            Tensor actual = t.grad() == null ? Tensor.zerosLike(expected) : t.grad();
            TensorAssert.assertClose(expected, actual, 1e-8, 1e-10);
        });
    }

    @Test
    void wganGpOfAnMlpDiscriminatorMatchesPyTorchInValueAndParameterGradients() {
        Fixtures.Case c = FIX.get("mlp_wgan_gp");
        MlpDiscriminator d = new MlpDiscriminator(MLP, DType.FLOAT64, new Rng(1));
        matchesPyTorch(d, c, () -> GradientPenalty.wganGp(d, c.tensor("real"), c.tensor("fake"), c.tensor("eps")));
    }

    @Test
    void r1OfAnMlpDiscriminatorMatchesPyTorch() {
        Fixtures.Case c = FIX.get("mlp_r1");
        MlpDiscriminator d = new MlpDiscriminator(MLP, DType.FLOAT64, new Rng(1));
        matchesPyTorch(d, c, () -> GradientPenalty.r1(d, c.tensor("real")));
    }

    @Test
    void wganGpOfADcganDiscriminatorMatchesPyTorchThroughStridedConvolutions() {
        Fixtures.Case c = FIX.get("dcgan_wgan_gp");
        DcganDiscriminator d = new DcganDiscriminator(DCGAN, DType.FLOAT64, new Rng(1));
        loaded(d, c);
        TensorAssert.assertClose(c.tensor("logits"), d.forward(c.tensor("real")), 1e-10, 1e-12);
        matchesPyTorch(d, c, () -> GradientPenalty.wganGp(d, c.tensor("real"), c.tensor("fake"), c.tensor("eps")));
    }

    @Test
    void r1OfADcganDiscriminatorMatchesPyTorch() {
        Fixtures.Case c = FIX.get("dcgan_r1");
        DcganDiscriminator d = new DcganDiscriminator(DCGAN, DType.FLOAT64, new Rng(1));
        matchesPyTorch(d, c, () -> GradientPenalty.r1(d, c.tensor("real")));
    }

    @Test
    void penaltyGradientsInTheMlpParametersPassFloat64GradCheck() {
        Rng rng = new Rng(3);
        MlpDiscriminator d = new MlpDiscriminator(MLP, DType.FLOAT64, rng);
        Tensor real = TensorAssert.uniform(rng, -2, 2, 6, 2);
        Tensor fake = TensorAssert.uniform(rng, -2, 2, 6, 2);
        Tensor eps = TensorAssert.uniform(rng, 0.1, 0.9, 6, 1);
        double gp = ParameterGradCheck.assertGradients(d.namedParameters(),
                () -> GradientPenalty.wganGp(d, real, fake, eps), 8, 1e-4);
        double r1 = ParameterGradCheck.assertGradients(d.namedParameters(), () -> GradientPenalty.r1(d, real), 8,
                1e-4);
        assertTrue(gp < 1e-5 && r1 < 1e-5, gp + " " + r1);
    }

    @Test
    void wganGpGradientsInTheDcganParametersPassFloat64GradCheck() {
        Rng rng = new Rng(4);
        DcganDiscriminator d = new DcganDiscriminator(DCGAN, DType.FLOAT64, rng);
        // larger weights than DCGAN's N(0, 0.02) so the penalty's gradient is well above rounding
        for (Tensor p : d.parameters()) {
            org.latent4j.core.nn.Init.uniform(p, -0.5, 0.5, rng);
        }
        Tensor real = TensorAssert.uniform(rng, -1, 1, 2, 1, 8, 8);
        Tensor fake = TensorAssert.uniform(rng, -1, 1, 2, 1, 8, 8);
        Tensor eps = TensorAssert.uniform(rng, 0.1, 0.9, 2, 1, 1, 1);
        // three elements of each of the six parameters: every element costs two double-backward passes
        ParameterGradCheck.assertGradients(d.namedParameters(), () -> GradientPenalty.wganGp(d, real, fake, eps), 3,
                1e-4);
    }

    @Test
    void randomInterpolationDrawsOneWeightPerSample() {
        Rng rng = new Rng(5);
        MlpDiscriminator d = new MlpDiscriminator(MLP, DType.FLOAT64, rng);
        Tensor real = TensorAssert.uniform(rng, -2, 2, 4, 2);
        Tensor fake = TensorAssert.uniform(rng, -2, 2, 4, 2);
        double a = GradientPenalty.wganGp(d, real, fake, new Rng(9)).item();
        double b = GradientPenalty.wganGp(d, real, fake, new Rng(9)).item();
        assertEquals(a, b, 0, "the same rng gives the same penalty");
        // with real == fake the interpolation is the sample itself, whatever ε
        assertEquals(GradientPenalty.wganGp(d, real, real, TensorAssert.uniform(rng, 0, 1, 4, 1)).item(),
                GradientPenalty.wganGp(d, real, real, new Rng(1)).item(), 1e-12);
    }

    @Test
    void badInputsNameTheArgumentAndShapes() {
        MlpDiscriminator d = new MlpDiscriminator(MLP, DType.FLOAT64, new Rng(1));
        var e = assertThrows(IllegalArgumentException.class,
                () -> GradientPenalty.wganGp(d, Tensor.zeros(DType.FLOAT64, 3, 2), Tensor.zeros(DType.FLOAT64, 4, 2),
                        new Rng(1)));
        assertEquals("wganGp: real and fake must be batches (N, …) of one shape, got (3,2) and (4,2)", e.getMessage());
        var f = assertThrows(IllegalArgumentException.class,
                () -> GradientPenalty.wganGp(d, Tensor.zeros(DType.FLOAT64, 3, 2), Tensor.zeros(DType.FLOAT64, 3, 2),
                        Tensor.zeros(DType.FLOAT64, 3, 2)));
        assertEquals("wganGp: eps must be (N, 1, …, 1) with N = 3 and rank 2, got (3,2)", f.getMessage());
        var g = assertThrows(IllegalArgumentException.class, () -> GradientPenalty.Options.wganGp(-1));
        assertEquals("GradientPenalty.Options: weight must be finite and >= 0, got -1.0", g.getMessage());
    }
}
