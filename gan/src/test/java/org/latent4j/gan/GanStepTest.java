package org.latent4j.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.latent4j.core.data.ToyDatasets;
import org.latent4j.core.optim.Adam;
import org.latent4j.core.optim.Sgd;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

class GanStepTest {
    private static List<double[]> snapshot(org.latent4j.core.nn.Module m) {
        List<double[]> out = new ArrayList<>();
        m.parameters().forEach(p -> out.add(p.toDoubleArray()));
        return out;
    }

    private static boolean changed(List<double[]> before, org.latent4j.core.nn.Module m) {
        List<double[]> now = snapshot(m);
        for (int i = 0; i < now.size(); i++) {
            if (!java.util.Arrays.equals(before.get(i), now.get(i))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void discriminatorStepsLeaveTheGeneratorAloneWithOneSharedAdam() {
        Rng rng = new Rng(1);
        Gan gan = new Gan(new MlpGenerator(MlpGanConfig.tiny(), rng), new MlpDiscriminator(MlpGanConfig.tiny(), rng));
        Adam adam = gan.adam(1e-2, 1e-2, 0.5, 0.999);
        AtomicInteger batches = new AtomicInteger();
        GanStep step = new GanStep(gan.generator(), gan.discriminator(), adam, adam,
                GanStep.Options.defaults().withDiscriminatorSteps(3));
        List<double[]> g0 = snapshot(gan.generator());
        List<double[]> d0 = snapshot(gan.discriminator());
        GanStep.Result r = step.run(() -> {
            batches.incrementAndGet();
            return ToyDatasets.ring(rng, 8).field(0);
        }, rng);
        assertEquals(3, batches.get(), "k = 3 real batches per round");
        assertTrue(changed(g0, gan.generator()) && changed(d0, gan.discriminator()));
        // every discriminator parameter took 3 Adam steps, every generator parameter 1
        gan.discriminator().parameters().forEach(p -> assertEquals(3, adam.stepCount(p)));
        gan.generator().parameters().forEach(p -> assertEquals(1, adam.stepCount(p)));
        gan.parameters().forEach(p -> {
            assertNull(p.grad(), "gradients are cleared after a round");
            assertTrue(p.requiresGrad(), "both networks are trainable after a round");
        });
        assertTrue(r.dReal() > 0 && r.dReal() < 1 && r.dFake() > 0 && r.dFake() < 1, r.toString());
        assertEquals(Math.log(2) * 2, r.discriminatorLoss(), 0.5, "near 2 log 2 at the start");
    }

    @Test
    void theGeneratorStepMatchesAHandWrittenNonSaturatingUpdate() {
        // with plain SGD, G's update must equal −lr·∂(softplus(−D(G(z))))/∂θ_G at the D reached after its step
        Rng init = new Rng(2);
        MlpGanConfig c = MlpGanConfig.tiny();
        MlpGenerator g = new MlpGenerator(c, DType.FLOAT64, init);
        MlpDiscriminator d = new MlpDiscriminator(c, DType.FLOAT64, init);
        Tensor real = org.latent4j.core.testing.TensorAssert.uniform(new Rng(3), -2, 2, 4, 2);
        double lr = 0.1;
        Sgd gOpt = new Sgd(g.parameters(), Sgd.Options.of(lr));
        Sgd dOpt = new Sgd(d.parameters(), Sgd.Options.of(lr));
        List<double[]> g0 = snapshot(g);
        new GanStep(g, d, gOpt, dOpt, GanStep.Options.defaults()).run(() -> real, new Rng(4));
        List<double[]> g1 = snapshot(g);

        // replay: same z (same rng draws), G at its old weights, D at its new weights
        Tensor z = g.latent(new Rng(4), 4);
        List<Tensor> params = g.parameters();
        for (int i = 0; i < params.size(); i++) {
            org.latent4j.core.ops.Elementwise.copyInPlace(params.get(i),
                    Tensor.of(g0.get(i), params.get(i).shape()));
        }
        GanLoss.NON_SATURATING.generator(d.forward(g.forward(z))).backward();
        for (int i = 0; i < params.size(); i++) {
            double[] grad = params.get(i).grad().toDoubleArray();
            for (int j = 0; j < grad.length; j++) {
                assertEquals(g0.get(i)[j] - lr * grad[j], g1.get(i)[j], 1e-12);
            }
        }
    }

    @Test
    void penaltiesTrainThroughTheStep() {
        for (GradientPenalty.Options p : new GradientPenalty.Options[] {GradientPenalty.Options.wganGp(10),
            GradientPenalty.Options.r1(1)}) {
            Rng rng = new Rng(5);
            Gan gan = new Gan(new MlpGenerator(MlpGanConfig.tiny(), rng),
                    new MlpDiscriminator(MlpGanConfig.tiny(), rng));
            Adam adam = gan.adam(1e-3, 1e-3, 0.0, 0.9);
            GanLoss loss = p.kind() == GradientPenalty.Kind.WGAN_GP ? GanLoss.WASSERSTEIN : GanLoss.NON_SATURATING;
            GanStep step = new GanStep(gan.generator(), gan.discriminator(), adam, adam,
                    GanStep.Options.defaults().withLoss(loss).withPenalty(p));
            GanStep.Result r = step.run(() -> ToyDatasets.ring(rng, 6).field(0), rng);
            assertTrue(r.penalty() > 0 && Double.isFinite(r.discriminatorLoss()), r.toString());
            assertEquals(r.penalty(), r.toMap(true).get("penalty"));
            assertTrue(!r.toMap(false).containsKey("penalty"));
        }
    }

    @Test
    void dcganRoundRunsOnImages() {
        Rng rng = new Rng(6);
        DcganConfig c = DcganConfig.digits8().withWidths(4, 4).withLatentDim(8);
        Gan gan = new Gan(new DcganGenerator(c, rng), new DcganDiscriminator(c, rng));
        Adam adam = gan.adam(2e-4, 2e-4, 0.5, 0.999);
        GanStep step = new GanStep(gan.generator(), gan.discriminator(), adam, adam,
                GanStep.Options.defaults().withLoss(GanLoss.HINGE));
        List<double[]> g0 = snapshot(gan.generator());
        GanStep.Result r = step.run(() -> Tensor.zeros(4, 1, 8, 8), rng);
        assertTrue(changed(g0, gan.generator()));
        assertTrue(Double.isFinite(r.generatorLoss()));
        assertArrayEquals(new long[] {2, 1, 8, 8}, gan.generator().sample(rng, 2).shape());
    }

    @Test
    void badBatchesAndOptionsAreRejected() {
        Rng rng = new Rng(7);
        Gan gan = new Gan(new MlpGenerator(MlpGanConfig.tiny(), rng), new MlpDiscriminator(MlpGanConfig.tiny(), rng));
        Adam adam = gan.adam(1e-3, 1e-3, 0.5, 0.999);
        GanStep step = new GanStep(gan.generator(), gan.discriminator(), adam, adam, GanStep.Options.defaults());
        var e = assertThrows(IllegalArgumentException.class, () -> step.run(() -> Tensor.zeros(4, 3), rng));
        assertEquals("GanStep: the generator made (4,2) for a real batch (4,3)", e.getMessage());
        var f = assertThrows(IllegalArgumentException.class,
                () -> GanStep.Options.defaults().withDiscriminatorSteps(0));
        assertEquals("GanStep.Options: discriminatorSteps must be >= 1, got 0", f.getMessage());
        gan.parameters().forEach(p -> assertTrue(p.requiresGrad()));
        assertNotEquals(null, step.options());
    }
}
