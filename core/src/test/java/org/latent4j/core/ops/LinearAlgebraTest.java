package org.latent4j.core.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.latent4j.core.testing.TensorAssert.assertClose;
import static org.latent4j.core.testing.TensorAssert.assertGradients;
import static org.latent4j.core.testing.TensorAssert.assertSecondOrderGradients;
import static org.latent4j.core.testing.TensorAssert.uniform;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.Fixtures;

class LinearAlgebraTest {
    private static final Fixtures FIX = Fixtures.load("linalg");

    private static Function<Tensor[], Tensor> op(Fixtures.Case c) {
        switch (c.name()) {
            case "outer": return xs -> LinearAlgebra.outer(xs[0], xs[1]);
            case "slogdet": return xs -> LinearAlgebra.slogdet(xs[0]).logAbsDet();
            case "solve":
            case "solve_batched_broadcast":
            case "solve_vector":
            case "solve_batch_of_vectors":
                return xs -> LinearAlgebra.solve(xs[0], xs[1]);
            case "inverse": return xs -> LinearAlgebra.inverse(xs[0]);
            case "triu": return xs -> LinearAlgebra.triu(xs[0], (long) c.number("diagonal"));
            case "tril": return xs -> LinearAlgebra.tril(xs[0], (long) c.number("diagonal"));
            default: return xs -> LinearAlgebra.matmul(xs[0], xs[1]);
        }
    }

    private static String[] inputNames(Fixtures.Case c) {
        return c.has("x") ? new String[] {"x"} : new String[] {"a", "b"};
    }

    private static Tensor[] inputs(Fixtures.Case c) {
        return OpFixtures.inputs(c, inputNames(c));
    }

    @ParameterizedTest
    @ValueSource(strings = {"outer", "slogdet", "solve", "solve_batched_broadcast", "solve_vector",
        "solve_batch_of_vectors", "inverse", "triu", "tril", "matmul_vec_vec", "matmul_vec_batched",
        "matmul_batched_vec"})
    void linearAlgebraMatchesPyTorchForwardAndBackward(String name) {
        Fixtures.Case c = FIX.get(name);
        OpFixtures.assertMatchesPyTorch(c, op(c), inputNames(c));
    }

    @ParameterizedTest
    @ValueSource(strings = {"outer", "slogdet", "solve", "solve_batched_broadcast", "solve_vector",
        "solve_batch_of_vectors", "inverse", "triu", "tril", "matmul_vec_vec", "matmul_vec_batched",
        "matmul_batched_vec"})
    void linearAlgebraPassesGradCheckIncludingSecondOrder(String name) {
        Fixtures.Case c = FIX.get(name);
        Function<Tensor[], Tensor> f = op(c);
        assertGradients(f, inputs(c));
        assertSecondOrderGradients(f, inputs(c));
    }

    @Test
    void slogdetSignMatchesPyTorchAndSingularGivesMinusInfinity() {
        Fixtures.Case c = FIX.get("slogdet");
        assertClose(c.tensor("sign"), LinearAlgebra.slogdet(c.tensor("x")).sign());
        LinearAlgebra.LogDet singular = LinearAlgebra.slogdet(Tensor.of(new double[] {1, 2, 2, 4}, 2, 2));
        assertEquals(0.0, singular.sign().item());
        assertEquals(Double.NEGATIVE_INFINITY, singular.logAbsDet().item());
    }

    @Test
    void slogdetOfA1x1ConvolutionWeightInFloat32() {
        // Glow's invertible 1×1 convolution: log|det W| of a (C, C) weight, float32 in and out
        Tensor w = uniform(new Rng(7), -1, 1, 4, 4).add(Tensor.of(new double[] {3, 0, 0, 0, 0, 3, 0, 0, 0, 0, 3, 0,
            0, 0, 0, 3}, 4, 4));
        LinearAlgebra.LogDet d64 = LinearAlgebra.slogdet(w);
        LinearAlgebra.LogDet d32 = LinearAlgebra.slogdet(w.to(DType.FLOAT32));
        assertEquals(DType.FLOAT32, d32.logAbsDet().dtype());
        assertEquals(d64.logAbsDet().item(), d32.logAbsDet().item(), 1e-5);
        // d log|det W| / dW = W⁻ᵀ
        Tensor leaf = Tensor.wrap(w.value().dup()).requireGrad();
        LinearAlgebra.slogdet(leaf).logAbsDet().backward();
        assertClose(Shapes.transpose(LinearAlgebra.inverse(w), 0, 1), leaf.grad());
    }

    @Test
    void inverseTimesMatrixIsIdentity() {
        Tensor a = uniform(new Rng(8), -1, 1, 2, 3, 3).add(Tensor.of(new double[] {2, 0, 0, 0, 2, 0, 0, 0, 2}, 3, 3));
        Tensor eye = Tensor.of(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, 3, 3);
        assertClose(eye.expand(2, 3, 3), LinearAlgebra.matmul(LinearAlgebra.inverse(a), a), 1e-12, 1e-12);
        assertClose(LinearAlgebra.inverse(a), LinearAlgebra.solve(a, eye), 1e-12, 1e-12);
    }

    @Test
    void matmulReadsPermutedAndSlicedOperands() {
        Rng rng = new Rng(9);
        Tensor a = uniform(rng, -1, 1, 2, 3, 2);
        Tensor b = uniform(rng, -1, 1, 3, 4);
        Tensor at = Shapes.permute(a, 0, 2, 1); // (2, 2, 3), not contiguous
        Tensor expected = LinearAlgebra.matmul(Shapes.contiguous(at), Shapes.contiguous(Shapes.slice(b, 1, 0, 4, 2)));
        assertClose(expected, LinearAlgebra.matmul(at, Shapes.slice(b, 1, 0, 4, 2)), 1e-12, 1e-12);
        assertGradients(xs -> LinearAlgebra.matmul(Shapes.transpose(xs[0], -1, -2), Shapes.slice(xs[1], 1, 1, 4, 2)),
                a, b);
        assertSecondOrderGradients(xs -> LinearAlgebra.matmul(Shapes.transpose(xs[0], -1, -2), xs[1]), a, b);
    }

    @Test
    void matmulBroadcastsBatchAxesInFloat32AndFloat64() {
        Rng rng = new Rng(10);
        Tensor a = uniform(rng, -1, 1, 2, 1, 3, 4);
        Tensor b = uniform(rng, -1, 1, 3, 4, 2);
        Tensor out64 = LinearAlgebra.matmul(a, b);
        assertArrayEquals(new long[] {2, 3, 3, 2}, out64.shape());
        // batch element (1, 2) is a[1, 0] @ b[2]
        Tensor a10 = Shapes.slice(Shapes.slice(a, 0, 1, 2), 1, 0, 1).reshape(3, 4);
        Tensor one = LinearAlgebra.matmul(a10, Shapes.slice(b, 0, 2, 3).reshape(4, 2));
        assertClose(one, Shapes.slice(Shapes.slice(out64, 0, 1, 2), 1, 2, 3).reshape(3, 2), 1e-12, 1e-12);
        Tensor out32 = LinearAlgebra.matmul(a.to(DType.FLOAT32), b.to(DType.FLOAT32));
        assertEquals(DType.FLOAT32, out32.dtype());
        assertClose(out64, out32.to(DType.FLOAT64), 1e-5, 1e-5);
        assertGradients(xs -> LinearAlgebra.matmul(xs[0], xs[1]), a, b);
    }

    @Test
    void causalMaskHidesTheFuture() {
        assertArrayEquals(new long[] {0, 1, 1, 0, 0, 1, 0, 0, 0},
                LinearAlgebra.causalMask(3).to(DType.INT64).toLongArray());
        assertEquals(DType.BOOL, LinearAlgebra.causalMask(3).dtype());
        // two new queries against four cached keys: query 0 is position 2
        assertArrayEquals(new long[] {0, 0, 0, 1, 0, 0, 0, 0},
                LinearAlgebra.causalMask(2, 4).to(DType.INT64).toLongArray());
    }

    @Test
    void linearIsTheComposedProductPlusBiasToSecondOrder() {
        Rng rng = new Rng(21);
        Tensor x = uniform(rng, -1, 1, 2, 3, 4);
        Tensor w = uniform(rng, -1, 1, 5, 4);
        Tensor b = uniform(rng, -1, 1, 5);
        Tensor composed = LinearAlgebra.matmul(x, Shapes.transpose(w, 0, 1)).add(b);
        assertClose(composed, LinearAlgebra.linear(x, w, b), 1e-12, 1e-12);
        assertGradients(xs -> LinearAlgebra.linear(xs[0], xs[1], xs[2]).square(), x, w, b);
        assertSecondOrderGradients(xs -> LinearAlgebra.linear(xs[0], xs[1], xs[2]).square(), x, w, b);
        assertGradients(xs -> LinearAlgebra.linear(xs[0], xs[1], null).square(), x.reshape(6, 4), w);
        // float32 (the Java sgemm reading W transposed in place, the bias added row by row) against float64
        Tensor[] grads = new Tensor[6];
        DType[] dtypes = {DType.FLOAT32, DType.FLOAT64};
        for (int i = 0; i < 2; i++) {
            Tensor[] leaves = {x.to(DType.FLOAT32).to(dtypes[i]).requireGrad(),
                w.to(DType.FLOAT32).to(dtypes[i]).requireGrad(), b.to(DType.FLOAT32).to(dtypes[i]).requireGrad()};
            Tensor y = LinearAlgebra.linear(leaves[0], leaves[1], leaves[2]);
            assertArrayEquals(new long[] {2, 3, 5}, y.shape());
            y.square().sum().backward();
            for (int j = 0; j < 3; j++) {
                grads[i * 3 + j] = leaves[j].grad();
            }
        }
        for (int j = 0; j < 3; j++) {
            assertClose(grads[3 + j], grads[j].to(DType.FLOAT64), 1e-5, 1e-5);
        }
        assertMessage("linear: input (2,3,4) and weight (4,5): the weight must be (out, in) with in = the input's "
                + "last size", () -> LinearAlgebra.linear(x, Shapes.transpose(w, 0, 1), null));
        assertMessage("linear: bias (4,) must be (5)", () -> LinearAlgebra.linear(x, w, Tensor.zeros(DType.FLOAT64, 4)));
        assertMessage("linear: dtypes differ (input float32, weight float64)",
                () -> LinearAlgebra.linear(x.to(DType.FLOAT32), w, null));
    }

    private static void assertMessage(String expected, Executable call) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @Test
    void badArgumentsNameTheOpAndShapes() {
        assertMessage("matmul: (3,) x (4,): inner dimensions 3 and 4 differ",
                () -> LinearAlgebra.matmul(Tensor.zeros(3), Tensor.zeros(4)));
        assertMessage("matmul: (2,3) x (4,): inner dimensions 3 and 4 differ",
                () -> LinearAlgebra.matmul(Tensor.zeros(2, 3), Tensor.zeros(4)));
        assertMessage("matmul: dtypes differ (float32 and float64)",
                () -> LinearAlgebra.matmul(Tensor.zeros(2, 3), Tensor.zeros(DType.FLOAT64, 3, 2)));
        assertMessage("matmul: shapes (2,) and (3,) do not broadcast (dimension 0: 2 vs 3)",
                () -> LinearAlgebra.matmul(Tensor.zeros(2, 2, 3), Tensor.zeros(3, 3, 2)));
        assertMessage("outer: needs two vectors, got (2,3) and (3,)",
                () -> LinearAlgebra.outer(Tensor.zeros(2, 3), Tensor.zeros(3)));
        assertMessage("slogdet: needs square matrices (…, n, n), got (2,3)",
                () -> LinearAlgebra.slogdet(Tensor.zeros(2, 3)));
        assertMessage("solve: a is (3,3) but b (4,2) has 4 rows",
                () -> LinearAlgebra.solve(Tensor.zeros(3, 3), Tensor.zeros(4, 2)));
        assertMessage("solve: matrix 1 of the batch is singular", () -> LinearAlgebra.solve(
                Tensor.of(new double[] {1, 0, 0, 1, 1, 2, 2, 4}, 2, 2, 2), Tensor.zeros(DType.FLOAT64, 2, 1)));
        assertMessage("inverse: needs square matrices (…, n, n), got (3,)",
                () -> LinearAlgebra.inverse(Tensor.zeros(3)));
        assertMessage("triu: needs matrices (…, n, m), got (3,)", () -> LinearAlgebra.triu(Tensor.zeros(3), 0));
        assertMessage("causalMask: need 0 ≤ queries ≤ keys, got 3 queries and 2 keys",
                () -> LinearAlgebra.causalMask(3, 2));
    }
}
