package org.latent4j.core.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latent4j.core.testing.TensorAssert.assertClose;
import static org.latent4j.core.testing.TensorAssert.uniform;

import java.util.function.BinaryOperator;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/** The Java loops for small float32 tensors agree with ND4J's ops, values and gradients alike. */
class HostLoopsTest {
    @AfterEach
    void restore() {
        HostLoops.enabled = true;
    }

    private static Tensor[] bothWays(Supplier<Tensor> run) {
        HostLoops.enabled = false;
        Tensor nd4j = run.get();
        HostLoops.enabled = true;
        Tensor java = run.get();
        return new Tensor[] {nd4j, java};
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 129, 4096})
    void everyLoopMatchesNd4j(int n) {
        Rng rng = new Rng(n);
        Tensor x = uniform(rng, -3, 3, n).to(DType.FLOAT32);
        Tensor y = uniform(rng, 0.5, 2, n).to(DType.FLOAT32);
        Tensor positive = y;
        @SuppressWarnings("unchecked")
        BinaryOperator<Tensor>[] ops = new BinaryOperator[] {
            (BinaryOperator<Tensor>) Elementwise::add, (BinaryOperator<Tensor>) Elementwise::sub,
            (BinaryOperator<Tensor>) Elementwise::mul, (BinaryOperator<Tensor>) Elementwise::div,
            (BinaryOperator<Tensor>) (a, b) -> Elementwise.add(a, 0.25),
            (BinaryOperator<Tensor>) (a, b) -> Elementwise.mul(a, -1.5),
            (BinaryOperator<Tensor>) (a, b) -> Elementwise.neg(a),
            (BinaryOperator<Tensor>) (a, b) -> Elementwise.abs(a),
            (BinaryOperator<Tensor>) (a, b) -> Elementwise.square(a),
            (BinaryOperator<Tensor>) (a, b) -> Elementwise.sqrt(positive),
            (BinaryOperator<Tensor>) (a, b) -> Elementwise.rsqrt(positive),
            (BinaryOperator<Tensor>) (a, b) -> Elementwise.reciprocal(positive),
            (BinaryOperator<Tensor>) (a, b) -> Elementwise.exp(a),
            (BinaryOperator<Tensor>) (a, b) -> Activations.relu(a),
            (BinaryOperator<Tensor>) (a, b) -> Activations.tanh(a),
            (BinaryOperator<Tensor>) (a, b) -> Activations.sigmoid(a),
            (BinaryOperator<Tensor>) (a, b) -> Elementwise.sign(a)
        };
        for (BinaryOperator<Tensor> op : ops) {
            Tensor[] r = bothWays(() -> op.apply(x, y));
            assertClose(r[0], r[1], 2e-6, 1e-7);
        }
    }

    @Test
    void gradientsThroughASmallNetworkAgree() {
        Rng rng = new Rng(3);
        Tensor x = uniform(rng, -1, 1, 4, 8).to(DType.FLOAT32);
        Tensor w = uniform(rng, -1, 1, 8, 8).to(DType.FLOAT32);
        Tensor[] grads = new Tensor[2];
        Tensor[] losses = bothWays(() -> {
            Tensor leaf = Tensor.wrap(w.value().dup()).requireGrad();
            Tensor h = Activations.tanh(x.matmul(leaf));
            Tensor loss = Activations.sigmoid(h.mul(h).sub(Elementwise.exp(h.neg()))).div(h.add(3.0)).relu().sum();
            loss.backward();
            grads[HostLoops.enabled ? 1 : 0] = leaf.grad();
            return loss;
        });
        assertClose(losses[0], losses[1], 1e-6, 1e-6);
        assertClose(grads[0], grads[1], 1e-5, 1e-6);
    }

    @Test
    void integerTensorsKeepTheirScalarArithmetic() {
        Tensor i = Tensor.ofLongs(new long[] {1, 2, 3}, 3);
        assertArrayEquals(new long[] {3, 4, 5}, Elementwise.add(i, 2).toLongArray());
        assertArrayEquals(new long[] {2, 4, 6}, Elementwise.mul(i, 2).toLongArray());
        assertArrayEquals(new long[] {-1, -2, -3}, Elementwise.neg(i).toLongArray());
    }

    @Test
    void onlyDenseSmallFloat32ArraysTakeTheLoops() {
        Tensor small = Tensor.zeros(4, 8);
        assertTrue(HostLoops.applies(small.value()));
        assertFalse(HostLoops.applies(small.transpose(0, 1).value()), "a permuted view");
        assertFalse(HostLoops.applies(Tensor.zeros(DType.FLOAT64, 4, 8).value()), "float64");
        assertFalse(HostLoops.applies(Tensor.zeros(HostLoops.MAX_ELEMENTS + 1).value()), "too large");
        assertFalse(HostLoops.applies(org.latent4j.core.ops.Shapes.slice(small, 0, 1, 3).value()), "a slice");
    }
}
