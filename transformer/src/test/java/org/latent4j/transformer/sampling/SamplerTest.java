package org.latent4j.transformer.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

class SamplerTest {
    private static final float[] LOGITS = {1.0f, 3.0f, 2.0f, 0.0f, -1.0f};

    private static int[] histogram(SamplingOptions o, int draws, long seed) {
        Rng rng = new Rng(seed);
        int[] counts = new int[LOGITS.length];
        for (int i = 0; i < draws; i++) {
            counts[Sampler.next(LOGITS, o, rng)]++;
        }
        return counts;
    }

    @Test
    void greedyPicksTheArgmaxWithoutTouchingTheRng() {
        Rng rng = new Rng(1);
        long[] before = rng.state();
        assertEquals(1, Sampler.next(LOGITS, SamplingOptions.greedy(1), rng));
        assertArrayEquals(before, rng.state());
        assertEquals(0, Sampler.argmax(new float[] {2, 2, 1}));
    }

    @Test
    void samplingFollowsTheSoftmaxProbabilities() {
        int draws = 20000;
        int[] counts = histogram(SamplingOptions.sampling(1), draws, 7);
        double z = 0;
        for (float l : LOGITS) {
            z += Math.exp(l);
        }
        for (int i = 0; i < LOGITS.length; i++) {
            double expected = Math.exp(LOGITS[i]) / z;
            assertEquals(expected, counts[i] / (double) draws, 0.015, "token " + i);
        }
    }

    @Test
    void lowTemperatureSharpensAndHighTemperatureFlattens() {
        int[] cold = histogram(SamplingOptions.sampling(1).withTemperature(0.1), 2000, 3);
        int[] hot = histogram(SamplingOptions.sampling(1).withTemperature(100), 5000, 3);
        assertEquals(2000, cold[1]);
        for (int c : hot) {
            assertEquals(1000, c, 120);
        }
    }

    @Test
    void topKKeepsOnlyTheKMostLikely() {
        int[] counts = histogram(SamplingOptions.sampling(1).withTopK(2), 5000, 11);
        assertEquals(0, counts[0] + counts[3] + counts[4]);
        // p(1) / p(2) = e within the two survivors.
        assertEquals(Math.E / (1 + Math.E), counts[1] / 5000.0, 0.02);
    }

    @Test
    void topPKeepsTheSmallestNucleusReachingP() {
        // Probabilities sorted: 0.6364, 0.2341, 0.0861, 0.0317, 0.0117. p = 0.8 needs the first two.
        int[] counts = histogram(SamplingOptions.sampling(1).withTopP(0.8), 5000, 13);
        assertEquals(0, counts[0] + counts[3] + counts[4]);
        assertTrue(counts[2] > 0);
        int[] tiny = histogram(SamplingOptions.sampling(1).withTopP(0.01), 500, 13);
        assertEquals(500, tiny[1]);
    }

    @Test
    void aSeedReproducesTheDraws() {
        SamplingOptions o = SamplingOptions.sampling(1).withTopK(4).withTopP(0.95).withTemperature(0.8);
        assertArrayEquals(histogram(o, 300, 42), histogram(o, 300, 42));
    }

    @Test
    void tensorLogitsUseTheLastRow() {
        Tensor t = Tensor.of(new float[] {9, 0, 0, 0, 0, 7}, 2, 3);
        assertEquals(2, Sampler.next(t, SamplingOptions.greedy(1), new Rng(0)));
    }

    /** A decoder whose next token is always (last + 1) mod 5. */
    private static final class Counter implements Decoder {
        int calls;

        private float[] after(int token) {
            float[] l = new float[5];
            l[(token + 1) % 5] = 10;
            return l;
        }

        @Override
        public float[] start(int[] prompt) {
            calls++;
            return after(prompt[prompt.length - 1]);
        }

        @Override
        public float[] next(int token) {
            calls++;
            return after(token);
        }
    }

    @Test
    void generateStopsAtMaxLengthOrAStopToken() {
        Counter c = new Counter();
        assertArrayEquals(new int[] {3, 4, 0, 1}, Sampler.generate(c, new int[] {2}, SamplingOptions.greedy(4),
                new Rng(0)));
        assertEquals(4, c.calls);
        assertArrayEquals(new int[] {3}, Sampler.generate(new Counter(), new int[] {2},
                SamplingOptions.greedy(10).withStopTokens(4), new Rng(0)));
        assertArrayEquals(new int[0], Sampler.generate(new Counter(), new int[] {2}, SamplingOptions.greedy(0),
                new Rng(0)));
    }

    @Test
    void badInputsAreRejected() {
        assertEquals("sample: logit 1 is NaN", assertThrows(IllegalArgumentException.class,
                () -> Sampler.next(new float[] {0, Float.NaN}, SamplingOptions.sampling(1), new Rng(0))).getMessage());
        assertEquals("SamplingOptions: topP must be in (0, 1], got 0.0", assertThrows(IllegalArgumentException.class,
                () -> SamplingOptions.sampling(1).withTopP(0)).getMessage());
        assertEquals("generate: the prompt is empty; give at least one token", assertThrows(
                IllegalArgumentException.class, () -> Sampler.generate(new Counter(), new int[0],
                        SamplingOptions.greedy(1), new Rng(0))).getMessage());
    }
}
