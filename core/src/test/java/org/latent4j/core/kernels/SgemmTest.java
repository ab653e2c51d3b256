package org.latent4j.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latent4j.core.kernels.KernelTesting.assertClose;
import static org.latent4j.core.kernels.KernelTesting.uniform;
import static org.latent4j.core.kernels.KernelTesting.values;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.latent4j.core.tensor.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SgemmTest {
    /** Plain triple loop in double over the last two axes. */
    static double[] reference(INDArray a, INDArray b) {
        int r = a.rank();
        int m = (int) a.size(r - 2), k = (int) a.size(r - 1), n = (int) b.size(r - 1);
        int batch = (int) (a.length() / ((long) m * k));
        double[] x = values(a), y = values(b);
        double[] c = new double[batch * m * n];
        for (int t = 0; t < batch; t++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += x[t * m * k + i * k + p] * y[t * k * n + p * n + j];
                    }
                    c[t * m * n + i * n + j] = s;
                }
            }
        }
        return c;
    }

    /** Includes products big enough to run on several threads: by rows, by panels (few rows), by item, per item. */
    @ParameterizedTest
    @CsvSource({"1,1,1,1", "1,7,1,129", "1,129,7,129", "1,7,129,7", "1,9,260,17", "1,160,170,161",
            "3,7,129,9", "8,40,128,110", "1,1,1,40", "1,4,400,1400", "4,40,128,110", "3,100,100,90"})
    void javaSgemmMatchesTripleLoop(int batch, int m, int k, int n) {
        Rng rng = new Rng(m * 31L + k * 7L + n + batch);
        INDArray a = batch == 1 ? uniform(rng, DataType.FLOAT, -1, 1, m, k) : uniform(rng, DataType.FLOAT, -1, 1, batch, m, k);
        INDArray b = batch == 1 ? uniform(rng, DataType.FLOAT, -1, 1, k, n) : uniform(rng, DataType.FLOAT, -1, 1, batch, k, n);
        INDArray out = batch == 1 ? Nd4j.create(DataType.FLOAT, m, n) : Nd4j.create(DataType.FLOAT, batch, m, n);
        Kernels.javaMatmul(a, b, out);
        assertClose("sgemm", reference(a, b), out, 1e-4, 1e-4);
    }

    /** Both register blocks (8 rows for 32-register machines, 6 for 16) run on any machine; check both here. */
    @ParameterizedTest
    @CsvSource({"8,1,13,260,37", "6,1,13,260,37", "8,3,9,7,17", "6,3,9,7,17"})
    void bothRegisterBlocksMatchTripleLoop(int mr, int batch, int m, int k, int n) {
        Rng rng = new Rng(mr * 100L + m);
        INDArray a = uniform(rng, DataType.FLOAT, -1, 1, batch, m, k);
        INDArray b = uniform(rng, DataType.FLOAT, -1, 1, batch, k, n);
        INDArray out = Nd4j.create(DataType.FLOAT, batch, m, n);
        Sgemm.matmul(a, b, out, new Sgemm.Blocking(mr, Sgemm.KC, Sgemm.MC));
        assertClose("sgemm mr=" + mr, reference(a, b), out, 1e-4, 1e-4);
    }

    /** The attention tiles' small products, both block shapes (4×4 and 6×2 vectors), with accumulation. */
    @ParameterizedTest
    @CsvSource({"true,false,13,48,70", "false,false,13,48,70", "true,false,4,16,1", "false,false,7,32,9",
            "true,true,13,48,70", "false,true,13,48,70", "false,true,7,32,9"})
    void blockGemmVariantsMatchTripleLoop(boolean wide, boolean transposedA, int m, int n, int k) {
        Rng rng = new Rng(m * 7L + n + k);
        // A element (i, p) sits at i·ars + p·aks: row-major (m×lda) or, transposed, (k×lda) holding Aᵀ
        int lda = (transposedA ? m : k) + 3;
        int ars = transposedA ? 1 : lda;
        int aks = transposedA ? lda : 1;
        int ldb = n + 8;
        int ldc = n + 16;
        float[] a = new float[(transposedA ? k : m) * lda];
        float[] b = new float[k * ldb];
        float[] c = new float[m * ldc];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        double[] expected = new double[c.length];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < ldc; j++) {
                double s = c[i * ldc + j];
                if (j < n) {
                    for (int p = 0; p < k; p++) {
                        s += (double) a[i * ars + p * aks] * b[p * ldb + j];
                    }
                }
                expected[i * ldc + j] = s;
            }
        }
        if (wide) {
            BlockGemm.gemm32(a, 0, ars, aks, b, 0, ldb, c, 0, ldc, m, n, k, true);
        } else {
            BlockGemm.gemm16(a, 0, ars, aks, b, 0, ldb, c, 0, ldc, m, n, k, true);
        }
        assertClose("block gemm", expected, Nd4j.createFromArray(c), 1e-5, 1e-5);
    }

    /** Transposed views (Linear's x·Wᵀ, the backward's Aᵀ·g) are packed from their own layout, not copied first. */
    @ParameterizedTest
    @CsvSource({"true,false,1,7,129,9", "false,true,1,7,129,9", "true,true,1,129,7,130", "false,true,1,160,170,161",
            "true,false,1,160,300,61", "true,true,3,9,33,17", "false,true,4,40,128,110",
            // at most four rows (a decoding step): the unpacked small-product path, every layout
            "false,true,1,1,128,384", "true,true,2,3,33,17", "true,false,1,4,9,130", "false,false,3,2,129,7",
            "false,true,2,4,7,1"})
    void transposedOperandsMatchTripleLoop(boolean transposeA, boolean transposeB, int batch, int m, int k, int n) {
        Rng rng = new Rng(m * 13L + k * 5L + n);
        INDArray a = matrices(rng, batch, m, k, transposeA);
        INDArray b = matrices(rng, batch, k, n, transposeB);
        assertTrue(Sgemm.readable(a) && Sgemm.readable(b), "views are read in place");
        INDArray out = Nd4j.create(DataType.FLOAT, batch == 1 ? new long[] {m, n} : new long[] {batch, m, n});
        Kernels.javaMatmul(a, b, out);
        assertClose("sgemm on views", reference(a.dup('c'), b.dup('c')), out, 1e-4, 1e-4);
    }

    /** a·bᵀ with b read in place as its transpose, both layouts of a and b, small and packed paths (the Java sgemm). */
    @ParameterizedTest
    @CsvSource({"false,false,1,128,384", "true,false,3,33,17", "false,true,7,129,9", "true,true,160,170,161",
            "false,false,40,128,110"})
    void transposedBMatchesTripleLoop(boolean transposeA, boolean transposeB, int m, int k, int n) {
        Rng rng = new Rng(m * 17L + k + n);
        INDArray a = matrices(rng, 1, m, k, transposeA);
        INDArray b = matrices(rng, 1, n, k, transposeB);   // (n, k), itself maybe a transposed view
        INDArray out = Nd4j.create(DataType.FLOAT, m, n);
        Sgemm.matmulTransposedB(a, b, out);
        assertClose("sgemm a·bᵀ", reference(a.dup('c'), b.transpose().dup('c')), out, 1e-4, 1e-4);
    }

    /** (batch,) rows × cols, 2-D when batch is 1; transposed: a permuted view of the (cols × rows) matrices. */
    private static INDArray matrices(Rng rng, int batch, int rows, int cols, boolean transposed) {
        if (batch == 1) {
            return transposed ? uniform(rng, DataType.FLOAT, -1, 1, cols, rows).transpose()
                    : uniform(rng, DataType.FLOAT, -1, 1, rows, cols);
        }
        return transposed ? uniform(rng, DataType.FLOAT, -1, 1, batch, cols, rows).permute(0, 2, 1)
                : uniform(rng, DataType.FLOAT, -1, 1, batch, rows, cols);
    }

    @Test
    void emptyInnerDimensionGivesZeros() {
        INDArray out = Nd4j.ones(DataType.FLOAT, 2, 3, 4);
        Kernels.javaMatmul(Nd4j.create(DataType.FLOAT, 2, 3, 0), Nd4j.create(DataType.FLOAT, 2, 0, 4), out);
        assertEquals(0.0, out.sumNumber().doubleValue());
    }

    @Test
    void rank4BatchAndViewsMatchTripleLoop() {
        Rng rng = new Rng(3);
        INDArray a = uniform(rng, DataType.FLOAT, -1, 1, 2, 2, 17, 33);
        INDArray bt = uniform(rng, DataType.FLOAT, -1, 1, 2, 2, 40, 33);
        INDArray b = bt.permute(0, 1, 3, 2); // a view: (2, 2, 33, 40)
        INDArray out = Nd4j.create(DataType.FLOAT, 2, 2, 17, 40);
        Kernels.javaMatmul(a, b, out);
        assertClose("batched sgemm", reference(a, b.dup('c')), out, 1e-4, 1e-4);
    }

    @Test
    void float64GoesThroughNd4j() {
        Rng rng = new Rng(4);
        INDArray a = uniform(rng, DataType.DOUBLE, -1, 1, 3, 5, 7);
        INDArray b = uniform(rng, DataType.DOUBLE, -1, 1, 3, 7, 2);
        INDArray out = Nd4j.create(DataType.DOUBLE, 3, 5, 2);
        Kernels.matmul(a, b, out);
        assertClose("dgemm", reference(a, b), out, 1e-12, 1e-12);
    }

    @Test
    void innerDimensionMismatchIsReported() {
        INDArray a = Nd4j.create(DataType.FLOAT, 2, 3);
        INDArray b = Nd4j.create(DataType.FLOAT, 4, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.javaMatmul(a, b, Nd4j.create(DataType.FLOAT, 2, 5)));
        assertEquals("matmul: (2,3) x (4,5): inner dimensions differ", e.getMessage());
    }
}
