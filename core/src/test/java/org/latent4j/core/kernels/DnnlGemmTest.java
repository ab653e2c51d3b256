package org.latent4j.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latent4j.core.kernels.KernelTesting.assertClose;
import static org.latent4j.core.kernels.KernelTesting.uniform;
import static org.latent4j.core.kernels.KernelTesting.values;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.latent4j.core.tensor.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** oneDNN's sgemm on the arrays' buffers against ND4J's float64 product of c-ordered copies. */
class DnnlGemmTest {
    @BeforeAll
    static void oneDnnLoadsWithTheCpuBackend() {
        assertTrue(DnnlGemm.available(), "the test classpath has nd4j-native (oneDNN) and org.bytedeco:dnnl");
    }

    /** ND4J's product in float64 of the same values, c-ordered. */
    private static double[] expected(INDArray a, INDArray b) {
        return values(Nd4j.matmul(a.castTo(DataType.DOUBLE).dup('c'), b.castTo(DataType.DOUBLE).dup('c')));
    }

    /** rows × cols, or a transposed view of a (cols × rows) array: the column-major operand dnnl reads with 'T'. */
    private static INDArray matrix(Rng rng, long rows, long cols, boolean columnMajor) {
        return columnMajor ? uniform(rng, DataType.FLOAT, -1, 1, cols, rows).transpose()
                : uniform(rng, DataType.FLOAT, -1, 1, rows, cols);
    }

    /** Odd sizes, both layouts of each operand, and products big enough to be split by rows or by columns. */
    @ParameterizedTest
    @CsvSource({"1,1,1", "1,7,1", "7,1,129", "1,129,7", "7,129,1", "129,7,129", "129,129,7", "7,129,129",
            "40,128,110", "300,129,129", "7,129,3000", "768,128,65"})
    void everyLayoutMatchesNd4j(int m, int k, int n) {
        for (int layout = 0; layout < 4; layout++) {
            boolean ta = (layout & 1) != 0;
            boolean tb = (layout & 2) != 0;
            Rng rng = new Rng(m * 31L + k * 7L + n + layout);
            INDArray a = matrix(rng, m, k, ta);
            INDArray b = matrix(rng, k, n, tb);
            assertTrue(DnnlGemm.readable(a) && DnnlGemm.readable(b), "views are read in place");
            INDArray out = Nd4j.create(DataType.FLOAT, m, n);
            Kernels.dnnlMatmul(a, b, out);
            assertClose("dnnl sgemm " + (ta ? "T" : "N") + (tb ? "T" : "N"), expected(a, b), out, 1e-4, 1e-4);
        }
    }

    /** Several blocks per thread give the same product (the split is by rows and by columns). */
    @ParameterizedTest
    @CsvSource({"300,129,129,1", "300,129,129,3", "7,129,3000,5", "129,300,17,64"})
    void blocksOfAnySizeMatchOneCall(int m, int k, int n, int unitsPerThread) {
        Rng rng = new Rng(m + k + n);
        INDArray a = matrix(rng, m, k, false);
        INDArray b = matrix(rng, k, n, true);
        INDArray out = Nd4j.create(DataType.FLOAT, m, n);
        DnnlGemm.matmul(a, b, out, 1, unitsPerThread);
        assertClose("dnnl sgemm in blocks", expected(a, b), out, 1e-4, 1e-4);
    }

    /** Operands and output that are windows into larger arrays: offsets and leading dimensions beyond the width. */
    @Test
    void viewsWithOffsetsAreReadAndWrittenInPlace() {
        Rng rng = new Rng(5);
        INDArray bigA = uniform(rng, DataType.FLOAT, -1, 1, 140, 150);
        INDArray bigB = uniform(rng, DataType.FLOAT, -1, 1, 160, 170);
        INDArray bigC = uniform(rng, DataType.FLOAT, -1, 1, 150, 140);
        INDArray untouched = bigC.dup();
        INDArray a = bigA.get(NDArrayIndex.interval(3, 132), NDArrayIndex.interval(5, 12));      // (129, 7)
        INDArray b = bigB.get(NDArrayIndex.interval(11, 140), NDArrayIndex.interval(2, 9)).transpose(); // (7, 129)
        INDArray out = bigC.get(NDArrayIndex.interval(9, 138), NDArrayIndex.interval(1, 130));   // (129, 129)
        assertTrue(a.offset() > 0 && out.offset() > 0 && DnnlGemm.writable(out));
        Kernels.dnnlMatmul(a, b, out);
        assertClose("dnnl sgemm on windows", expected(a, b), out, 1e-4, 1e-4);
        out.assign(0);
        untouched.get(NDArrayIndex.interval(9, 138), NDArrayIndex.interval(1, 130)).assign(0);
        assertEquals(untouched, bigC, "only the window of C was written");
    }

    /** The seam: x·Wᵀ reads W in place (itself row- or column-major), and gᵀ·x goes through oneDNN as a view. */
    @ParameterizedTest
    @CsvSource({"1,128,384,false", "7,129,1,false", "768,128,65,false", "4,512,128,false", "1,128,384,true",
            "7,129,1,true", "300,129,129,true"})
    void seamTransposedBMatchesNd4j(int m, int k, int n, boolean columnMajorW) {
        Rng rng = new Rng(m * 3L + n);
        INDArray x = uniform(rng, DataType.FLOAT, -1, 1, m, k);
        INDArray w = matrix(rng, n, k, columnMajorW);
        INDArray out = Nd4j.create(DataType.FLOAT, m, n);
        Kernels.matmulTransposedB(x, w, out);
        assertClose("x·Wᵀ", expected(x, w.transpose()), out, 1e-4, 1e-4);
        INDArray grad = Nd4j.create(DataType.FLOAT, n, k);
        Kernels.matmul(out.transpose(), x, grad); // a weight gradient gᵀ·x
        assertClose("gᵀ·x", expected(out.transpose(), x), grad, 1e-3, 1e-3);
    }

    /** Batched: rank 3 and 4, permuted (column-major) items, a broadcast batch axis, and several items per thread. */
    @Test
    void batchedItemsMatchNd4j() {
        Rng rng = new Rng(6);
        INDArray a = uniform(rng, DataType.FLOAT, -1, 1, 3, 4, 17, 33);
        INDArray b = uniform(rng, DataType.FLOAT, -1, 1, 3, 4, 40, 33).permute(0, 1, 3, 2); // (3, 4, 33, 40)
        INDArray out = Nd4j.create(DataType.FLOAT, 3, 4, 17, 40);
        Kernels.dnnlMatmul(a, b, out);
        assertClose("batched", expected(a, b), out, 1e-4, 1e-4);

        INDArray shared = uniform(rng, DataType.FLOAT, -1, 1, 1, 129, 7).broadcast(5, 129, 7); // batch stride 0
        INDArray c = uniform(rng, DataType.FLOAT, -1, 1, 5, 7, 9);
        INDArray out2 = Nd4j.create(DataType.FLOAT, 5, 129, 9);
        assertTrue(DnnlGemm.readable(shared));
        DnnlGemm.matmul(shared, c, out2, 1, 3);
        assertClose("broadcast batch", expected(shared, c), out2, 1e-4, 1e-4);
    }

    /** A matrix with no unit stride is copied first by the seam; dnnl itself refuses it with the strides named. */
    @Test
    void operandsWithoutUnitStrideAreCopiedBySeamAndRefusedByTheKernel() {
        Rng rng = new Rng(7);
        INDArray a = uniform(rng, DataType.FLOAT, -1, 1, 20, 30)
                .get(NDArrayIndex.interval(0, 2, 20), NDArrayIndex.interval(0, 2, 30)); // (10, 15), strides (60, 2)
        INDArray b = uniform(rng, DataType.FLOAT, -1, 1, 15, 6);
        assertFalse(DnnlGemm.readable(a));
        INDArray out = Nd4j.create(DataType.FLOAT, 10, 6);
        Kernels.matmul(a, b, out);
        assertClose("strided", expected(a, b), out, 1e-4, 1e-4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DnnlGemm.matmul(a, b, out, 1, 1));
        assertEquals("matmul: oneDNN's sgemm cannot take (10,15) x (15,6) with strides [60, 2], [6, 1] into (10,6) "
                + "with strides [6, 1]", e.getMessage());
    }

    @Test
    void emptyInnerDimensionGivesZeros() {
        INDArray out = Nd4j.ones(DataType.FLOAT, 3, 4);
        Kernels.dnnlMatmul(Nd4j.create(DataType.FLOAT, 3, 0), Nd4j.create(DataType.FLOAT, 0, 4), out);
        assertEquals(0.0, out.sumNumber().doubleValue());
    }

    @Test
    void mismatchedShapesAreReported() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kernels.dnnlMatmul(
                Nd4j.create(DataType.FLOAT, 2, 3), Nd4j.create(DataType.FLOAT, 3, 5), Nd4j.create(DataType.FLOAT, 2, 4)));
        assertEquals("matmul: (2,3) x (3,5) into (2,4): the output's shape differs", e.getMessage());
    }

    /** The seam's switch: with setDnnlMatmul(false) the same product comes from the other kernels. */
    @Test
    void switchedOffSeamGivesTheSameProduct() {
        Rng rng = new Rng(8);
        INDArray a = uniform(rng, DataType.FLOAT, -1, 1, 33, 65);
        INDArray b = uniform(rng, DataType.FLOAT, -1, 1, 65, 17);
        INDArray out = Nd4j.create(DataType.FLOAT, 33, 17);
        Kernels.setDnnlMatmul(false);
        try {
            Kernels.matmul(a, b, out);
        } finally {
            Kernels.setDnnlMatmul(true);
        }
        assertClose("switched off", expected(a, b), out, 1e-4, 1e-4);
    }
}
