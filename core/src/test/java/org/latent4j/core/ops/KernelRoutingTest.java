package org.latent4j.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.latent4j.core.testing.TensorAssert.assertClose;
import static org.latent4j.core.testing.TensorAssert.uniform;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.latent4j.core.autograd.Autograd;
import org.latent4j.core.autograd.GraphMode;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * Float32 softmax (last axis), layer norm (1-D normalized shape) and attention run the fused kernels of the
 * kernel seam; float64 runs the composed ops. Both must give the same values, gradients and (through the
 * Tensor-op backward used under {@link GraphMode#CREATE}) second-order gradients, within float32 tolerance.
 */
class KernelRoutingTest {
    private static final double RTOL = 2e-4;
    private static final double ATOL = 2e-5;

    /**
     * Runs f on float64 leaves and on float32 copies; compares the outputs, the first-order gradients of
     * sum(f · w), and the gradients of the squared norm of those gradients (a gradient penalty).
     */
    private static void assertFloat32MatchesFloat64(Function<Tensor[], Tensor> f, Tensor... inputs) {
        Tensor[] wide = new Tensor[inputs.length];
        Tensor[] narrow = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            wide[i] = Tensor.wrap(inputs[i].value().dup()).requireGrad();
            narrow[i] = inputs[i].to(DType.FLOAT32).requireGrad();
        }
        Tensor outWide = f.apply(wide);
        Tensor outNarrow = f.apply(narrow);
        assertClose(outWide, outNarrow.to(DType.FLOAT64), RTOL, ATOL);
        Tensor w = uniform(new Rng(5), 0.5, 1.5, outWide.shape());
        outWide.mul(w).sum().backward();
        outNarrow.mul(w.to(DType.FLOAT32)).sum().backward();
        for (int i = 0; i < inputs.length; i++) {
            assertClose(wide[i].grad(), narrow[i].grad().to(DType.FLOAT64), RTOL, ATOL);
        }
        Tensor[] gWide = Autograd.grad(f.apply(wide).mul(w).sum(), wide, GraphMode.CREATE);
        Tensor[] gNarrow = Autograd.grad(f.apply(narrow).mul(w.to(DType.FLOAT32)).sum(), narrow, GraphMode.CREATE);
        for (int i = 0; i < inputs.length; i++) {
            assertClose(gWide[i], gNarrow[i].to(DType.FLOAT64), RTOL, ATOL);
            wide[i].clearGrad();
            narrow[i].clearGrad();
        }
        penalty(gWide).backward();
        penalty(gNarrow).backward();
        for (int i = 0; i < inputs.length; i++) {
            // a bias does not reach the penalty: neither side gets a second-order gradient for it
            assertEquals(wide[i].grad() == null, narrow[i].grad() == null, "second-order gradient of input " + i);
            if (wide[i].grad() != null) {
                assertClose(wide[i].grad(), narrow[i].grad().to(DType.FLOAT64), 1e-3, 1e-4);
            }
        }
    }

    private static Tensor penalty(Tensor[] grads) {
        Tensor total = grads[0].square().sum();
        for (int i = 1; i < grads.length; i++) {
            total = total.add(grads[i].square().sum());
        }
        return total;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 33})
    void softmaxOverTheLastAxis(int n) {
        assertFloat32MatchesFloat64(xs -> Softmax.softmax(xs[0], -1), uniform(new Rng(n), -3, 3, 3, n));
    }

    @Test
    void layerNormWithAndWithoutAffineParameters() {
        Rng rng = new Rng(2);
        Tensor x = uniform(rng, -2, 2, 2, 3, 9);
        Tensor w = uniform(rng, 0.5, 1.5, 9);
        Tensor b = uniform(rng, -0.5, 0.5, 9);
        assertFloat32MatchesFloat64(xs -> Normalization.layerNorm(xs[0], new long[] {9}, xs[1], xs[2], 1e-5), x, w, b);
        assertFloat32MatchesFloat64(xs -> Normalization.layerNorm(xs[0], new long[] {9}, null, null, 1e-5), x);
    }

    @ParameterizedTest
    @EnumSource(Attention.Mask.class)
    void attentionWithAndWithoutCausalMask(Attention.Mask mask) {
        Rng rng = new Rng(3);
        Tensor q = uniform(rng, -1, 1, 2, 2, 5, 4);
        Tensor k = uniform(rng, -1, 1, 2, 2, 5, 4);
        Tensor v = uniform(rng, -1, 1, 2, 2, 5, 3);
        assertFloat32MatchesFloat64(ts -> Attention.scaledDotProduct(ts[0], ts[1], ts[2], mask, null), q, k, v);
    }

    @Test
    void attentionWithAPaddingMaskThatHidesEveryKeyOfOneItem() {
        Rng rng = new Rng(4);
        Tensor q = uniform(rng, -1, 1, 2, 1, 4, 4);
        Tensor k = uniform(rng, -1, 1, 2, 1, 4, 4);
        Tensor v = uniform(rng, -1, 1, 2, 1, 4, 2);
        Tensor padding = Tensor.of(new float[] {1, 1, 0, 1, 0, 0, 0, 0}, 2, 4);
        for (Attention.Mask mask : Attention.Mask.values()) {
            assertFloat32MatchesFloat64(ts -> Attention.scaledDotProduct(ts[0], ts[1], ts[2], mask, padding), q, k, v);
        }
    }

    @Test
    void causalAttentionWithFewerQueriesThanKeysKeepsTheBottomRightAlignment() {
        Rng rng = new Rng(6);
        Tensor q = uniform(rng, -1, 1, 1, 2, 2, 4);
        Tensor k = uniform(rng, -1, 1, 1, 2, 5, 4);
        Tensor v = uniform(rng, -1, 1, 1, 2, 5, 3);
        assertFloat32MatchesFloat64(
                ts -> Attention.scaledDotProduct(ts[0], ts[1], ts[2], Attention.Mask.CAUSAL, null), q, k, v);
    }
}
