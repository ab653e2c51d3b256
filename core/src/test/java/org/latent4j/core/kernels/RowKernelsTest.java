package org.latent4j.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.latent4j.core.kernels.KernelTesting.assertClose;
import static org.latent4j.core.kernels.KernelTesting.uniform;
import static org.latent4j.core.kernels.KernelTesting.values;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.latent4j.core.tensor.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Softmax and layer norm over the last axis: the Java kernels, ND4J's, and a double-precision loop agree. */
class RowKernelsTest {
    private static double[] softmaxReference(double[] x, int n) {
        double[] y = new double[x.length];
        for (int r = 0; r < x.length / n; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                max = Math.max(max, x[r * n + i]);
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += Math.exp(x[r * n + i] - max);
            }
            for (int i = 0; i < n; i++) {
                y[r * n + i] = Math.exp(x[r * n + i] - max) / sum;
            }
        }
        return y;
    }

    private static double[] softmaxBackwardReference(double[] y, double[] g, int n) {
        double[] d = new double[y.length];
        for (int r = 0; r < y.length / n; r++) {
            double dot = 0;
            for (int i = 0; i < n; i++) {
                dot += g[r * n + i] * y[r * n + i];
            }
            for (int i = 0; i < n; i++) {
                d[r * n + i] = y[r * n + i] * (g[r * n + i] - dot);
            }
        }
        return d;
    }

    @ParameterizedTest
    @CsvSource({"1,1", "2,1", "1,7", "4,7", "3,129", "5,16", "64,128", "67,128", "1000,9", "33,1024", "1,2048"})
    void softmaxForwardAndBackwardMatchReference(int rows, int n) {
        Rng rng = new Rng(rows * 1000L + n);
        INDArray x = uniform(rng, DataType.FLOAT, -8, 8, rows, n);
        INDArray g = uniform(rng, DataType.FLOAT, -1, 1, rows, n);
        INDArray y = Nd4j.create(DataType.FLOAT, rows, n);
        VectorSoftmax.forward(x, y);
        double[] expected = softmaxReference(values(x), n);
        assertClose("softmax", expected, y, 1e-5, 1e-7);
        INDArray yNd4j = Nd4j.create(DataType.FLOAT, rows, n);
        Nd4jKernels.softmax(x, yNd4j);
        assertClose("softmax nd4j", expected, yNd4j, 1e-5, 1e-7);

        INDArray dx = Nd4j.create(DataType.FLOAT, rows, n);
        VectorSoftmax.backward(y, g, dx);
        double[] expectedDx = softmaxBackwardReference(values(y), values(g), n);
        assertClose("softmax backward", expectedDx, dx, 1e-4, 1e-6);
        INDArray dxNd4j = Nd4j.create(DataType.FLOAT, rows, n);
        Nd4jKernels.softmaxBackward(y, g, dxNd4j);
        assertClose("softmax backward nd4j", expectedDx, dxNd4j, 1e-4, 1e-6);
    }

    @Test
    void fullyMaskedRowsGiveZerosWhereverTheyFallInARowPair() {
        // rows go through the kernel two at a time: put -inf rows first, second and last of a pair, and alone
        int rows = 7;
        int n = 13;
        Rng rng = new Rng(17);
        INDArray x = uniform(rng, DataType.FLOAT, -4, 4, rows, n);
        for (int r : new int[] {0, 3, 6}) {
            x.getRow(r).assign(Float.NEGATIVE_INFINITY);
        }
        x.putScalar(4, 2, Float.NEGATIVE_INFINITY); // one masked entry in an otherwise live row
        x.putScalar(5, 0, -200f); // far below the others: e^(x - max) underflows to exactly 0
        INDArray y = Nd4j.create(DataType.FLOAT, rows, n);
        VectorSoftmax.forward(x, y);
        double[] expected = softmaxReference(values(x), n);
        for (int r : new int[] {0, 3, 6}) {
            for (int i = 0; i < n; i++) {
                expected[r * n + i] = 0;
                assertEquals(0f, y.getFloat(r, i), "row " + r);
            }
        }
        assertEquals(0f, y.getFloat(4, 2));
        assertEquals(0f, y.getFloat(5, 0));
        assertClose("softmax masked", expected, y, 1e-5, 1e-7);
    }

    @Test
    void softmaxOnRank4ViewThroughFacade() {
        Rng rng = new Rng(9);
        INDArray base = uniform(rng, DataType.FLOAT, -3, 3, 2, 3, 7, 5);
        INDArray x = base.permute(0, 1, 3, 2); // (2, 3, 5, 7), not c-contiguous
        INDArray y = Nd4j.create(DataType.FLOAT, 2, 3, 5, 7);
        Kernels.softmaxLastAxis(x, y);
        assertClose("softmax view", softmaxReference(values(x), 7), y, 1e-5, 1e-7);
        INDArray y64 = Nd4j.create(DataType.DOUBLE, 2, 3, 5, 7);
        Kernels.softmaxLastAxis(x.castTo(DataType.DOUBLE), y64);
        assertClose("softmax float64", softmaxReference(values(x), 7), y64, 1e-12, 1e-14);
    }

    private static double[][] layerNormReference(double[] x, double[] w, double[] b, double eps, int n) {
        int rows = x.length / n;
        double[] y = new double[x.length];
        double[] mean = new double[rows];
        double[] rstd = new double[rows];
        for (int r = 0; r < rows; r++) {
            double mu = 0;
            for (int i = 0; i < n; i++) {
                mu += x[r * n + i];
            }
            mu /= n;
            double var = 0;
            for (int i = 0; i < n; i++) {
                var += (x[r * n + i] - mu) * (x[r * n + i] - mu);
            }
            double rs = 1 / Math.sqrt(var / n + eps);
            mean[r] = mu;
            rstd[r] = rs;
            for (int i = 0; i < n; i++) {
                y[r * n + i] = (x[r * n + i] - mu) * rs * (w == null ? 1 : w[i]) + (b == null ? 0 : b[i]);
            }
        }
        return new double[][] {y, mean, rstd};
    }

    /** dx, dw, db of L = Σ g ∘ y in double. */
    private static double[][] layerNormBackwardReference(double[] x, double[] g, double[] w, double eps, int n) {
        int rows = x.length / n;
        double[][] f = layerNormReference(x, null, null, eps, n);
        double[] dx = new double[x.length];
        double[] dw = new double[n];
        double[] db = new double[n];
        for (int r = 0; r < rows; r++) {
            double sg = 0, sgx = 0;
            for (int i = 0; i < n; i++) {
                double xh = f[0][r * n + i];
                double gi = g[r * n + i] * (w == null ? 1 : w[i]);
                sg += gi;
                sgx += gi * xh;
                dw[i] += g[r * n + i] * xh;
                db[i] += g[r * n + i];
            }
            for (int i = 0; i < n; i++) {
                double xh = f[0][r * n + i];
                double gi = g[r * n + i] * (w == null ? 1 : w[i]);
                dx[r * n + i] = f[2][r] * (gi - sg / n - xh * sgx / n);
            }
        }
        return new double[][] {dx, dw, db};
    }

    @ParameterizedTest
    @CsvSource({"1,1,true", "1,7,false", "3,129,true", "17,16,true", "64,512,true", "9,129,false"})
    void layerNormForwardAndBackwardMatchReference(int rows, int n, boolean affine) {
        Rng rng = new Rng(rows * 7L + n);
        double eps = 1e-5;
        INDArray x = uniform(rng, DataType.FLOAT, -2, 3, rows, n);
        INDArray g = uniform(rng, DataType.FLOAT, -1, 1, rows, n);
        INDArray w = affine ? uniform(rng, DataType.FLOAT, 0.5, 1.5, n) : null;
        INDArray b = affine ? uniform(rng, DataType.FLOAT, -1, 1, n) : null;
        double[][] ref = layerNormReference(values(x), w == null ? null : values(w), b == null ? null : values(b), eps, n);
        double[][] bref = layerNormBackwardReference(values(x), values(g), w == null ? null : values(w), eps, n);
        for (boolean java : new boolean[] {true, false}) {
            String who = java ? "java " : "nd4j ";
            INDArray y = Nd4j.create(DataType.FLOAT, rows, n);
            INDArray mean = Nd4j.create(DataType.FLOAT, rows);
            INDArray rstd = Nd4j.create(DataType.FLOAT, rows);
            INDArray dx = Nd4j.create(DataType.FLOAT, rows, n);
            INDArray dw = Nd4j.create(DataType.FLOAT, n);
            INDArray db = Nd4j.create(DataType.FLOAT, n);
            if (java) {
                VectorLayerNorm.forward(x, w, b, eps, y, mean, rstd);
                VectorLayerNorm.backward(x, g, w, mean, rstd, dx, dw, db);
            } else {
                Nd4jKernels.layerNorm(x, w, b, eps, y, mean, rstd);
                Nd4jKernels.layerNormBackward(x, g, w, mean, rstd, dx, dw, db);
            }
            assertClose(who + "layerNorm", ref[0], y, 1e-4, 1e-5);
            assertClose(who + "layerNorm mean", ref[1], mean, 1e-5, 1e-6);
            assertClose(who + "layerNorm rstd", ref[2], rstd, 1e-4, 1e-5);
            assertClose(who + "layerNorm dx", bref[0], dx, 1e-3, 1e-4);
            assertClose(who + "layerNorm dw", bref[1], dw, 1e-4, 1e-4);
            assertClose(who + "layerNorm db", bref[2], db, 1e-4, 1e-4);
        }
    }

    @Test
    void layerNormFacadeChecksWeightLength() {
        INDArray x = Nd4j.create(DataType.FLOAT, 2, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kernels.layerNormLastAxis(x,
                Nd4j.create(DataType.FLOAT, 3), null, 1e-5, Nd4j.create(DataType.FLOAT, 2, 4), null, null));
        assertEquals("layerNorm: weight/bias (3,) must match the last axis 4 of (2,4)", e.getMessage());
    }
}
