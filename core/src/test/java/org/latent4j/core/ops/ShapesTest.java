package org.latent4j.core.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.latent4j.core.testing.TensorAssert.assertClose;
import static org.latent4j.core.testing.TensorAssert.assertGradients;
import static org.latent4j.core.testing.TensorAssert.assertSecondOrderGradients;
import static org.latent4j.core.testing.TensorAssert.uniform;

import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.latent4j.core.testing.Fixtures;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

class ShapesTest {
    private static final Fixtures FIX = Fixtures.load("shapes");

    private static long[] longs(int[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    /** The op of a one-input fixture case, with the case's parameters. */
    private static UnaryOperator<Tensor> unary(Fixtures.Case c) {
        switch (c.name()) {
            case "squeeze": return x -> Shapes.squeeze(x, (int) c.number("axis"));
            case "unsqueeze": return x -> Shapes.unsqueeze(x, (int) c.number("axis"));
            case "slice_step":
            case "slice_negative":
                return x -> Shapes.slice(x, (int) c.number("axis"), (long) c.number("start"), (long) c.number("end"),
                        (long) c.number("step"));
            case "pad":
            case "pad_crop":
                return x -> Shapes.pad(x, longs(c.ints("padding")), c.number("value"));
            case "flip": return x -> Shapes.flip(x, c.ints("axes"));
            case "repeat": return x -> Shapes.repeat(x, longs(c.ints("repeats")));
            case "flatten": return x -> Shapes.flatten(x, (int) c.number("start"), (int) c.number("end"));
            case "permute": return x -> Shapes.permute(x, c.ints("perm"));
            case "expand": return x -> Shapes.expand(x, longs(c.ints("target")));
            default: throw new IllegalArgumentException(c.name());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"squeeze", "unsqueeze", "slice_step", "slice_negative", "pad", "pad_crop", "flip",
        "repeat", "flatten", "permute", "expand"})
    void unaryShapeOpsMatchPyTorchForwardAndBackward(String name) {
        Fixtures.Case c = FIX.get(name);
        UnaryOperator<Tensor> op = unary(c);
        OpFixtures.assertMatchesPyTorch(c, xs -> op.apply(xs[0]), "x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"squeeze", "unsqueeze", "slice_step", "slice_negative", "pad", "pad_crop", "flip",
        "repeat", "flatten", "permute", "expand"})
    void unaryShapeOpsPassGradCheckIncludingSecondOrder(String name) {
        Fixtures.Case c = FIX.get(name);
        UnaryOperator<Tensor> op = unary(c);
        assertGradients(xs -> op.apply(xs[0]), c.tensor("x"));
        // op(x·x): the second derivative runs through the op's backward rule, not only through mul's
        assertSecondOrderGradients(xs -> op.apply(xs[0].mul(xs[0])), c.tensor("x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"concat", "stack"})
    void concatAndStackMatchPyTorchAndPassGradChecks(String name) {
        Fixtures.Case c = FIX.get(name);
        int axis = (int) c.number("axis");
        java.util.function.Function<Tensor[], Tensor> op = name.equals("concat")
                ? xs -> Shapes.concat(axis, xs[0], xs[1])
                : xs -> Shapes.stack(axis, xs[0], xs[1]);
        OpFixtures.assertMatchesPyTorch(c, op, "a", "b");
        assertGradients(op, c.tensor("a"), c.tensor("b"));
        assertSecondOrderGradients(xs -> op.apply(new Tensor[] {xs[0].mul(xs[1]), xs[1].mul(xs[1])}),
                c.tensor("a"), c.tensor("a"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"split", "chunk"})
    void splitAndChunkMatchPyTorchAndPassGradCheck(String name) {
        Fixtures.Case c = FIX.get(name);
        int axis = (int) c.number("axis");
        java.util.function.Function<Tensor, List<Tensor>> op = name.equals("split")
                ? x -> Shapes.split(x, longs(c.ints("sizes")), axis)
                : x -> Shapes.chunk(x, (int) c.number("n"), axis);
        Tensor x = c.tensor("x").requireGrad();
        List<Tensor> pieces = op.apply(x);
        assertEquals((int) c.number("count"), pieces.size());
        Tensor loss = null;
        for (int i = 0; i < pieces.size(); i++) {
            assertClose(c.tensor("out" + i), pieces.get(i));
            Tensor term = pieces.get(i).mul(c.tensor("w" + i)).sum();
            loss = loss == null ? term : loss.add(term);
        }
        loss.backward();
        assertClose(c.tensor("grad_x"), x.grad());
        assertGradients(xs -> op.apply(xs[0]).get(1), c.tensor("x"));
    }

    @Test
    void viewsShareTheInputsMemory() {
        Tensor x = uniform(new Rng(1), -1, 1, 3, 4);
        Tensor s = Shapes.slice(x, 1, 1, 4, 2);
        Tensor p = Shapes.permute(x, 1, 0);
        Tensor u = Shapes.unsqueeze(x, 0);
        x.value().assign(7);
        for (Tensor view : new Tensor[] {s, p, u}) {
            for (double v : view.toDoubleArray()) {
                assertEquals(7, v);
            }
        }
    }

    @Test
    void contiguousCopiesOnlyWhenNeeded() {
        Tensor x = uniform(new Rng(2), -1, 1, 3, 4);
        assertSame(x, Shapes.contiguous(x));
        Tensor p = Shapes.permute(x, 1, 0);
        Tensor c = Shapes.contiguous(p);
        assertClose(p, c);
        assertArrayEquals(new long[] {3, 1}, c.value().stride());
        Tensor small = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
        INDArray dense = Shapes.contiguous(Shapes.permute(small, 1, 0)).value();
        assertArrayEquals(new double[] {1, 3, 5, 2, 4, 6}, dense.data().asDouble()); // the raw buffer, in order
        assertGradients(xs -> Shapes.contiguous(Shapes.permute(xs[0], 1, 0)), x);
    }

    @Test
    void shapeOpsComposeOnSlicedAndPermutedInputs() {
        Tensor x = uniform(new Rng(3), -1, 1, 2, 5);
        assertGradients(xs -> {
            Tensor t = Shapes.slice(Shapes.permute(xs[0], 1, 0), 0, -4, 5, 2); // (2, 2) from a transposed view
            Tensor joined = Shapes.concat(1, Shapes.flip(t, 1), Shapes.pad(t, new long[] {-1, 0}, 0.0));
            return Shapes.repeat(Shapes.squeeze(Shapes.slice(joined, 0, 1, 2), 0), 2, 1);
        }, x);
    }

    @Test
    void reshapeAndTransposePassSecondOrderGradCheck() {
        Tensor x = uniform(new Rng(4), -1, 1, 2, 3);
        assertSecondOrderGradients(xs -> Shapes.reshape(xs[0].mul(xs[0]), 3, -1), x);
        assertSecondOrderGradients(xs -> Shapes.transpose(xs[0].mul(xs[0]), 0, 1).reshape(6), x);
    }

    @Test
    void emptySliceHasZeroLength() {
        Tensor x = Tensor.zeros(3, 4);
        assertArrayEquals(new long[] {3, 0}, Shapes.slice(x, 1, 2, 2).shape());
        Tensor y = Tensor.of(new double[] {1, 2, 3}, 3).requireGrad();
        Shapes.concat(0, Shapes.slice(y, 0, 1, 1), y).sum().backward();
        assertClose(Tensor.of(new double[] {1, 1, 1}, 3), y.grad());
    }

    @Test
    void chunkGivesFewerPiecesWhenTheAxisRunsOut() {
        List<Tensor> pieces = Shapes.chunk(Tensor.zeros(5, 2), 4, 0); // ⌈5/4⌉ = 2: sizes 2, 2, 1
        assertEquals(3, pieces.size());
        assertEquals(1, pieces.get(2).size(0));
    }

    private static void assertMessage(String expected, Executable call) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @Test
    void badArgumentsNameTheOpAndShapes() {
        Tensor x = Tensor.zeros(2, 3);
        assertMessage("slice: start 5 is out of range for axis 1 of size 3", () -> Shapes.slice(x, 1, 5, 3));
        assertMessage("slice: end -4 is out of range for axis 1 of size 3", () -> Shapes.slice(x, 1, 0, -4));
        assertMessage("slice: step must be positive, got 0", () -> Shapes.slice(x, 1, 0, 3, 0));
        assertMessage("slice: end 1 comes before start 2 for axis 1 of size 3", () -> Shapes.slice(x, 1, 2, 1));
        assertMessage("slice: axis 2 is out of range for rank 2", () -> Shapes.slice(x, 2, 0, 1));
        assertMessage("squeeze: axis 1 of (2,3) has size 3, not 1", () -> Shapes.squeeze(x, 1));
        assertMessage("unsqueeze: axis 3 is out of range for rank 3", () -> Shapes.unsqueeze(x, 3));
        assertMessage("concat: shapes (2,3) and (3,3) differ outside axis 1",
                () -> Shapes.concat(1, x, Tensor.zeros(3, 3)));
        assertMessage("concat: dtypes differ (float32 and float64)",
                () -> Shapes.concat(0, x, Tensor.zeros(org.latent4j.core.tensor.DType.FLOAT64, 2, 3)));
        assertMessage("concat: no tensors given", () -> Shapes.concat(List.of(), 0));
        assertMessage("stack: shapes (2,3) and (2,4) differ", () -> Shapes.stack(0, x, Tensor.zeros(2, 4)));
        assertMessage("split: sizes [1, 1] sum to 2, not to the size 3 of axis 1",
                () -> Shapes.split(x, new long[] {1, 1}, 1));
        assertMessage("chunk: number of chunks must be positive, got 0", () -> Shapes.chunk(x, 0, 0));
        assertMessage("pad: padding [1, 1, 1] has odd length 3", () -> Shapes.pad(x, new long[] {1, 1, 1}, 0));
        assertMessage("pad: 3 pairs of padding for a tensor of rank 2 (2,3)",
                () -> Shapes.pad(x, new long[] {1, 1, 1, 1, 1, 1}, 0));
        assertMessage("pad: padding [-2, -2] crops axis 1 of (2,3) below size 0",
                () -> Shapes.pad(x, new long[] {-2, -2}, 0));
        assertMessage("flip: axis 1 repeated in [1, -1]", () -> Shapes.flip(x, 1, -1));
        assertMessage("repeat: 1 repeats given for a tensor of rank 2 (2,3) (need at least 2)",
                () -> Shapes.repeat(x, 2));
        assertMessage("flatten: start axis 1 comes after end axis 0 for shape (2,3)", () -> Shapes.flatten(x, 1, 0));
    }
}
