package org.latent4j.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.latent4j.core.autograd.Autograd;
import org.latent4j.core.autograd.GraphMode;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.Fixtures;
import org.latent4j.core.testing.TensorAssert;

class GanLossTest {
    private static final Fixtures.Case C = Fixtures.load("gan").get("losses");

    private static void matches(String key, Function<Tensor[], Tensor> loss) {
        Tensor real = C.tensor("real").requireGrad();
        Tensor fake = C.tensor("fake").requireGrad();
        Tensor v = loss.apply(new Tensor[] {real, fake});
        assertEquals(C.tensor(key).item(), v.item(), 1e-12, key);
        Tensor[] g = Autograd.grad(v, new Tensor[] {real, fake}, GraphMode.DISCARD);
        TensorAssert.assertClose(C.tensor(key + ".dreal"), g[0], 1e-10, 1e-12);
        TensorAssert.assertClose(C.tensor(key + ".dfake"), g[1], 1e-10, 1e-12);
    }

    @Test
    void discriminatorLossesMatchPyTorch() {
        matches("d_bce", x -> GanLoss.NON_SATURATING.discriminator(x[0], x[1]));
        matches("d_bce", x -> GanLoss.MINIMAX.discriminator(x[0], x[1]));
        matches("d_hinge", x -> GanLoss.HINGE.discriminator(x[0], x[1]));
        matches("d_wasserstein", x -> GanLoss.WASSERSTEIN.discriminator(x[0], x[1]));
    }

    @Test
    void generatorLossesMatchPyTorch() {
        matches("g_minimax", x -> GanLoss.MINIMAX.generator(x[1]).add(x[0].mul(0).sum()));
        matches("g_ns", x -> GanLoss.NON_SATURATING.generator(x[1]).add(x[0].mul(0).sum()));
        matches("g_linear", x -> GanLoss.HINGE.generator(x[1]).add(x[0].mul(0).sum()));
        matches("g_linear", x -> GanLoss.WASSERSTEIN.generator(x[1]).add(x[0].mul(0).sum()));
    }

    @Test
    void minimaxGeneratorLossIsMinusTheDiscriminatorsFakeTerm() {
        // Goodfellow's value function: G minimizes E[log(1 - D(G(z)))], the negative of D's loss on fakes
        Tensor real = Tensor.of(new double[] {0.3}, 1);
        Tensor fake = Tensor.of(new double[] {-1.2, 0.4, 2.0}, 3);
        double dFakeTerm = GanLoss.MINIMAX.discriminator(real, fake).item()
                - GanLoss.MINIMAX.discriminator(real, Tensor.of(new double[] {-1000}, 1)).item();
        assertEquals(-dFakeTerm, GanLoss.MINIMAX.generator(fake).item(), 1e-12);
        // at D(G(z)) = 1/2 the saturating and non-saturating losses agree in value (both log 2 in magnitude)
        Tensor half = Tensor.of(new double[] {0.0}, 1);
        assertEquals(-Math.log(2), GanLoss.MINIMAX.generator(half).item(), 1e-12);
        assertEquals(Math.log(2), GanLoss.NON_SATURATING.generator(half).item(), 1e-12);
    }

    @ParameterizedTest
    @EnumSource(GanLoss.class)
    void lossesPassFirstAndSecondOrderGradCheck(GanLoss loss) {
        // logits away from the hinge's kinks at ±1
        Tensor real = Tensor.of(new double[] {-2.3, 0.4, 1.7, 3.1}, 4);
        Tensor fake = Tensor.of(new double[] {-1.6, -0.3, 0.6, 2.2}, 4);
        TensorAssert.assertGradients(x -> loss.discriminator(x[0], x[1]), real, fake);
        TensorAssert.assertGradients(x -> loss.generator(x[0]), fake);
        TensorAssert.assertSecondOrderGradients(x -> loss.discriminator(x[0], x[1]), real, fake);
        TensorAssert.assertSecondOrderGradients(x -> loss.generator(x[0]), fake);
    }

    @Test
    void badLogitsAreRejectedWithTheirShape() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> GanLoss.HINGE.discriminator(Tensor.zeros(3, 1), Tensor.zeros(3)));
        assertEquals("GanLoss.HINGE: realLogits must be a non-empty vector (N), got (3,1)", e.getMessage());
        var f = assertThrows(IllegalArgumentException.class, () -> GanLoss.parse("lsgan"));
        assertEquals("GanLoss: unknown loss 'lsgan' (minimax, non-saturating, hinge or wasserstein)", f.getMessage());
        assertEquals(GanLoss.NON_SATURATING, GanLoss.parse(GanLoss.NON_SATURATING.cliName()));
    }
}
