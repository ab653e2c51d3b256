package org.latent4j.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latent4j.core.testing.TensorAssert.assertClose;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.latent4j.core.kernels.Kernels;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The float32 Java GELU (tanh form) against the float64 composition (itself checked against PyTorch and by
 * finite differences in {@link ActivationsTest}), forward and backward, on odd sizes, on the chunked
 * two-thread path and at the extremes where tanh saturates.
 */
class GeluKernelTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 7, 129, 4097, 100_003})
    void kernelMatchesTheFloat64Composition(int n) {
        Rng rng = new Rng(n);
        double[] xs = new double[n];
        double[] gs = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = (rng.nextDouble() - 0.5) * 12;
            gs[i] = rng.nextDouble() - 0.5;
        }
        if (n > 4) {
            xs[0] = -100;
            xs[1] = 100;
            xs[2] = 0;
            xs[3] = -1e-4;
        }
        Tensor x64 = Tensor.of(xs, n).requireGrad();
        Tensor g64 = Tensor.of(gs, n);
        Tensor y64 = Activations.geluTanh(x64);
        y64.mul(g64).sum().backward();

        Tensor x32 = x64.detach().to(DType.FLOAT32).requireGrad();
        assertTrue(Kernels.hasGelu(x32.value()));
        Tensor y32 = Activations.geluTanh(x32);
        y32.mul(g64.to(DType.FLOAT32)).sum().backward();
        assertClose(y64, y32.to(DType.FLOAT64), 2e-6, 2e-6);
        assertClose(x64.grad(), x32.grad().to(DType.FLOAT64), 2e-6, 2e-6);
    }

    @Test
    void mismatchedShapesAreRejected() {
        var x = Nd4j.create(DataType.FLOAT, 3, 4);
        var out = Nd4j.create(DataType.FLOAT, 4, 3);
        assertEquals("geluTanh: shapes (3,4) and (4,3) differ",
                assertThrows(IllegalArgumentException.class, () -> Kernels.geluTanh(x, out)).getMessage());
    }
}
