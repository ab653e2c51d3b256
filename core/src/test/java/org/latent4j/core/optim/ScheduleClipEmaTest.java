package org.latent4j.core.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.latent4j.core.testing.TensorAssert.assertClose;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.latent4j.core.nn.Linear;
import org.latent4j.core.nn.ParamOptions;
import org.latent4j.core.kernels.Kernels;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.Fixtures;

class ScheduleClipEmaTest {
    private static final Fixtures FIX = Fixtures.load("optim");

    @Test
    void cosineAndStepDecayMatchPyTorchSchedulers() {
        double[] cos = FIX.get("schedules").tensor("cosine").toDoubleArray();
        LrSchedule cosine = LrSchedule.cosine(10, 0.01);
        for (int step = 0; step < cos.length; step++) {
            assertEquals(cos[step], cosine.lr(step, 0.5), 1e-12, "cosine at step " + step);
        }
        double[] stepLrs = FIX.get("schedules").tensor("step").toDoubleArray();
        LrSchedule decay = LrSchedule.stepDecay(3, 0.5);
        for (int step = 0; step < stepLrs.length; step++) {
            assertEquals(stepLrs[step], decay.lr(step, 0.5), 1e-12, "step decay at step " + step);
        }
    }

    @Test
    void warmupRisesLinearlyThenCosineReachesTheFloor() {
        LrSchedule s = LrSchedule.warmupCosine(4, 14, 0.1);
        assertEquals(0.25, s.lr(0, 1.0), 1e-12);
        assertEquals(1.0, s.lr(3, 1.0), 1e-12);
        assertEquals(1.0, s.lr(4, 1.0), 1e-12);
        assertEquals(0.55, s.lr(9, 1.0), 1e-12);
        assertEquals(0.1, s.lr(14, 1.0), 1e-12);
        assertEquals(0.1, s.lr(100, 1.0), 1e-12);
        assertEquals(0.5, LrSchedule.linearWarmup(4).lr(1, 1.0), 1e-12);
        assertEquals(1.0, LrSchedule.linearWarmup(4).lr(7, 1.0), 1e-12);
        assertEquals("LrSchedule.warmupCosine: totalSteps 4 must exceed warmupSteps 4",
                assertThrows(IllegalArgumentException.class, () -> LrSchedule.warmupCosine(4, 4, 0)).getMessage());
    }

    @Test
    void clipGradNormMatchesPyTorchForEachNormType() {
        for (String name : List.of("clip_norm_l2", "clip_norm_inf", "clip_norm_l1")) {
            Fixtures.Case c = FIX.get(name);
            Tensor a = Tensor.zeros(DType.FLOAT64, 3, 4).requireGrad();
            Tensor b = Tensor.zeros(DType.FLOAT64, 5).requireGrad();
            a.setGrad(c.tensor("grad_a"));
            b.setGrad(c.tensor("grad_b"));
            double normType = name.endsWith("l2") ? 2 : name.endsWith("l1") ? 1 : Double.POSITIVE_INFINITY;
            double total = GradClip.clipGradNorm(List.of(a, b), 0.5, normType);
            assertEquals(c.number("total"), total, 1e-12, name);
            assertClose(c.tensor("clipped_a"), a.grad(), 1e-12, 1e-14);
            assertClose(c.tensor("clipped_b"), b.grad(), 1e-12, 1e-14);
        }
    }

    /** Float32 gradients take the Java norm and scale kernels; the same fixtures, to float32 precision. */
    @Test
    void clipGradNormMatchesPyTorchInFloat32() {
        for (String name : List.of("clip_norm_l2", "clip_norm_inf", "clip_norm_l1")) {
            Fixtures.Case c = FIX.get(name);
            Tensor a = Tensor.zeros(DType.FLOAT32, 3, 4).requireGrad();
            Tensor b = Tensor.zeros(DType.FLOAT32, 5).requireGrad();
            a.setGrad(c.tensor("grad_a").to(DType.FLOAT32));
            b.setGrad(c.tensor("grad_b").to(DType.FLOAT32));
            assertTrue(Kernels.hasNorm(a.grad().value()), "the float32 path is under test");
            double normType = name.endsWith("l2") ? 2 : name.endsWith("l1") ? 1 : Double.POSITIVE_INFINITY;
            double total = GradClip.clipGradNorm(List.of(a, b), 0.5, normType);
            assertEquals(c.number("total"), total, 1e-6 * c.number("total"), name);
            assertClose(c.tensor("clipped_a"), a.grad().to(DType.FLOAT64), 1e-6, 1e-7);
            assertClose(c.tensor("clipped_b"), b.grad().to(DType.FLOAT64), 1e-6, 1e-7);
        }
    }

    @Test
    void clipGradValueClampsLikePyTorch() {
        Fixtures.Case c = FIX.get("clip_value");
        Tensor a = Tensor.zeros(DType.FLOAT64, 3, 4).requireGrad();
        a.setGrad(c.tensor("grad_a"));
        GradClip.clipGradValue(List.of(a), 0.3);
        assertClose(c.tensor("clipped_a"), a.grad());
    }

    @Test
    void emaAveragesByHandComputedDecays() {
        Linear model = new Linear(2, 1, ParamOptions.defaults().withDType(DType.FLOAT64), new Rng(1));
        model.weight().value().assign(1.0);
        Ema ema = new Ema(model, Ema.Options.of(0.9));
        model.weight().value().assign(2.0);
        ema.update();                                   // 0.9·1 + 0.1·2 = 1.1
        model.weight().value().assign(3.0);
        ema.update();                                   // 0.9·1.1 + 0.1·3 = 1.29
        assertEquals(1.29, ema.stateDict().get("weight").value().getDouble(0), 1e-12);

        ema.store();
        ema.copyTo(model);
        assertEquals(1.29, model.weight().value().getDouble(1), 1e-12);
        ema.restore();
        assertEquals(3.0, model.weight().value().getDouble(1), 1e-12);
        assertEquals(2, ema.numUpdates());
    }

    @Test
    void emaWarmupFollowsTheDiffusionFormula() {
        Linear model = new Linear(2, 1, new Rng(1));
        Ema defaults = new Ema(model, Ema.Options.of(0.999).withWarmup());
        assertEquals(0.0, defaults.currentDecay(), 1e-12);   // the first update copies the weights
        defaults.update();
        assertEquals(1 - Math.pow(2, -2.0 / 3), defaults.currentDecay(), 1e-12);

        Ema ema = new Ema(model, Ema.Options.of(0.7).withWarmup(1, 1));  // 1 − 1/(1 + n), capped at 0.7
        double[] expected = {0, 0.5, 2.0 / 3, 0.7, 0.7};
        for (double d : expected) {
            assertEquals(d, ema.currentDecay(), 1e-12);
            ema.update();
        }
    }

    @Test
    void emaStateDictRoundTripsAndRejectsWrongShapes() {
        Linear model = new Linear(3, 2, new Rng(4));
        Ema ema = new Ema(model, Ema.Options.of(0.5));
        ema.update();
        Ema other = new Ema(new Linear(3, 2, new Rng(5)), Ema.Options.of(0.5));
        other.loadStateDict(ema.stateDict());
        assertEquals(1, other.numUpdates());
        assertClose(ema.stateDict().get("weight"), other.stateDict().get("weight"));
        Ema wrong = new Ema(new Linear(2, 2, new Rng(5)), Ema.Options.of(0.5));
        assertEquals("Ema.loadStateDict: expected 'weight' of shape (2,2), got (2,3)",
                assertThrows(IllegalArgumentException.class, () -> wrong.loadStateDict(ema.stateDict())).getMessage());
    }
}
