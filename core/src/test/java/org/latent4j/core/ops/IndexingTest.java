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

class IndexingTest {
    private static final Fixtures FIX = Fixtures.load("indexing");

    /** The op of a fixture case as a function of its float inputs (x, then src when it has one). */
    private static Function<Tensor[], Tensor> op(Fixtures.Case c) {
        int axis = c.has("axis") ? (int) c.number("axis") : 0;
        switch (c.name()) {
            case "gather_axis0":
            case "gather_axis1":
                return xs -> Indexing.gather(xs[0], axis, c.longs("index"));
            case "index_select_axis0":
            case "index_select_axis1":
                return xs -> Indexing.indexSelect(xs[0], axis, c.longs("index"));
            case "scatter_add": return xs -> Indexing.scatterAdd(xs[0], axis, c.longs("index"), xs[1]);
            case "index_add": return xs -> Indexing.indexAdd(xs[0], axis, c.longs("index"), xs[1]);
            case "embedding": return xs -> Indexing.embedding(xs[0], c.longs("ids"));
            default: throw new IllegalArgumentException(c.name());
        }
    }

    private static String[] inputNames(Fixtures.Case c) {
        String first = c.name().equals("embedding") ? "weight" : "x";
        return c.has("src") ? new String[] {first, "src"} : new String[] {first};
    }

    private static Tensor[] inputs(Fixtures.Case c) {
        return OpFixtures.inputs(c, inputNames(c));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gather_axis0", "gather_axis1", "index_select_axis0", "index_select_axis1", "scatter_add",
        "index_add", "embedding"})
    void indexingOpsMatchPyTorchForwardAndBackward(String name) {
        Fixtures.Case c = FIX.get(name);
        OpFixtures.assertMatchesPyTorch(c, op(c), inputNames(c));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gather_axis0", "gather_axis1", "index_select_axis0", "index_select_axis1", "scatter_add",
        "index_add", "embedding"})
    void indexingOpsPassGradCheckIncludingSecondOrder(String name) {
        Fixtures.Case c = FIX.get(name);
        Function<Tensor[], Tensor> f = op(c);
        assertGradients(f, inputs(c));
        // squared inputs: the second derivative has to run through the op's backward (its adjoint op)
        assertSecondOrderGradients(xs -> {
            Tensor[] sq = new Tensor[xs.length];
            for (int i = 0; i < xs.length; i++) {
                sq[i] = xs[i].mul(xs[i]);
            }
            return f.apply(sq);
        }, inputs(c));
    }

    @Test
    void embeddingBackwardAccumulatesRepeatedIdsInFloat32() {
        Tensor weight = Tensor.zeros(DType.FLOAT32, 4, 2).add(1.0);
        Tensor w = Tensor.wrap(weight.value().dup()).requireGrad();
        Tensor ids = Tensor.ofLongs(new long[] {3, 0, 3, 3, 1, 3}, 2, 3);
        Tensor out = Indexing.embedding(w, ids);
        assertArrayEquals(new long[] {2, 3, 2}, out.shape());
        out.sum().backward();
        assertEquals(DType.FLOAT32, w.grad().dtype());
        assertArrayEquals(new float[] {1, 1, 1, 1, 0, 0, 4, 4}, w.grad().toFloatArray());
    }

    @Test
    void addingOpsLeaveTheirInputUnchanged() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
        Tensor src = Tensor.of(new double[] {10, 20}, 1, 2);
        Tensor out = Indexing.indexAdd(x, 0, Tensor.ofLongs(new long[] {1}, 1), src);
        assertArrayEquals(new double[] {1, 2, 13, 24}, out.toDoubleArray());
        Tensor scattered = Indexing.scatterAdd(x, 1, Tensor.ofLongs(new long[] {1, 1}, 2, 1), Tensor.of(new double[] {
            5, 6}, 2, 1));
        assertArrayEquals(new double[] {1, 7, 3, 10}, scattered.toDoubleArray());
        assertArrayEquals(new double[] {1, 2, 3, 4}, x.toDoubleArray());
        Tensor vector = Tensor.of(new double[] {5, 6, 7}, 3);
        Tensor picked = Indexing.indexSelect(vector, 0, Tensor.ofLongs(new long[] {2, 0, 2}, 3));
        assertArrayEquals(new double[] {7, 5, 7}, picked.toDoubleArray());
    }

    @Test
    void selectingOpsWorkOnInt64Tensors() {
        Tensor labels = Tensor.ofLongs(new long[] {10, 11, 12, 13, 14, 15}, 2, 3);
        Tensor picked = Indexing.gather(labels, 1, Tensor.ofLongs(new long[] {2, 0}, 2, 1));
        assertEquals(DType.INT64, picked.dtype());
        assertArrayEquals(new long[] {12, 13}, picked.toLongArray());
        Tensor columns = Indexing.indexSelect(labels, 1, Tensor.ofLongs(new long[] {1, 1}, 2));
        assertArrayEquals(new long[] {11, 11, 14, 14}, columns.toLongArray());
        Tensor rows = Indexing.indexSelect(labels, 0, Tensor.ofLongs(new long[] {1}, 1));
        assertArrayEquals(new long[] {13, 14, 15}, rows.toLongArray());
    }

    @Test
    void indexingReadsSlicedAndPermutedInputs() {
        Tensor x = uniform(new Rng(5), -1, 1, 3, 4);
        Tensor index = Tensor.ofLongs(new long[] {2, 0}, 2);
        Tensor xt = Shapes.permute(x, 1, 0);
        for (int axis = 0; axis < 2; axis++) {
            Tensor expected = Indexing.indexSelect(Shapes.contiguous(xt), axis, index);
            assertClose(expected, Indexing.indexSelect(xt, axis, index));
        }
        assertGradients(xs -> Indexing.indexSelect(Shapes.permute(xs[0], 1, 0), 1, index), x);
        assertGradients(xs -> Indexing.indexSelect(Shapes.permute(xs[0], 1, 0), 0, index), x);
        assertGradients(xs -> Indexing.embedding(Shapes.slice(xs[0], 1, 1, 3), index), x);
        Tensor gatherIndex = Tensor.ofLongs(new long[] {1, 0, 1, 1, 0, 0}, 3, 2);
        Tensor strided = Shapes.slice(x, 1, 1, 4, 2);
        Tensor expected = Indexing.gather(Shapes.contiguous(strided), 1, gatherIndex);
        assertClose(expected, Indexing.gather(strided, 1, gatherIndex));
        assertGradients(xs -> Indexing.gather(Shapes.slice(xs[0], 1, 1, 4, 2), 1, gatherIndex), x);
    }

    private static void assertMessage(String expected, Executable call) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @Test
    void badArgumentsNameTheOpAndShapes() {
        Tensor x = Tensor.zeros(2, 3);
        Tensor src = Tensor.zeros(2, 4);
        Tensor index = Tensor.ofLongs(new long[8], 2, 4);
        assertMessage("gather: index shape (2,4) does not match input shape (2,3) outside axis 0",
                () -> Indexing.gather(x, 0, index));
        assertMessage("gather: index shape (2,) has rank 1, input shape (2,3) has rank 2",
                () -> Indexing.gather(x, 1, Tensor.ofLongs(new long[2], 2)));
        assertMessage("gather: index 3 is out of range for axis 1 of size 3",
                () -> Indexing.gather(x, 1, Tensor.ofLongs(new long[] {0, 3}, 2, 1)));
        assertMessage("gather: index must be int64, got float32", () -> Indexing.gather(x, 1, Tensor.zeros(2, 1)));
        assertMessage("scatterAdd: index shape (2,4) differs from src shape (2,3)",
                () -> Indexing.scatterAdd(x, 1, index, Tensor.zeros(2, 3)));
        assertMessage("scatterAdd: index shape (2,4) does not match input shape (2,3) outside axis 0",
                () -> Indexing.scatterAdd(x, 0, index, src));
        assertMessage("indexSelect: index -1 is out of range for axis 0 of size 2",
                () -> Indexing.indexSelect(x, 0, Tensor.ofLongs(new long[] {-1}, 1)));
        assertMessage("indexSelect: index must have rank 1, got shape (2,4)", () -> Indexing.indexSelect(x, 0, index));
        assertMessage("indexAdd: src shape (2,4) should be (1,3) for input (2,3) and 1 indices along axis 0",
                () -> Indexing.indexAdd(x, 0, Tensor.ofLongs(new long[] {1}, 1), src));
        assertMessage("embedding: weight must be a (V, D) table, got (2,3,1)",
                () -> Indexing.embedding(Tensor.zeros(2, 3, 1), index));
        assertMessage("embedding: index 5 is out of range for axis 0 of size 2",
                () -> Indexing.embedding(x, Tensor.ofLongs(new long[] {1, 5}, 2)));
    }
}
