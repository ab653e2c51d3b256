package org.latent4j.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.latent4j.core.nn.Module;
import org.latent4j.core.ops.Random;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

class FeatureClassifierTest {
    private static final FeatureClassifier.Config TWO_HEADS = new FeatureClassifier.Config(3, 4, 6, new int[] {6, 8}, 0);

    @Test
    void featuresAndLogitsHaveTheConfiguredShapes() {
        FeatureClassifier c = new FeatureClassifier(TWO_HEADS, new Rng(1));
        Tensor x = Random.randn(new Rng(2), DType.FLOAT32, 5, 3, 8, 8);
        assertArrayEquals(new long[] {5, 6}, c.features(x).shape());
        List<Tensor> logits = c.logits(x);
        assertArrayEquals(new long[] {5, 6}, logits.get(0).shape());
        assertArrayEquals(new long[] {5, 8}, logits.get(1).shape());
        assertArrayEquals(new long[] {5, 6}, c.featuresOf(x, 2).shape());       // batched, three pieces
        assertEquals(List.of("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "hidden.weight", "hidden.bias", "heads.0.weight", "heads.0.bias", "heads.1.weight",
                "heads.1.bias"), List.copyOf(c.namedParameters().keySet()));
    }

    @Test
    void aCentredClassifierFeedsEveryCellOfTheLastMapToTheHiddenLayer() {
        FeatureClassifier c = new FeatureClassifier(FeatureClassifier.Config.centred(1, 12, 10), new Rng(8));
        assertArrayEquals(new long[] {64, 32 * 3 * 3}, c.namedParameters().get("hidden.weight").shape());
        Tensor x = Random.randn(new Rng(9), DType.FLOAT32, 2, 1, 12, 12);
        assertArrayEquals(new long[] {2, 64}, c.features(x).shape());
        var e = assertThrows(IllegalArgumentException.class,
                () -> c.features(Tensor.zeros(DType.FLOAT32, 2, 1, 16, 16)));
        assertEquals("FeatureClassifier: images (2,1,16,16) give a 4×4 map, but the classifier flattens 3×3",
                e.getMessage());
    }

    @Test
    void learnsAnEasyTwoHeadTaskAndJudgesOnlyTheHeadsGiven() {
        // head 0: the sign of channel 0's level (2 classes); head 1: channel 1 at -0.6, 0 or 0.6 (3 classes)
        Rng rng = new Rng(3);
        int n = 96;
        long[] a = new long[n];
        long[] b = new long[n];
        float[] px = new float[n * 2 * 16];
        for (int i = 0; i < n; i++) {
            a[i] = rng.nextInt(2);
            b[i] = rng.nextInt(3);
            for (int p = 0; p < 16; p++) {
                px[i * 32 + p] = (float) ((a[i] == 0 ? -0.6 : 0.6) + 0.1 * rng.nextGaussian());
                px[i * 32 + 16 + p] = (float) (0.6 * (b[i] - 1) + 0.1 * rng.nextGaussian());
            }
        }
        Tensor x = Tensor.of(px, n, 2, 4, 4);
        Tensor ya = Tensor.ofLongs(a, n);
        Tensor yb = Tensor.ofLongs(b, n);
        FeatureClassifier c = FeatureClassifier.fit(new FeatureClassifier.Config(2, 8, 8, new int[] {2, 3}, 0), x,
                List.of(ya, yb), new FeatureClassifier.FitOptions(40, 32, 2e-2, 1), rng.split());
        double both = c.accuracy(x, List.of(ya, yb));
        assertTrue(both > 0.9, "accuracy on both heads " + both);
        double first = c.accuracy(x, Arrays.asList(ya, null));
        assertTrue(first >= both, first + " < " + both);

        long[] wrong = a.clone();
        for (int i = 0; i < n; i++) {
            wrong[i] = 1 - wrong[i];
        }
        double never = c.accuracy(x, Arrays.asList(Tensor.ofLongs(wrong, n), null));
        assertEquals(1 - first, never, 1e-12);
    }

    @Test
    void stateDictRoundTripGivesTheSameFeatures() {
        FeatureClassifier a = new FeatureClassifier(TWO_HEADS, new Rng(4));
        FeatureClassifier b = new FeatureClassifier(TWO_HEADS, new Rng(5));
        b.loadStateDict(a.stateDict(), Module.LoadMode.STRICT);
        Tensor x = Random.randn(new Rng(6), DType.FLOAT32, 3, 3, 8, 8);
        assertArrayEquals(a.featuresOf(x, 8).toFloatArray(), b.featuresOf(x, 8).toFloatArray());
    }

    @Test
    void badInputsNameTheProblem() {
        FeatureClassifier c = new FeatureClassifier(TWO_HEADS, new Rng(7));
        var e = assertThrows(IllegalArgumentException.class,
                () -> c.features(Tensor.zeros(DType.FLOAT32, 2, 1, 8, 8)));
        assertEquals("FeatureClassifier: images (2,1,8,8) must be (B, 3, H, W) with H, W >= 4", e.getMessage());
        Tensor x = Tensor.zeros(DType.FLOAT32, 2, 3, 8, 8);
        e = assertThrows(IllegalArgumentException.class,
                () -> c.loss(x, List.of(Tensor.ofLongs(new long[] {0, 1, 2}, 3))));
        assertEquals("FeatureClassifier: labels of head 0 must be int64 (2), got int64 (3,)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new FeatureClassifier.Config(3, 4, 6, new int[] {1}, 0));
        assertEquals("FeatureClassifier: every head needs at least 2 classes, got [1]", e.getMessage());
    }
}
