package org.latent4j.core.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latent4j.core.testing.TensorAssert.assertClose;
import static org.latent4j.core.testing.TensorAssert.uniform;

import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

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

    /** Pairs of shapes that broadcast: trailing vectors, size-1 axes on either side, scalars, odd sizes. */
    private static final long[][][] BROADCASTS = {
        {{5, 7}, {7}}, {{3, 1, 5}, {4, 5}}, {{1}, {2, 3}}, {{}, {5, 3}}, {{6, 1}, {1, 9}},
        {{2, 3, 4}, {2, 1, 4}}, {{1, 1}, {1}}, {{7}, {3, 7}}, {{2, 3, 4}, {1, 3, 4}}, {{4, 3, 1}, {3, 1}}
    };

    /**
     * Runs {@code f} on float32 copies of {@code inputs} (the Java loops) and on float64 copies of the same
     * rounded values (ND4J's ops: the loops take float32 only), backpropagating a fixed non-uniform weighting
     * of the output; returns {float32 results, float64 results}: the output, then each input's gradient.
     */
    private static Tensor[][] float32AgainstFloat64(Function<Tensor[], Tensor> f, Tensor... inputs) {
        Tensor[][] results = new Tensor[2][];
        DType[] dtypes = {DType.FLOAT32, DType.FLOAT64};
        for (int d = 0; d < 2; d++) {
            Tensor[] leaves = new Tensor[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                leaves[i] = inputs[i].to(DType.FLOAT32).to(dtypes[d]).requireGrad();
            }
            Tensor out = f.apply(leaves);
            Tensor w = Tensor.wrap(Nd4j.linspace(DataType.DOUBLE, 0.5, 1.0 / Math.max(1, out.numel()), out.numel())
                    .reshape(out.shape())).to(dtypes[d]);
            out.mul(w).sum().backward();
            results[d] = new Tensor[inputs.length + 1];
            results[d][0] = out;
            for (int i = 0; i < inputs.length; i++) {
                results[d][i + 1] = leaves[i].grad();
            }
        }
        return results;
    }

    private static void assertFloat32MatchesFloat64(Tensor[][] results, double rtol, double atol) {
        for (int i = 0; i < results[0].length; i++) {
            assertArrayEquals(results[1][i].shape(), results[0][i].shape(), "shape of result " + i);
            assertClose(results[1][i], results[0][i].to(DType.FLOAT64), rtol, atol);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
    void broadcastingArithmeticMatchesNd4jInValuesAndGradients(int which) {
        long[] sa = BROADCASTS[which][0];
        long[] sb = BROADCASTS[which][1];
        Rng rng = new Rng(40 + which);
        Tensor a = uniform(rng, -2, 2, sa);
        Tensor b = uniform(rng, 0.5, 2, sb);
        @SuppressWarnings("unchecked")
        BinaryOperator<Tensor>[] ops = new BinaryOperator[] {
            (BinaryOperator<Tensor>) Elementwise::add, (BinaryOperator<Tensor>) Elementwise::sub,
            (BinaryOperator<Tensor>) Elementwise::mul, (BinaryOperator<Tensor>) Elementwise::div
        };
        for (BinaryOperator<Tensor> op : ops) {
            assertFloat32MatchesFloat64(float32AgainstFloat64(xs -> op.apply(xs[0], xs[1]), a, b), 1e-5, 1e-6);
            assertFloat32MatchesFloat64(float32AgainstFloat64(xs -> op.apply(xs[1], xs[0]), a, b), 1e-5, 1e-6);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "1", "2", "0,2", "1,2", "0,1,2", "-1"})
    void sumsOverAxesMatchNd4j(String axesText) {
        int[] axes = axesText.isEmpty() ? new int[0]
                : java.util.Arrays.stream(axesText.split(",")).mapToInt(Integer::parseInt).toArray();
        Tensor x = uniform(new Rng(9), -3, 3, 3, 5, 7);
        for (boolean keep : new boolean[] {false, true}) {
            Tensor[][] r = float32AgainstFloat64(xs -> {
                Tensor s = Reductions.sum(xs[0], axes, keep);
                return s.mul(s);
            }, x);
            assertFloat32MatchesFloat64(r, 1e-5, 1e-5);
        }
    }

    @Test
    void sumOfAScalarAndOfOneElementIsItself() {
        Tensor scalar = Tensor.of(new float[] {2.5f});
        assertEquals(2.5, Reductions.sum(scalar).item(), 0);
        Tensor one = Tensor.of(new float[] {-1.25f}, 1, 1);
        assertEquals(-1.25, Reductions.sum(one).item(), 0);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
    void expandMatchesNd4j(int which) {
        long[] from = BROADCASTS[which][1];
        long[] to = Shape.broadcast("test", BROADCASTS[which][0], from);
        Tensor x = uniform(new Rng(which), -1, 1, from);
        Tensor[][] r = float32AgainstFloat64(xs -> Shapes.expand(xs[0], to), x);
        assertArrayEquals(to, r[0][0].shape());
        assertFloat32MatchesFloat64(r, 1e-6, 1e-6);
        // and the same as ND4J's own float32 broadcast, exactly
        Tensor[] both = bothWays(() -> Shapes.expand(x.to(DType.FLOAT32), to));
        assertClose(both[0], both[1], 0, 0);
    }

    @Test
    void broadcastOffsetsWalkTheTargetInRowMajorOrder() {
        int[] offsets = new int[12];
        // (3,1) broadcast to (2,3,2): each row value repeats along the last axis, the block along the first
        HostLoops.broadcastIndex(new long[] {3, 1}, new long[] {2, 3, 2}, offsets);
        assertArrayEquals(new int[] {0, 0, 1, 1, 2, 2, 0, 0, 1, 1, 2, 2}, offsets);
        HostLoops.broadcastIndex(new long[] {2}, new long[] {3, 2}, offsets);
        assertArrayEquals(new int[] {0, 1, 0, 1, 0, 1}, java.util.Arrays.copyOf(offsets, 6));
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
