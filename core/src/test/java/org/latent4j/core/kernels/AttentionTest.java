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

/** The fused attention kernel (and ND4J's composition) against the composed math in double precision. */
class AttentionTest {
    /** out, lse, dq, dk, dv of softmax(q·kᵀ/√D + mask)·v with upstream gradient g, in double. */
    static double[][] reference(INDArray qa, INDArray ka, INDArray va, INDArray ga, boolean causal, boolean[][] keep) {
        int b = (int) qa.size(0), h = (int) qa.size(1), tq = (int) qa.size(2), d = (int) qa.size(3);
        int tk = (int) ka.size(2), dv = (int) va.size(3);
        double[] q = values(qa), k = values(ka), v = values(va), g = values(ga);
        double[] out = new double[b * h * tq * dv], lse = new double[b * h * tq];
        double[] dq = new double[q.length], dk = new double[k.length], dvv = new double[v.length];
        double scale = 1 / Math.sqrt(d);
        for (int bh = 0; bh < b * h; bh++) {
            int bi = bh / h;
            int qo = bh * tq * d, ko = bh * tk * d, vo = bh * tk * dv, oo = bh * tq * dv;
            for (int i = 0; i < tq; i++) {
                double[] s = new double[tk];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < tk; j++) {
                    boolean allowed = (!causal || j <= i) && (keep == null || keep[bi][j]);
                    double acc = 0;
                    for (int c = 0; c < d; c++) {
                        acc += q[qo + i * d + c] * k[ko + j * d + c];
                    }
                    s[j] = allowed ? acc * scale : Double.NEGATIVE_INFINITY;
                    max = Math.max(max, s[j]);
                }
                if (max == Double.NEGATIVE_INFINITY) {
                    lse[bh * tq + i] = Double.NEGATIVE_INFINITY;
                    continue;
                }
                double sum = 0;
                for (int j = 0; j < tk; j++) {
                    sum += Math.exp(s[j] - max);
                }
                lse[bh * tq + i] = max + Math.log(sum);
                double[] p = new double[tk];
                for (int j = 0; j < tk; j++) {
                    p[j] = Math.exp(s[j] - max) / sum;
                    for (int c = 0; c < dv; c++) {
                        out[oo + i * dv + c] += p[j] * v[vo + j * dv + c];
                    }
                }
                double[] dp = new double[tk];
                double delta = 0;
                for (int j = 0; j < tk; j++) {
                    for (int c = 0; c < dv; c++) {
                        dp[j] += g[oo + i * dv + c] * v[vo + j * dv + c];
                        dvv[vo + j * dv + c] += p[j] * g[oo + i * dv + c];
                    }
                    delta += p[j] * dp[j];
                }
                for (int j = 0; j < tk; j++) {
                    double ds = p[j] * (dp[j] - delta) * scale;
                    for (int c = 0; c < d; c++) {
                        dq[qo + i * d + c] += ds * k[ko + j * d + c];
                        dk[ko + j * d + c] += ds * q[qo + i * d + c];
                    }
                }
            }
        }
        return new double[][] {out, lse, dq, dk, dvv};
    }

    private static void check(int b, int h, int tq, int tk, int d, int dv, boolean causal, boolean masked, boolean java) {
        if (java) {
            check(b, h, tq, tk, d, dv, causal, masked, java, false);
            check(b, h, tq, tk, d, dv, causal, masked, java, true);
        } else {
            check(b, h, tq, tk, d, dv, causal, masked, java, false);
        }
    }

    /** With java, {@code dense} picks {@link DenseAttention} over the tiled path. */
    private static void check(int b, int h, int tq, int tk, int d, int dv, boolean causal, boolean masked, boolean java,
                              boolean dense) {
        Rng rng = new Rng(b * 1000003L + h * 10007L + tq * 101L + tk * 13L + d * 3L + dv);
        INDArray q = uniform(rng, DataType.FLOAT, -2, 2, b, h, tq, d);
        INDArray k = uniform(rng, DataType.FLOAT, -2, 2, b, h, tk, d);
        INDArray v = uniform(rng, DataType.FLOAT, -1, 1, b, h, tk, dv);
        INDArray g = uniform(rng, DataType.FLOAT, -1, 1, b, h, tq, dv);
        boolean[][] keep = null;
        INDArray mask = null;
        if (masked) {
            keep = new boolean[b][tk];
            float[] m = new float[b * tk];
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < tk; j++) {
                    keep[i][j] = j == 0 || rng.nextDouble() < 0.7;
                    m[i * tk + j] = keep[i][j] ? 1 : 0;
                }
            }
            mask = Nd4j.createFromArray(m).reshape(b, tk);
        }
        double[][] ref = reference(q, k, v, g, causal, keep);
        INDArray out = Nd4j.create(DataType.FLOAT, b, h, tq, dv);
        INDArray lse = Nd4j.create(DataType.FLOAT, b, h, tq);
        INDArray dq = Nd4j.create(DataType.FLOAT, b, h, tq, d);
        INDArray dk = Nd4j.create(DataType.FLOAT, b, h, tk, d);
        INDArray dvOut = Nd4j.create(DataType.FLOAT, b, h, tk, dv);
        if (java) {
            VectorAttention.forward(q, k, v, causal, mask, out, lse, dense);
            VectorAttention.backward(q, k, v, out, g, lse, causal, mask, dq, dk, dvOut, dense);
        } else {
            Nd4jKernels.attentionForward(q, k, v, causal, mask, out, lse);
            Nd4jKernels.attentionBackward(q, k, v, out, g, causal, mask, dq, dk, dvOut);
        }
        String who = java ? (dense ? "java dense " : "java tiled ") : "nd4j ";
        assertClose(who + "out", ref[0], out, 1e-4, 2e-5);
        assertClose(who + "lse", ref[1], lse, 1e-5, 1e-5);
        assertClose(who + "dq", ref[2], dq, 1e-3, 1e-4);
        assertClose(who + "dk", ref[3], dk, 1e-3, 1e-4);
        assertClose(who + "dv", ref[4], dvOut, 1e-3, 1e-4);
    }

    @ParameterizedTest
    @CsvSource({
        "1,1,1,1,1,1,true,false", "1,1,7,7,7,7,true,false", "2,2,7,7,8,8,false,true",
        "1,1,129,129,16,7,true,false", "1,2,65,65,16,7,false,false", "1,1,5,9,7,3,false,true",
        "1,1,9,5,7,3,true,false", "2,1,70,70,16,16,true,true", "1,1,40,40,64,64,true,true"})
    void javaKernelMatchesComposedMath(int b, int h, int tq, int tk, int d, int dv, boolean causal, boolean masked) {
        check(b, h, tq, tk, d, dv, causal, masked, true);
    }

    @ParameterizedTest
    @CsvSource({"1,1,7,7,7,7,true,false", "2,2,7,9,8,5,false,true"})
    void nd4jCompositionMatchesComposedMath(int b, int h, int tq, int tk, int d, int dv, boolean causal, boolean masked) {
        check(b, h, tq, tk, d, dv, causal, masked, false);
    }

    /** A (B,H,T,C) view of a fresh (B,T,H,C) array, as heads split by a permute are: rows contiguous, not dense. */
    private static INDArray headView(INDArray dense) {
        INDArray base = Nd4j.create(DataType.FLOAT, dense.size(0), dense.size(2), dense.size(1), dense.size(3));
        INDArray view = base.permute(0, 2, 1, 3);
        view.assign(dense);
        return view;
    }

    @ParameterizedTest
    @CsvSource({"2,3,7,5,true,true", "2,3,7,5,false,false", "1,2,129,16,true,true", "1,2,129,16,true,false",
        "2,2,64,32,false,true", "1,1,1,1,true,true"})
    void permutedHeadViewsAreReadAndWrittenInPlace(int b, int h, int t, int d, boolean causal, boolean dense) {
        Rng rng = new Rng(b * 7919L + h * 31L + t * 7L + d);
        INDArray q = uniform(rng, DataType.FLOAT, -2, 2, b, h, t, d);
        INDArray k = uniform(rng, DataType.FLOAT, -2, 2, b, h, t, d);
        INDArray v = uniform(rng, DataType.FLOAT, -1, 1, b, h, t, d);
        INDArray g = uniform(rng, DataType.FLOAT, -1, 1, b, h, t, d);
        double[][] ref = reference(q, k, v, g, causal, null);
        INDArray out = headView(Nd4j.zeros(DataType.FLOAT, b, h, t, d));
        INDArray lse = Nd4j.create(DataType.FLOAT, b, h, t);
        INDArray dq = headView(Nd4j.zeros(DataType.FLOAT, b, h, t, d));
        INDArray dk = headView(Nd4j.zeros(DataType.FLOAT, b, h, t, d));
        INDArray dv = headView(Nd4j.zeros(DataType.FLOAT, b, h, t, d));
        INDArray qv = headView(q), kv = headView(k), vv = headView(v), gv = headView(g);
        VectorAttention.forward(qv, kv, vv, causal, null, out, lse, dense);
        VectorAttention.backward(qv, kv, vv, out, gv, lse, causal, null, dq, dk, dv, dense);
        String who = dense ? "dense path, views " : "tiled path, views ";
        assertClose(who + "out", ref[0], out, 1e-4, 2e-5);
        assertClose(who + "lse", ref[1], lse, 1e-5, 1e-5);
        assertClose(who + "dq", ref[2], dq, 1e-3, 1e-4);
        assertClose(who + "dk", ref[3], dk, 1e-3, 1e-4);
        assertClose(who + "dv", ref[4], dv, 1e-3, 1e-4);
    }

    @Test
    void kernelsTakePermutedHeadViewsWithoutCopies() {
        Rng rng = new Rng(11);
        INDArray q = headView(uniform(rng, DataType.FLOAT, -2, 2, 2, 2, 9, 8));
        INDArray g = headView(uniform(rng, DataType.FLOAT, -1, 1, 2, 2, 9, 8));
        double[][] ref = reference(q, q, q, g, true, null);
        INDArray out = headView(Nd4j.zeros(DataType.FLOAT, 2, 2, 9, 8));
        INDArray lse = Nd4j.create(DataType.FLOAT, 2, 2, 9);
        INDArray dq = headView(Nd4j.zeros(DataType.FLOAT, 2, 2, 9, 8));
        Kernels.attentionForward(q, q, q, AttentionCausality.CAUSAL, null, out, lse);
        Kernels.attentionBackward(q, q, q, out, g, lse, AttentionCausality.CAUSAL, null, dq,
                Nd4j.create(DataType.FLOAT, 2, 2, 9, 8), Nd4j.create(DataType.FLOAT, 2, 2, 9, 8));
        assertClose("out", ref[0], out, 1e-4, 2e-5);
        assertClose("dq", ref[2], dq, 1e-3, 1e-4);
    }

    @Test
    void fullyMaskedRowGivesZerosAndMinusInfinity() {
        INDArray q = Nd4j.ones(DataType.FLOAT, 1, 1, 2, 4);
        INDArray k = Nd4j.ones(DataType.FLOAT, 1, 1, 3, 4);
        INDArray v = Nd4j.ones(DataType.FLOAT, 1, 1, 3, 2);
        INDArray mask = Nd4j.zeros(DataType.FLOAT, 1, 3);
        INDArray out = Nd4j.create(DataType.FLOAT, 1, 1, 2, 2);
        INDArray lse = Nd4j.create(DataType.FLOAT, 1, 1, 2);
        Kernels.attentionForward(q, k, v, AttentionCausality.NON_CAUSAL, mask, out, lse);
        assertEquals(0.0, out.sumNumber().doubleValue());
        assertEquals(Float.NEGATIVE_INFINITY, lse.getFloat(0, 0, 1));
    }

    @Test
    void mismatchedHeadSizeIsReported() {
        INDArray q = Nd4j.create(DataType.FLOAT, 1, 2, 3, 4);
        INDArray k = Nd4j.create(DataType.FLOAT, 1, 2, 3, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kernels.attentionForward(
                q, k, k, AttentionCausality.CAUSAL, null, Nd4j.create(DataType.FLOAT, 1, 2, 3, 5),
                Nd4j.create(DataType.FLOAT, 1, 2, 3)));
        assertEquals("attention: q (1,2,3,4) and k (1,2,3,5) differ in batch, heads or head size", e.getMessage());
    }
}
