package org.latent4j.core.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latent4j.core.testing.TensorAssert.assertClose;
import static org.latent4j.core.testing.TensorAssert.uniform;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.latent4j.core.autograd.Autograd;
import org.latent4j.core.autograd.GraphMode;
import org.latent4j.core.kernels.Kernels;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/** Nearest upsampling through the float32 Java kernel against the float64 broadcast-and-reshape composition. */
class UpsampleKernelTest {
    @ParameterizedTest
    @CsvSource({"2, 3, 5, 7, 2", "1, 1, 1, 1, 3", "3, 2, 4, 3, 1", "4, 16, 16, 16, 2"})
    void kernelMatchesComposedFloat64BothWays(int n, int c, int h, int w, int scale) {
        Rng rng = new Rng(31L * h + w);
        Tensor ref = uniform(rng, -1, 1, n, c, h, w);
        Tensor seed = uniform(rng, -1, 1, n, c, h * scale, w * scale);
        Tensor x64 = Tensor.wrap(ref.value().dup()).requireGrad();
        Tensor x32 = ref.to(DType.FLOAT32).requireGrad();
        assertTrue(Kernels.hasUpsampleNearest(x32.value()));
        Tensor expected = Pooling.upsampleNearest2d(x64, scale);
        Tensor actual = Pooling.upsampleNearest2d(x32, scale);
        assertClose(expected, actual.to(DType.FLOAT64), 0, 1e-7);
        expected.mul(seed).sum().backward();
        actual.mul(seed.to(DType.FLOAT32)).sum().backward();
        assertClose(x64.grad(), x32.grad().to(DType.FLOAT64), 1e-5, 1e-5);
        // with a recorded backward the block sum is rebuilt from Tensor ops: the same numbers
        Tensor x = ref.to(DType.FLOAT32).requireGrad();
        Tensor g = Autograd.grad(Pooling.upsampleNearest2d(x, scale).mul(seed.to(DType.FLOAT32)).sum(),
                new Tensor[] {x}, GraphMode.CREATE)[0];
        assertClose(x32.grad().to(DType.FLOAT64), g.to(DType.FLOAT64), 1e-5, 1e-5);
    }
}
