package org.latent4j.core.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.latent4j.core.testing.TensorAssert.assertClose;
import static org.latent4j.core.testing.TensorAssert.assertGradients;
import static org.latent4j.core.testing.TensorAssert.assertSecondOrderGradients;
import static org.latent4j.core.testing.TensorAssert.uniform;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.latent4j.core.autograd.Autograd;
import org.latent4j.core.autograd.GraphMode;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * {@link Attention#splitHeads}, {@link Attention#mergeHeads} and {@link Attention#packedSelfAttention}: float32
 * (the copy loops and the fused kernel in one op) against float64 (the composition of reshape, permute, chunk
 * and {@link Attention#scaledDotProduct}, itself checked against PyTorch), values and gradients, and float64
 * finite differences of first and second order.
 */
class HeadLayoutTest {
    /** Weights every output element differently, so a gradient put in the wrong place shows. */
    private static Tensor weighting(Tensor like, Rng rng) {
        return uniform(rng, -1, 1, like.shape()).to(like.dtype());
    }

    /** Runs f in float32 and float64 on the same values; asserts outputs and input gradients agree. */
    private static void assertFloat32MatchesFloat64(Function<Tensor, Tensor> f, Tensor x, double tol) {
        Tensor[] out = new Tensor[2];
        Tensor[] grad = new Tensor[2];
        DType[] dtypes = {DType.FLOAT32, DType.FLOAT64};
        for (int i = 0; i < 2; i++) {
            Tensor leaf = x.to(DType.FLOAT32).to(dtypes[i]).requireGrad();
            out[i] = f.apply(leaf);
            out[i].mul(weighting(out[i], new Rng(5))).sum().backward();
            grad[i] = leaf.grad();
        }
        assertArrayEquals(out[1].shape(), out[0].shape());
        assertClose(out[1], out[0].to(DType.FLOAT64), tol, tol);
        assertClose(grad[1], grad[0].to(DType.FLOAT64), tol, tol);
    }

    @ParameterizedTest
    @CsvSource({"2, 3, 4, 2", "1, 1, 5, 1", "3, 7, 12, 3"})
    void splitAndMergeMoveEveryChannelToItsHead(int b, int t, int e, int heads) {
        Tensor x = uniform(new Rng(b * 100 + t), -1, 1, b, t, e);
        Tensor h = Attention.splitHeads(x.to(DType.FLOAT32), heads);
        assertArrayEquals(new long[] {b, heads, t, e / heads}, h.shape());
        // channel c of position s goes to head c / D, position s, slot c % D
        int d = e / heads;
        double[] xs = x.toDoubleArray();
        double[] hs = h.toDoubleArray();
        for (int n = 0; n < b; n++) {
            for (int s = 0; s < t; s++) {
                for (int c = 0; c < e; c++) {
                    assertEquals(xs[(n * t + s) * e + c], hs[((n * heads + c / d) * t + s) * d + c % d], 1e-6);
                }
            }
        }
        assertClose(x, Attention.mergeHeads(h).to(DType.FLOAT64), 1e-6, 1e-6);
        assertFloat32MatchesFloat64(y -> Attention.splitHeads(y, heads), x, 1e-6);
        assertFloat32MatchesFloat64(y -> Attention.mergeHeads(Attention.splitHeads(y, heads).mul(y.sum())), x,
                1e-5);
    }

    @Test
    void splitAndMergePassFirstAndSecondOrderGradCheck() {
        Tensor x = uniform(new Rng(3), -1, 1, 2, 3, 4);
        Function<Tensor[], Tensor> f = xs -> Attention.mergeHeads(Attention.splitHeads(xs[0], 2).square());
        assertGradients(f, x);
        assertSecondOrderGradients(f, x);
    }

    @ParameterizedTest
    @CsvSource({"2, 5, 3, 4, true, false", "1, 1, 1, 8, true, false", "2, 7, 2, 3, false, false",
        "3, 6, 2, 5, true, true", "1, 33, 4, 8, true, false"})
    void packedSelfAttentionMatchesTheComposition(int b, int t, int heads, int d, boolean causal, boolean padded) {
        Rng rng = new Rng(t * 31 + d);
        Tensor qkv = uniform(rng, -1.5, 1.5, b, t, 3L * heads * d);
        Attention.Mask mask = causal ? Attention.Mask.CAUSAL : Attention.Mask.NONE;
        Tensor pad = null;
        if (padded) {
            double[] keep = new double[b * t];
            for (int i = 0; i < keep.length; i++) {
                keep[i] = i % t < t - 1 - i / t ? 1 : 0;   // each sequence loses a different number of last keys
            }
            pad = Tensor.of(keep, b, t);
        }
        Tensor padding = pad;
        assertFloat32MatchesFloat64(x -> Attention.packedSelfAttention(x, heads, mask,
                padding == null ? null : padding.to(x.dtype())), qkv, 2e-5);
        // and the float64 op is the plain composition
        List<Tensor> parts = Shapes.chunk(qkv, 3, 2);
        Tensor composed = Attention.mergeHeads(Attention.scaledDotProduct(Attention.splitHeads(parts.get(0), heads),
                Attention.splitHeads(parts.get(1), heads), Attention.splitHeads(parts.get(2), heads), mask, pad));
        assertClose(composed, Attention.packedSelfAttention(qkv, heads, mask, pad), 1e-12, 1e-12);
    }

    @Test
    void packedSelfAttentionPassesGradCheckAndDifferentiatesTwiceInFloat32() {
        Tensor qkv = uniform(new Rng(8), -1, 1, 1, 3, 12);
        Function<Tensor[], Tensor> f = xs -> Attention.packedSelfAttention(xs[0], 2, Attention.Mask.CAUSAL, null);
        assertGradients(f, qkv);
        assertSecondOrderGradients(f, qkv);
        // a float32 backward that records a graph takes the composed rule: its gradient of a gradient agrees
        Tensor[] second = new Tensor[2];
        DType[] dtypes = {DType.FLOAT32, DType.FLOAT64};
        for (int i = 0; i < 2; i++) {
            Tensor x = qkv.to(DType.FLOAT32).to(dtypes[i]).requireGrad();
            Tensor y = Attention.packedSelfAttention(x, 2, Attention.Mask.CAUSAL, null);
            Tensor g = Autograd.grad(y.mul(weighting(y, new Rng(1))).sum(), new Tensor[] {x}, GraphMode.CREATE)[0];
            second[i] = Autograd.grad(g.square().sum(), new Tensor[] {x}, GraphMode.DISCARD)[0];
        }
        assertClose(second[1], second[0].to(DType.FLOAT64), 1e-4, 1e-4);
    }

    @Test
    void splitPackedHeadsIsChunkThenSplitInBothPrecisions() {
        Tensor qkv = uniform(new Rng(12), -1, 1, 2, 3, 12);
        // every part used, with different weights, so each one's gradient lands in its own third
        Function<Tensor, Tensor> f = x -> {
            List<Tensor> p = Attention.splitPackedHeads(x, 2);
            return Shapes.concat(0, p.get(0), p.get(1).mul(2.0), p.get(2).square());
        };
        assertFloat32MatchesFloat64(f, qkv, 1e-6);
        List<Tensor> chunks = Shapes.chunk(qkv, 3, 2);
        List<Tensor> packed = Attention.splitPackedHeads(qkv.to(DType.FLOAT32), 2);
        for (int p = 0; p < 3; p++) {
            assertClose(Attention.splitHeads(chunks.get(p), 2), packed.get(p).to(DType.FLOAT64), 1e-6, 1e-6);
        }
        Function<Tensor[], Tensor> g = xs -> f.apply(xs[0]);
        assertGradients(g, qkv);
        assertSecondOrderGradients(g, qkv);
        // only one part used: the other thirds of the gradient are zero
        Tensor x32 = qkv.to(DType.FLOAT32).requireGrad();
        Attention.splitPackedHeads(x32, 2).get(1).sum().backward();
        double[] grad = x32.grad().toDoubleArray();
        for (int i = 0; i < grad.length; i++) {
            assertEquals(i % 12 >= 4 && i % 12 < 8 ? 1.0 : 0.0, grad[i], 0.0, "element " + i);
        }
    }

    @Test
    void badShapesAreNamed() {
        Tensor x = Tensor.zeros(DType.FLOAT32, 2, 3, 10);
        assertEquals("splitHeads: input (2,3,10) must be (B, T, E) with E divisible by heads 3",
                assertThrows(IllegalArgumentException.class, () -> Attention.splitHeads(x, 3)).getMessage());
        assertEquals("packedSelfAttention: qkv (2,3,10) must be (B, T, 3·E) with E divisible by heads 2",
                assertThrows(IllegalArgumentException.class,
                        () -> Attention.packedSelfAttention(x, 2, Attention.Mask.NONE, null)).getMessage());
        assertEquals("mergeHeads: input (2,3,10) must be (B, H, T, D)",
                assertThrows(IllegalArgumentException.class, () -> Attention.mergeHeads(x)).getMessage());
    }
}
