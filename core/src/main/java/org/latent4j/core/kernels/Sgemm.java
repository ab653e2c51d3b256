package org.latent4j.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Single-precision matrix product {@code C = A·B} in Java with the Vector API, GotoBLAS-style: B is packed
 * into column panels NR = 2 vectors wide, A into MR-row slivers KC deep, and an MR×NR register block (8×2 vectors
 * on AVX-512, 6×2 on AVX2, {@code fma}) walks the panels of a KC×NC block of B held in L2. Rows of C are split over
 * the kernel threads; a batch of products is split by item instead. On the 2-core AVX-512 machine the same
 * scheme (8×32 block) measured 411–441 GFLOPS, against a 534–567 GFLOPS two-thread FMA ceiling.
 */
final class Sgemm {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /**
     * Rows of the register block: 8×2 vectors (16 accumulators) where there are 32 vector registers
     * (AVX-512), 6×2 (12) where there are 16 (AVX2), so nothing spills.
     */
    static final int MR = L >= 16 ? 8 : 6;
    static final int NR = 2 * L;
    private static final int KC = 256;
    private static final int NC = 16 * NR;
    /** Below this many multiply-adds a second thread costs more than it saves (hand-off ~10–50 µs). */
    static final long PARALLEL_WORK = 1L << 22;

    private static final int SLOT_B = 0;
    private static final int SLOT_A = 1;
    private static final int SLOT_C = 2;
    private static final int SLOT_ROW = 3;
    private static final int SLOT_TMP = 4;

    private Sgemm() {
    }

    /**
     * {@code out = a @ b} for c-ordered float32 arrays of shape (..., m, k), (..., k, n), (..., m, n) with
     * equal leading axes.
     */
    static void matmul(INDArray a, INDArray b, INDArray out) {
        matmul(a, b, out, MR);
    }

    /** {@link #matmul} with the register block's row count given (8 or 6), so tests can run both blocks. */
    static void matmul(INDArray a, INDArray b, INDArray out, int mr) {
        if (mr != 8 && mr != 6) {
            throw new IllegalArgumentException("sgemm: register block rows must be 8 or 6, not " + mr);
        }
        int r = a.rank();
        int m = (int) a.size(r - 2);
        int k = (int) a.size(r - 1);
        int n = (int) b.size(r - 1);
        int batch = (int) (a.length() / ((long) m * k));
        HostFloats ha = HostFloats.of(a);
        HostFloats hb = HostFloats.of(b);
        HostFloats hc = HostFloats.of(out);
        long work = (long) m * n * k;
        if (batch == 1) {
            int panels = (n + NR - 1) / NR;
            float[] bp = Scratch.floats(SLOT_B, panels * k * NR);
            if (work < PARALLEL_WORK) {
                packB(hb, 0, k, n, 0, k, bp);
                rows(ha, 0, bp, hc, 0, m, k, n, 0, m, mr);
            } else {
                Parallel.forShares(k, 1, (lo, hi) -> packB(hb, 0, k, n, lo, hi, bp));
                Parallel.forShares(m, mr, (lo, hi) -> rows(ha, 0, bp, hc, 0, m, k, n, lo, hi, mr));
            }
            return;
        }
        if (work * batch < PARALLEL_WORK) {
            for (int i = 0; i < batch; i++) {
                item(ha, hb, hc, i, m, k, n, mr);
            }
        } else {
            Parallel.forEach(batch, i -> item(ha, hb, hc, i, m, k, n, mr));
        }
    }

    private static void item(HostFloats ha, HostFloats hb, HostFloats hc, int i, int m, int k, int n, int mr) {
        int panels = (n + NR - 1) / NR;
        float[] bp = Scratch.floats(SLOT_B, panels * k * NR);
        packB(hb, (long) i * k * n, k, n, 0, k, bp);
        rows(ha, (long) i * m * k, bp, hc, (long) i * m * n, m, k, n, 0, m, mr);
    }

    /** Packs rows [k0, k1) of B (k×n at {@code bBase}) into NR-wide panels: panel p holds [kk][NR], zero padded. */
    static void packB(HostFloats hb, long bBase, int k, int n, int k0, int k1, float[] bp) {
        float[] row = Scratch.floats(SLOT_ROW, n);
        int panels = (n + NR - 1) / NR;
        for (int kk = k0; kk < k1; kk++) {
            hb.get(bBase + (long) kk * n, row, 0, n);
            for (int p = 0; p < panels; p++) {
                int j = p * NR;
                int w = Math.min(NR, n - j);
                int dst = p * k * NR + kk * NR;
                System.arraycopy(row, 0 + j, bp, dst, w);
                for (int t = w; t < NR; t++) {
                    bp[dst + t] = 0f;
                }
            }
        }
    }

    /** Computes rows [r0, r1) of C = A·B with B packed, writing them to {@code hc}. */
    static void rows(HostFloats ha, long aBase, float[] bp, HostFloats hc, long cBase, int m, int k, int n, int r0, int r1,
                     int mr) {
        int h = r1 - r0;
        if (h <= 0) {
            return;
        }
        float[] c = Scratch.floats(SLOT_C, h * n);
        if (k == 0) {
            java.util.Arrays.fill(c, 0, h * n, 0f);
        }
        float[] ap = Scratch.floats(SLOT_A, KC * mr);
        float[] arow = Scratch.floats(SLOT_ROW, Math.max(KC, n));
        float[] tmp = Scratch.floats(SLOT_TMP, 8 * NR);
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                for (int ir = r0; ir < r1; ir += mr) {
                    int rs = Math.min(mr, r1 - ir);
                    for (int rr = 0; rr < mr; rr++) {
                        if (rr < rs) {
                            ha.get(aBase + (long) (ir + rr) * k + pc, arow, 0, kc);
                            for (int kk = 0; kk < kc; kk++) {
                                ap[kk * mr + rr] = arow[kk];
                            }
                        } else {
                            for (int kk = 0; kk < kc; kk++) {
                                ap[kk * mr + rr] = 0f;
                            }
                        }
                    }
                    for (int jr = jc; jr < jc + nc; jr += NR) {
                        int cols = Math.min(NR, n - jr);
                        int bOff = (jr / NR) * k * NR + pc * NR;
                        if (mr == 8) {
                            micro8(ap, bp, bOff, kc, c, (ir - r0) * n + jr, n, pc > 0, rs, cols, tmp);
                        } else {
                            micro6(ap, bp, bOff, kc, c, (ir - r0) * n + jr, n, pc > 0, rs, cols, tmp);
                        }
                    }
                }
            }
        }
        hc.put(cBase + (long) r0 * n, c, 0, h * n);
    }

    /** The 8×NR register block: C[0..rows, 0..cols] (+)= ap (kc×8) · bp (kc×NR). */
    private static void micro8(float[] ap, float[] bp, int bOff, int kc, float[] c, int cOff, int ldc, boolean add,
                               int rows, int cols, float[] tmp) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        int a = 0;
        int b = bOff;
        for (int kk = 0; kk < kc; kk++, a += 8, b += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, b);
            FloatVector b1 = FloatVector.fromArray(S, bp, b + L);
            FloatVector a0 = FloatVector.broadcast(S, ap[a + 0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, ap[a + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, ap[a + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, ap[a + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, ap[a + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, ap[a + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(S, ap[a + 6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(S, ap[a + 7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
        }
        if (rows == 8 && cols == NR) {
            if (add) {
                c00.add(FloatVector.fromArray(S, c, cOff + 0 * ldc)).intoArray(c, cOff + 0 * ldc);
                c01.add(FloatVector.fromArray(S, c, cOff + 0 * ldc + L)).intoArray(c, cOff + 0 * ldc + L);
                c10.add(FloatVector.fromArray(S, c, cOff + 1 * ldc)).intoArray(c, cOff + 1 * ldc);
                c11.add(FloatVector.fromArray(S, c, cOff + 1 * ldc + L)).intoArray(c, cOff + 1 * ldc + L);
                c20.add(FloatVector.fromArray(S, c, cOff + 2 * ldc)).intoArray(c, cOff + 2 * ldc);
                c21.add(FloatVector.fromArray(S, c, cOff + 2 * ldc + L)).intoArray(c, cOff + 2 * ldc + L);
                c30.add(FloatVector.fromArray(S, c, cOff + 3 * ldc)).intoArray(c, cOff + 3 * ldc);
                c31.add(FloatVector.fromArray(S, c, cOff + 3 * ldc + L)).intoArray(c, cOff + 3 * ldc + L);
                c40.add(FloatVector.fromArray(S, c, cOff + 4 * ldc)).intoArray(c, cOff + 4 * ldc);
                c41.add(FloatVector.fromArray(S, c, cOff + 4 * ldc + L)).intoArray(c, cOff + 4 * ldc + L);
                c50.add(FloatVector.fromArray(S, c, cOff + 5 * ldc)).intoArray(c, cOff + 5 * ldc);
                c51.add(FloatVector.fromArray(S, c, cOff + 5 * ldc + L)).intoArray(c, cOff + 5 * ldc + L);
                c60.add(FloatVector.fromArray(S, c, cOff + 6 * ldc)).intoArray(c, cOff + 6 * ldc);
                c61.add(FloatVector.fromArray(S, c, cOff + 6 * ldc + L)).intoArray(c, cOff + 6 * ldc + L);
                c70.add(FloatVector.fromArray(S, c, cOff + 7 * ldc)).intoArray(c, cOff + 7 * ldc);
                c71.add(FloatVector.fromArray(S, c, cOff + 7 * ldc + L)).intoArray(c, cOff + 7 * ldc + L);
            } else {
                c00.intoArray(c, cOff + 0 * ldc);
                c01.intoArray(c, cOff + 0 * ldc + L);
                c10.intoArray(c, cOff + 1 * ldc);
                c11.intoArray(c, cOff + 1 * ldc + L);
                c20.intoArray(c, cOff + 2 * ldc);
                c21.intoArray(c, cOff + 2 * ldc + L);
                c30.intoArray(c, cOff + 3 * ldc);
                c31.intoArray(c, cOff + 3 * ldc + L);
                c40.intoArray(c, cOff + 4 * ldc);
                c41.intoArray(c, cOff + 4 * ldc + L);
                c50.intoArray(c, cOff + 5 * ldc);
                c51.intoArray(c, cOff + 5 * ldc + L);
                c60.intoArray(c, cOff + 6 * ldc);
                c61.intoArray(c, cOff + 6 * ldc + L);
                c70.intoArray(c, cOff + 7 * ldc);
                c71.intoArray(c, cOff + 7 * ldc + L);
            }
            return;
        }
        c00.intoArray(tmp, 0 * NR);
        c01.intoArray(tmp, 0 * NR + L);
        c10.intoArray(tmp, 1 * NR);
        c11.intoArray(tmp, 1 * NR + L);
        c20.intoArray(tmp, 2 * NR);
        c21.intoArray(tmp, 2 * NR + L);
        c30.intoArray(tmp, 3 * NR);
        c31.intoArray(tmp, 3 * NR + L);
        c40.intoArray(tmp, 4 * NR);
        c41.intoArray(tmp, 4 * NR + L);
        c50.intoArray(tmp, 5 * NR);
        c51.intoArray(tmp, 5 * NR + L);
        c60.intoArray(tmp, 6 * NR);
        c61.intoArray(tmp, 6 * NR + L);
        c70.intoArray(tmp, 7 * NR);
        c71.intoArray(tmp, 7 * NR + L);
        edge(tmp, c, cOff, ldc, add, rows, cols);
    }

    /** The 6×NR register block: C[0..rows, 0..cols] (+)= ap (kc×6) · bp (kc×NR). */
    private static void micro6(float[] ap, float[] bp, int bOff, int kc, float[] c, int cOff, int ldc, boolean add,
                               int rows, int cols, float[] tmp) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        int a = 0;
        int b = bOff;
        for (int kk = 0; kk < kc; kk++, a += 6, b += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, b);
            FloatVector b1 = FloatVector.fromArray(S, bp, b + L);
            FloatVector a0 = FloatVector.broadcast(S, ap[a + 0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, ap[a + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, ap[a + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, ap[a + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, ap[a + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, ap[a + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }
        if (rows == 6 && cols == NR) {
            if (add) {
                c00.add(FloatVector.fromArray(S, c, cOff + 0 * ldc)).intoArray(c, cOff + 0 * ldc);
                c01.add(FloatVector.fromArray(S, c, cOff + 0 * ldc + L)).intoArray(c, cOff + 0 * ldc + L);
                c10.add(FloatVector.fromArray(S, c, cOff + 1 * ldc)).intoArray(c, cOff + 1 * ldc);
                c11.add(FloatVector.fromArray(S, c, cOff + 1 * ldc + L)).intoArray(c, cOff + 1 * ldc + L);
                c20.add(FloatVector.fromArray(S, c, cOff + 2 * ldc)).intoArray(c, cOff + 2 * ldc);
                c21.add(FloatVector.fromArray(S, c, cOff + 2 * ldc + L)).intoArray(c, cOff + 2 * ldc + L);
                c30.add(FloatVector.fromArray(S, c, cOff + 3 * ldc)).intoArray(c, cOff + 3 * ldc);
                c31.add(FloatVector.fromArray(S, c, cOff + 3 * ldc + L)).intoArray(c, cOff + 3 * ldc + L);
                c40.add(FloatVector.fromArray(S, c, cOff + 4 * ldc)).intoArray(c, cOff + 4 * ldc);
                c41.add(FloatVector.fromArray(S, c, cOff + 4 * ldc + L)).intoArray(c, cOff + 4 * ldc + L);
                c50.add(FloatVector.fromArray(S, c, cOff + 5 * ldc)).intoArray(c, cOff + 5 * ldc);
                c51.add(FloatVector.fromArray(S, c, cOff + 5 * ldc + L)).intoArray(c, cOff + 5 * ldc + L);
            } else {
                c00.intoArray(c, cOff + 0 * ldc);
                c01.intoArray(c, cOff + 0 * ldc + L);
                c10.intoArray(c, cOff + 1 * ldc);
                c11.intoArray(c, cOff + 1 * ldc + L);
                c20.intoArray(c, cOff + 2 * ldc);
                c21.intoArray(c, cOff + 2 * ldc + L);
                c30.intoArray(c, cOff + 3 * ldc);
                c31.intoArray(c, cOff + 3 * ldc + L);
                c40.intoArray(c, cOff + 4 * ldc);
                c41.intoArray(c, cOff + 4 * ldc + L);
                c50.intoArray(c, cOff + 5 * ldc);
                c51.intoArray(c, cOff + 5 * ldc + L);
            }
            return;
        }
        c00.intoArray(tmp, 0 * NR);
        c01.intoArray(tmp, 0 * NR + L);
        c10.intoArray(tmp, 1 * NR);
        c11.intoArray(tmp, 1 * NR + L);
        c20.intoArray(tmp, 2 * NR);
        c21.intoArray(tmp, 2 * NR + L);
        c30.intoArray(tmp, 3 * NR);
        c31.intoArray(tmp, 3 * NR + L);
        c40.intoArray(tmp, 4 * NR);
        c41.intoArray(tmp, 4 * NR + L);
        c50.intoArray(tmp, 5 * NR);
        c51.intoArray(tmp, 5 * NR + L);
        edge(tmp, c, cOff, ldc, add, rows, cols);
    }

    private static void edge(float[] tmp, float[] c, int cOff, int ldc, boolean add, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                float v = tmp[r * NR + j];
                c[cOff + r * ldc + j] = add ? c[cOff + r * ldc + j] + v : v;
            }
        }
    }
}
