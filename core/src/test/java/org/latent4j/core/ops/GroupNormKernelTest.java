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
import org.junit.jupiter.params.provider.CsvSource;
import org.latent4j.core.autograd.Autograd;
import org.latent4j.core.autograd.GraphMode;
import org.latent4j.core.kernels.Kernels;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.Fixtures;

/**
 * Group norm through the float32 Java kernel (forward and backward, with and without the fused shift and SiLU)
 * against the float64 composition of standardize, affine and SiLU, which is itself checked against PyTorch and
 * by finite differences.
 */
class GroupNormKernelTest {
    private static final double EPS = 1e-5;

    /** The op under test, with null for absent arguments: xs = {x, shift, weight, bias}. */
    private static Tensor apply(Tensor[] xs, int groups, boolean silu) {
        return silu ? Normalization.groupNormSilu(xs[0], xs[1], groups, xs[2], xs[3], EPS)
                : Normalization.groupNorm(xs[0], groups, xs[2], xs[3], EPS);
    }

    @Test
    void groupNormSiluMatchesPyTorchInBothPrecisions() {
        Fixtures.Case c = Fixtures.load("norms").get("group_norm_silu");
        int groups = (int) c.number("groups");
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            double tol = dtype == DType.FLOAT64 ? 1e-6 : 1e-4;
            Tensor x = c.tensor("x").to(dtype).requireGrad();
            Tensor shift = c.tensor("shift").to(dtype).requireGrad();
            Tensor weight = c.tensor("weight").to(dtype).requireGrad();
            Tensor bias = c.tensor("bias").to(dtype).requireGrad();
            Tensor out = Normalization.groupNormSilu(x, shift, groups, weight, bias, EPS);
            assertClose(c.tensor("out"), out.to(DType.FLOAT64), tol, tol);
            out.mul(c.tensor("w").to(dtype)).sum().backward();
            assertClose(c.tensor("grad_x"), x.grad().to(DType.FLOAT64), tol, tol);
            assertClose(c.tensor("grad_shift"), shift.grad().to(DType.FLOAT64), tol, tol);
            assertClose(c.tensor("grad_weight"), weight.grad().to(DType.FLOAT64), tol, tol);
            assertClose(c.tensor("grad_bias"), bias.grad().to(DType.FLOAT64), tol, tol);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "2, 6, 5, 7, 3, true, true, true",
        "3, 4, 1, 1, 2, false, true, false",
        "1, 8, 3, 3, 8, true, false, true",
        "2, 5, 7, 0, 5, true, true, true",
        "2, 64, 16, 16, 32, true, true, true",
        "2, 12, 9, 11, 4, false, false, false"
    })
    void kernelMatchesComposedFloat64(int n, int c, int h, int w, int groups, boolean withShift, boolean affine,
            boolean silu) {
        Rng rng = new Rng(n * 1000L + c * 10L + h);
        long[] shape = w == 0 ? new long[] {n, c, h} : new long[] {n, c, h, w};
        Tensor[] ref = {uniform(rng, -3, 3, shape).add(1.5), withShift ? uniform(rng, -1, 1, n, c) : null,
            affine ? uniform(rng, 0.5, 1.5, c) : null, affine ? uniform(rng, -1, 1, c) : null};
        Tensor seed = uniform(rng, -1, 1, shape);
        Tensor[] f32 = new Tensor[4];
        Tensor[] f64 = new Tensor[4];
        for (int i = 0; i < 4; i++) {
            f64[i] = ref[i] == null ? null : Tensor.wrap(ref[i].value().dup()).requireGrad();
            f32[i] = ref[i] == null ? null : ref[i].to(DType.FLOAT32).requireGrad();
        }
        assertTrue(Kernels.hasGroupNorm(f32[0].value()), "the float32 case must take the Java kernel");
        Tensor expected = apply(f64, groups, silu || withShift);
        Tensor actual = apply(f32, groups, silu || withShift);
        assertClose(expected, actual.to(DType.FLOAT64), 1e-4, 1e-5);
        expected.mul(seed).sum().backward();
        actual.mul(seed.to(DType.FLOAT32)).sum().backward();
        for (int i = 0; i < 4; i++) {
            if (ref[i] != null) {
                assertClose(f64[i].grad(), f32[i].grad().to(DType.FLOAT64), 2e-4, 2e-4);
            }
        }
    }

    @Test
    void groupNormSiluPassesGradCheckIncludingSecondOrder() {
        Rng rng = new Rng(21);
        assertGradients(xs -> Normalization.groupNormSilu(xs[0], xs[1], 2, xs[2], xs[3], EPS),
                uniform(rng, -2, 2, 1, 4, 2), uniform(rng, -1, 1, 1, 4), uniform(rng, 0.5, 1.5, 4),
                uniform(rng, -1, 1, 4));
        assertSecondOrderGradients(xs -> Normalization.groupNormSilu(xs[0], xs[1], 1, xs[2], xs[3], EPS),
                uniform(rng, -2, 2, 1, 2, 2), uniform(rng, -1, 1, 1, 2), uniform(rng, 0.5, 1.5, 2),
                uniform(rng, -1, 1, 2));
    }

    /** Under GraphMode.CREATE the float32 op's backward is rebuilt from Tensor ops; it must agree with the kernel's. */
    @Test
    void recordedBackwardOfTheKernelPathMatchesTheKernelBackward() {
        Rng rng = new Rng(22);
        Tensor[] ref = {uniform(rng, -2, 2, 2, 6, 4, 3), uniform(rng, -1, 1, 2, 6), uniform(rng, 0.5, 1.5, 6),
            uniform(rng, -1, 1, 6)};
        Tensor seed = uniform(rng, 0.5, 1.5, 2, 6, 4, 3).to(DType.FLOAT32);
        Tensor[] raw = new Tensor[4];
        Tensor[] recorded = new Tensor[4];
        for (int i = 0; i < 4; i++) {
            raw[i] = ref[i].to(DType.FLOAT32).requireGrad();
            recorded[i] = ref[i].to(DType.FLOAT32).requireGrad();
        }
        apply(raw, 3, true).mul(seed).sum().backward();
        Tensor[] grads = Autograd.grad(apply(recorded, 3, true).mul(seed).sum(), recorded, GraphMode.CREATE);
        for (int i = 0; i < 4; i++) {
            assertClose(raw[i].grad().to(DType.FLOAT64), grads[i].to(DType.FLOAT64), 1e-4, 1e-5);
        }
    }

    @Test
    void badShiftIsRejectedWithItsShape() {
        Tensor x = Tensor.zeros(DType.FLOAT32, 2, 4, 3, 3);
        assertEquals("groupNormSilu: shift has shape (4,2) but input (2,4,3,3) needs (2,4)",
                assertThrows(IllegalArgumentException.class, () -> Normalization.groupNormSilu(x,
                        Tensor.zeros(DType.FLOAT32, 4, 2), 2, null, null, EPS)).getMessage());
        assertEquals("groupNormSilu: 4 channels cannot be split into 3 groups",
                assertThrows(IllegalArgumentException.class, () -> Normalization.groupNormSilu(x, null, 3, null,
                        null, EPS)).getMessage());
    }
}
