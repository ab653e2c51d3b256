package org.latent4j.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.latent4j.core.ops.Random;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.TensorAssert;

class GuidanceTest {
    private final MlpDenoiser model = new MlpDenoiser(MlpDenoiserConfig.tiny().withNumClasses(3), DType.FLOAT64,
            new Rng(1));
    private final Tensor x = Random.randn(new Rng(2), DType.FLOAT64, 4, 2);
    private final Tensor t = Tensor.ofLongs(new long[] {0, 10, 100, 999}, 4);
    private final Condition labels = Condition.ofLabels(Tensor.ofLongs(new long[] {0, 1, 2, 1}, 4));

    @Test
    void guidedPredictionExtrapolatesFromTheUnconditionalOne() {
        Tensor cond = model.forward(x, t, labels);
        Tensor uncond = model.forward(x, t, labels.unconditional());
        Tensor guided = Guidance.classifierFree(model, 3).forward(x, t, labels);
        TensorAssert.assertClose(uncond.add(cond.sub(uncond).mul(3)), guided, 1e-9, 1e-12);
        TensorAssert.assertClose(cond, Guidance.classifierFree(model, 1).forward(x, t, labels), 0, 0);
    }

    @Test
    void conditionDropoutReplacesLabelsAndCaptionsTogether() {
        Tensor tokens = Tensor.ofLongs(new long[] {1, 2, 3, 4, 5, 6, 7, 8}, 4, 2);
        Condition c = new Condition(labels.labels(), tokens).dropped(0.5, new Rng(3));
        long[] l = c.labels().toLongArray();
        long[] k = c.tokens().toLongArray();
        int dropped = 0;
        for (int i = 0; i < 4; i++) {
            boolean d = l[i] == Condition.NULL_LABEL;
            assertEquals(d, k[2 * i] == 0 && k[2 * i + 1] == 0, "element " + i);
            dropped += d ? 1 : 0;
        }
        assertEquals(true, dropped > 0 && dropped < 4, "with this seed some but not all are dropped: " + dropped);
        assertArrayEquals(new long[] {-1, -1, -1, -1}, labels.unconditional().labels().toLongArray());
        assertEquals(labels, labels.dropped(0, new Rng(1)));
    }

    @Test
    void labelsOutsideTheClassesAreRejected() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> model.forward(x, t, Condition.ofLabels(Tensor.ofLongs(new long[] {0, 1, 3, 1}, 4))));
        assertEquals("MlpDenoiser: label 3 is outside [0, 3) (or Condition.NULL_LABEL)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> model.forward(x, t, Condition.NONE));
        assertEquals("MlpDenoiser: the model is class-conditional; pass labels (Condition.NULL_LABEL for none)",
                e.getMessage());
    }

    @Test
    void mlpDenoiserGradientsPassTheCheck() {
        Rng rng = new Rng(6);
        Tensor in = TensorAssert.uniform(rng, -1, 1, 3, 2).requireGrad();
        Tensor w = TensorAssert.uniform(rng, -1, 1, 3, 2);
        Tensor steps = Tensor.ofLongs(new long[] {1, 50, 400}, 3);
        Condition c = Condition.ofLabels(Tensor.ofLongs(new long[] {2, -1, 0}, 3));
        TensorAssert.assertGradients(a -> model.forward(a[0], steps, c).mul(w).sum(), in);
    }
}
