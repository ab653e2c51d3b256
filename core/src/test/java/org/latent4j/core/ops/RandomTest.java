package org.latent4j.core.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latent4j.core.testing.TensorAssert.assertClose;
import static org.latent4j.core.testing.TensorAssert.assertGradients;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

class RandomTest {
    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElseThrow();
    }

    private static double std(double[] v) {
        double m = mean(v);
        return Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / (v.length - 1));
    }

    @Test
    void sameSeedGivesSameTensors() {
        assertArrayEquals(Random.randn(new Rng(7), DType.FLOAT32, 3, 4).toFloatArray(),
                Random.randn(new Rng(7), DType.FLOAT32, 3, 4).toFloatArray());
        assertArrayEquals(Random.rand(new Rng(7), DType.FLOAT64, 5).toDoubleArray(),
                Random.rand(new Rng(7), DType.FLOAT64, 5).toDoubleArray());
        assertArrayEquals(Random.randint(new Rng(7), -3, 9, 6).toLongArray(),
                Random.randint(new Rng(7), -3, 9, 6).toLongArray());
        assertArrayEquals(Random.permutation(new Rng(7), 10).toLongArray(),
                Random.permutation(new Rng(7), 10).toLongArray());
        assertFalse(Arrays.equals(Random.rand(new Rng(7), DType.FLOAT64, 5).toDoubleArray(),
                Random.rand(new Rng(8), DType.FLOAT64, 5).toDoubleArray()));
    }

    @Test
    void uniformAndNormalHaveTheRightMoments() {
        Rng rng = new Rng(11);
        Tensor u = Random.rand(rng, DType.FLOAT32, 40, 100);
        assertEquals(DType.FLOAT32, u.dtype());
        assertArrayEquals(new long[] {40, 100}, u.shape());
        double[] uv = u.toDoubleArray();
        assertEquals(0.5, mean(uv), 0.02);
        assertEquals(Math.sqrt(1.0 / 12), std(uv), 0.01);
        assertTrue(Arrays.stream(uv).allMatch(x -> x >= 0 && x < 1));
        double[] nv = Random.randn(rng, DType.FLOAT64, 4000).toDoubleArray();
        assertEquals(0, mean(nv), 0.05);
        assertEquals(1, std(nv), 0.04);
    }

    @Test
    void randintStaysInRangeAndCoversIt() {
        long[] v = Random.randint(new Rng(3), -2, 3, 2000).toLongArray();
        assertEquals(DType.INT64, Random.randint(new Rng(3), 0, 2, 1).dtype());
        assertTrue(Arrays.stream(v).allMatch(x -> x >= -2 && x < 3));
        assertEquals(5, Arrays.stream(v).distinct().count());
        assertEquals(0, Arrays.stream(v).average().orElseThrow(), 0.1);
    }

    @Test
    void bernoulliFollowsEachProbability() {
        double[] p = new double[2000];
        Arrays.fill(p, 0, 1000, 0.2);
        Arrays.fill(p, 1000, 2000, 0.9);
        double[] v = Random.bernoulli(new Rng(5), Tensor.of(p, 2, 1000)).toDoubleArray();
        assertEquals(0.2, mean(Arrays.copyOfRange(v, 0, 1000)), 0.04);
        assertEquals(0.9, mean(Arrays.copyOfRange(v, 1000, 2000)), 0.03);
        assertTrue(Arrays.stream(v).allMatch(x -> x == 0 || x == 1));
    }

    @Test
    void multinomialWithReplacementMatchesTheWeights() {
        Tensor probs = Tensor.of(new double[] {1, 0, 3, 6, 0, 0, 1, 1}, 2, 4);
        Tensor draws = Random.multinomial(new Rng(9), probs, 3000, Random.Replacement.WITH);
        assertArrayEquals(new long[] {2, 3000}, draws.shape());
        long[] v = draws.toLongArray();
        int[] counts = new int[8];
        for (int i = 0; i < v.length; i++) {
            counts[(i / 3000) * 4 + (int) v[i]]++;
        }
        assertEquals(0, counts[1]);
        assertEquals(0, counts[4] + counts[5]);
        assertEquals(0.1, counts[0] / 3000.0, 0.02);
        assertEquals(0.6, counts[3] / 3000.0, 0.03);
        assertEquals(0.5, counts[6] / 3000.0, 0.03);
    }

    @Test
    void multinomialWithoutReplacementDrawsDistinctCategories() {
        Tensor probs = Tensor.of(new double[] {0.1, 0.2, 0, 0.3, 0.4}, 5);
        long[] v = Random.multinomial(new Rng(2), probs, 4, Random.Replacement.WITHOUT).toLongArray();
        Set<Long> seen = new HashSet<>();
        for (long c : v) {
            assertTrue(seen.add(c));
            assertTrue(c != 2);
        }
    }

    @Test
    void permutationHoldsEveryIndexOnce() {
        long[] v = Random.permutation(new Rng(4), 50).toLongArray();
        long[] sorted = v.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 50; i++) {
            assertEquals(i, sorted[i]);
        }
        assertFalse(Arrays.equals(sorted, v));
    }

    @Test
    void dropoutZeroesAFractionPAndKeepsTheMean() {
        Tensor x = Tensor.ones(DType.FLOAT32, 50, 80);
        double[] v = Random.dropout(x, 0.3, new Rng(1)).toDoubleArray();
        assertEquals(0.3, Arrays.stream(v).filter(d -> d == 0).count() / 4000.0, 0.03);
        assertTrue(Arrays.stream(v).allMatch(d -> d == 0 || Math.abs(d - 1 / 0.7) < 1e-6));
        assertEquals(1, mean(v), 0.05);
        assertSame(x, Random.dropout(x, 0, new Rng(1)));
        assertSame(x, Random.dropout(x, 0.5, new Rng(1), false));
        assertEquals(0, mean(Random.dropout(x, 1, new Rng(1)).toDoubleArray()));
    }

    @Test
    void dropoutGradientIsItsMask() {
        Rng rng = new Rng(6);
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).requireGrad();
        Tensor out = Random.dropout(x, 0.5, rng.copy());
        out.sum().backward();
        assertClose(out.div(x), x.grad());
        assertGradients(xs -> Random.dropout(xs[0], 0.5, rng.copy()), Tensor.of(new double[] {1, 2, 3, 4}, 4));
    }

    @Test
    void badArgumentsAreRejected() {
        Rng rng = new Rng(0);
        assertEquals("rand: dtype must be floating point, got int64",
                assertThrows(IllegalArgumentException.class, () -> Random.rand(rng, DType.INT64, 2)).getMessage());
        assertEquals("randn: negative dimension in shape (2,-1)",
                assertThrows(IllegalArgumentException.class,
                        () -> Random.randn(rng, DType.FLOAT32, 2, -1)).getMessage());
        assertEquals("randint: empty range [3, 3)",
                assertThrows(IllegalArgumentException.class, () -> Random.randint(rng, 3, 3, 2)).getMessage());
        assertEquals("bernoulli: probability 1.5 at element 1 is outside [0, 1]",
                assertThrows(IllegalArgumentException.class,
                        () -> Random.bernoulli(rng, Tensor.of(new double[] {0.5, 1.5}, 2))).getMessage());
        assertEquals("multinomial: cannot draw 3 samples without replacement from row 0, which has only 2 non-zero "
                + "weights", assertThrows(IllegalArgumentException.class, () -> Random.multinomial(rng,
                        Tensor.of(new double[] {1, 0, 1}, 3), 3, Random.Replacement.WITHOUT)).getMessage());
        assertEquals("multinomial: weight -1.0 in row 1, category 0 is negative or not finite",
                assertThrows(IllegalArgumentException.class, () -> Random.multinomial(rng,
                        Tensor.of(new double[] {1, 1, -1, 2}, 2, 2), 1, Random.Replacement.WITH)).getMessage());
        assertEquals("multinomial: row 0 has no positive weight",
                assertThrows(IllegalArgumentException.class, () -> Random.multinomial(rng,
                        Tensor.of(new double[] {0, 0}, 2), 1, Random.Replacement.WITH)).getMessage());
        assertEquals("dropout: p must be in [0, 1], got 1.5",
                assertThrows(IllegalArgumentException.class,
                        () -> Random.dropout(Tensor.zeros(2), 1.5, rng)).getMessage());
    }
}
