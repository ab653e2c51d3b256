package org.latent4j.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latent4j.core.testing.TensorAssert.assertClose;
import static org.latent4j.core.testing.TensorAssert.assertGradients;
import static org.latent4j.core.testing.TensorAssert.assertSecondOrderGradients;
import static org.latent4j.core.testing.TensorAssert.uniform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.latent4j.core.ops.Attention.Mask;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.Fixtures;
import org.nd4j.linalg.factory.Nd4j;

class AttentionTest {
    private static final Fixtures FIX = Fixtures.load("attention");

    private static Tensor attend(Fixtures.Case c, Tensor q, Tensor k, Tensor v) {
        Mask mask = c.number("causal") != 0 ? Mask.CAUSAL : Mask.NONE;
        Tensor padding = c.has("padding") ? c.tensor("padding") : null;
        double scale = c.number("scale");
        return scale == 0 ? Attention.scaledDotProduct(q, k, v, mask, padding)
                : Attention.scaledDotProduct(q, k, v, mask, padding, scale);
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "causal", "padding", "causal_padding_scale"})
    void matchesPyTorchForwardAndBackward(String name) {
        Fixtures.Case c = FIX.get(name);
        Tensor q = c.tensor("q").requireGrad();
        Tensor k = c.tensor("k").requireGrad();
        Tensor v = c.tensor("v").requireGrad();
        Tensor out = attend(c, q, k, v);
        assertClose(c.tensor("out"), out);
        out.mul(c.tensor("w")).sum().backward();
        assertClose(c.tensor("grad_q"), q.grad());
        assertClose(c.tensor("grad_k"), k.grad());
        assertClose(c.tensor("grad_v"), v.grad());
    }

    /** The packed op (and the split it is made of) against nanoGPT's split/view/transpose, float64 and float32. */
    @ParameterizedTest
    @ValueSource(strings = {"packed_causal", "packed_padding"})
    void packedSelfAttentionMatchesPyTorch(String name) {
        Fixtures.Case c = FIX.get(name);
        int heads = (int) c.number("heads");
        Mask mask = c.number("causal") != 0 ? Mask.CAUSAL : Mask.NONE;
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            double tol = dtype == DType.FLOAT64 ? 1e-9 : 1e-5;
            Tensor padding = c.has("padding") ? c.tensor("padding").to(dtype) : null;
            Tensor qkv = c.tensor("qkv").to(dtype).requireGrad();
            Tensor out = Attention.packedSelfAttention(qkv, heads, mask, padding);
            assertClose(c.tensor("out"), out.to(DType.FLOAT64), tol, tol);
            out.mul(c.tensor("w").to(dtype)).sum().backward();
            assertClose(c.tensor("grad_qkv"), qkv.grad().to(DType.FLOAT64), tol, tol);
            // the same through the packed split, the plain op and the head merge
            Tensor qkv2 = c.tensor("qkv").to(dtype).requireGrad();
            var parts = Attention.splitPackedHeads(qkv2, heads);
            Tensor out2 = Attention.mergeHeads(Attention.scaledDotProduct(parts.get(0), parts.get(1), parts.get(2),
                    mask, padding));
            assertClose(c.tensor("out"), out2.to(DType.FLOAT64), tol, tol);
            out2.mul(c.tensor("w").to(dtype)).sum().backward();
            assertClose(c.tensor("grad_qkv"), qkv2.grad().to(DType.FLOAT64), tol, tol);
        }
    }

    @Test
    void passesGradCheckIncludingSecondOrder() {
        Rng rng = new Rng(41);
        Tensor padding = Tensor.of(new double[] {1, 1, 0}, 1, 3);
        assertGradients(xs -> Attention.scaledDotProduct(xs[0], xs[1], xs[2], Mask.CAUSAL, padding),
                uniform(rng, -1, 1, 1, 1, 3, 2), uniform(rng, -1, 1, 1, 1, 3, 2), uniform(rng, -1, 1, 1, 1, 3, 2));
        assertSecondOrderGradients(xs -> Attention.scaledDotProduct(xs[0], xs[1], xs[2], Mask.CAUSAL, null),
                uniform(rng, -1, 1, 1, 1, 2, 2), uniform(rng, -1, 1, 1, 1, 2, 2), uniform(rng, -1, 1, 1, 1, 2, 1));
    }

    @Test
    void fullyMaskedRowGivesZeroOutputAndFiniteGradients() {
        Rng rng = new Rng(42);
        Tensor q = uniform(rng, -1, 1, 2, 1, 2, 3).requireGrad();
        Tensor k = uniform(rng, -1, 1, 2, 1, 2, 3).requireGrad();
        Tensor v = uniform(rng, -1, 1, 2, 1, 2, 3).requireGrad();
        Tensor padding = Tensor.of(new double[] {1, 1, 0, 0}, 2, 2); // second sequence is all padding
        Tensor out = Attention.scaledDotProduct(q, k, v, Mask.NONE, padding);
        double[] o = out.toDoubleArray();
        for (int i = 6; i < 12; i++) {
            assertEquals(0.0, o[i], "output of the fully masked batch element");
        }
        out.sum().backward();
        for (Tensor t : new Tensor[] {q, k, v}) {
            for (double g : t.grad().toDoubleArray()) {
                assertTrue(Double.isFinite(g));
            }
        }
        assertEquals(0.0, v.grad().toDoubleArray()[6]);
    }

    @Test
    void paddingMaskMayBeBooleanOrInteger() {
        Rng rng = new Rng(45);
        Tensor q = uniform(rng, -1, 1, 2, 1, 2, 3);
        Tensor expected = Attention.scaledDotProduct(q, q, q, Mask.NONE, Tensor.of(new double[] {1, 1, 1, 0}, 2, 2));
        Tensor bools = Tensor.wrap(Nd4j.createFromArray(new boolean[][] {{true, true}, {true, false}}));
        assertClose(expected, Attention.scaledDotProduct(q, q, q, Mask.NONE, bools));
        assertClose(expected, Attention.scaledDotProduct(q, q, q, Mask.NONE,
                Tensor.ofLongs(new long[] {1, 1, 1, 0}, 2, 2)));
    }

    @Test
    void causalMaskAlignsQueriesWithTheLastKeys() {
        Rng rng = new Rng(43);
        Tensor q = uniform(rng, -1, 1, 1, 1, 3, 2);
        Tensor k = uniform(rng, -1, 1, 1, 1, 3, 2);
        Tensor v = uniform(rng, -1, 1, 1, 1, 3, 2);
        Tensor full = Attention.scaledDotProduct(q, k, v, Mask.CAUSAL, null);
        Tensor lastQuery = Tensor.wrap(q.value().get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 3),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup());
        Tensor cached = Attention.scaledDotProduct(lastQuery, k, v, Mask.CAUSAL, null);
        double[] f = full.toDoubleArray();
        assertClose(Tensor.of(new double[] {f[4], f[5]}, 1, 1, 1, 2), cached);
    }

    @Test
    void dropoutOnTheWeightsIsSeededAndDifferentiable() {
        Rng rng = new Rng(46);
        Tensor q = uniform(rng, -1, 1, 1, 2, 3, 2);
        double scale = 1 / Math.sqrt(2);
        Tensor plain = Attention.scaledDotProduct(q, q, q, Mask.CAUSAL, null, scale, 0, null);
        assertClose(Attention.scaledDotProduct(q, q, q, Mask.CAUSAL, null), plain);
        Tensor a = Attention.scaledDotProduct(q, q, q, Mask.CAUSAL, null, scale, 0.5, new Rng(7));
        Tensor b = Attention.scaledDotProduct(q, q, q, Mask.CAUSAL, null, scale, 0.5, new Rng(7));
        assertClose(a, b);
        assertTrue(java.util.Arrays.stream(a.sub(plain).toDoubleArray()).anyMatch(d -> Math.abs(d) > 1e-3));
        assertGradients(xs -> Attention.scaledDotProduct(xs[0], xs[1], xs[2], Mask.NONE, null, scale, 0.3,
                new Rng(8)), uniform(rng, -1, 1, 1, 1, 2, 2), uniform(rng, -1, 1, 1, 1, 2, 2),
                uniform(rng, -1, 1, 1, 1, 2, 2));
        assertEquals("scaledDotProduct: dropout 0.1 needs an Rng", assertThrows(IllegalArgumentException.class,
                () -> Attention.scaledDotProduct(q, q, q, Mask.NONE, null, scale, 0.1, null)).getMessage());
    }

    @Test
    void float32AgreesWithFloat64() {
        Rng rng = new Rng(44);
        Tensor q = uniform(rng, -1, 1, 2, 2, 4, 3);
        Tensor k = uniform(rng, -1, 1, 2, 2, 5, 3);
        Tensor v = uniform(rng, -1, 1, 2, 2, 5, 2);
        Tensor expected = Attention.scaledDotProduct(q, k, v, Mask.CAUSAL, null);
        Tensor actual = Attention.scaledDotProduct(q.to(DType.FLOAT32), k.to(DType.FLOAT32), v.to(DType.FLOAT32),
                Mask.CAUSAL, null);
        assertClose(expected, actual.to(DType.FLOAT64), 1e-5, 1e-5);
    }

    @Test
    void badInputsFailWithClearMessages() {
        Tensor q = Tensor.zeros(2, 2, 3, 4);
        assertEquals("scaledDotProduct: q and k head dimensions differ: q (2,2,3,4), k (2,2,3,5), v (2,2,3,4)",
                assertThrows(IllegalArgumentException.class, () -> Attention.scaledDotProduct(q,
                        Tensor.zeros(2, 2, 3, 5), Tensor.zeros(2, 2, 3, 4))).getMessage());
        assertEquals("scaledDotProduct: k and v lengths differ: q (2,2,3,4), k (2,2,3,4), v (2,2,5,4)",
                assertThrows(IllegalArgumentException.class, () -> Attention.scaledDotProduct(q, q,
                        Tensor.zeros(2, 2, 5, 4))).getMessage());
        assertEquals("scaledDotProduct: paddingMask has shape (2,4) but needs (2,3) for q (2,2,3,4), k (2,2,3,4), "
                + "v (2,2,3,4)", assertThrows(IllegalArgumentException.class, () -> Attention.scaledDotProduct(q,
                        q, q, Mask.NONE, Tensor.ones(2, 4))).getMessage());
        assertEquals("scaledDotProduct: q, k and v must have shape (B, H, T, D), got q (2,3,4), k (2,2,3,4), "
                + "v (2,2,3,4)", assertThrows(IllegalArgumentException.class, () -> Attention.scaledDotProduct(
                        Tensor.zeros(2, 3, 4), q, q)).getMessage());
    }
}
