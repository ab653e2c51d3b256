package org.latent4j.core.kernels;

import static org.latent4j.core.kernels.VectorMath.L;
import static org.latent4j.core.kernels.VectorMath.S;

import jdk.incubator.vector.FloatVector;

/**
 * Small dense products on {@code float[]} blocks for the fused attention kernel: {@code C (=|+=) A·B} or
 * {@code Aᵀ·B} with row-major strides (A read through a row and a column stride), the column count a multiple of the vector length (callers pad), register blocks of
 * 4 rows × 4 vectors (AVX-512) or 6 rows × 2 vectors (AVX2) with 1-row and 1-vector edges.
 */
final class BlockGemm {
    /** 32 vector registers (AVX-512): 4×4-vector blocks; otherwise (16 registers, AVX2) 6×2, so nothing spills. */
    private static final boolean WIDE = L >= 16;

    private BlockGemm() {
    }

    /** {@link #gemm} with 6-row × 2-vector blocks (12 accumulators) for 16-register machines. */
    static void gemm16(float[] a, int aOff, int ars, int aks, float[] b, int bOff, int ldb, float[] c, int cOff,
                               int ldc, int m, int n, int k, boolean add) {
        int i = 0;
        for (; i + 6 <= m; i += 6) {
            int ao = aOff + i * ars;
            int co = cOff + i * ldc;
            int j = 0;
            for (; j + 2 * L <= n; j += 2 * L) {
                k6x2(a, ao, ars, aks, b, bOff + j, ldb, c, co + j, ldc, k, add);
            }
            for (; j < n; j += L) {
                k6x1(a, ao, ars, aks, b, bOff + j, ldb, c, co + j, ldc, k, add);
            }
        }
        for (; i < m; i++) {
            int ao = aOff + i * ars;
            int co = cOff + i * ldc;
            int j = 0;
            for (; j + 2 * L <= n; j += 2 * L) {
                k1x2(a, ao, ars, aks, b, bOff + j, ldb, c, co + j, ldc, k, add);
            }
            for (; j < n; j += L) {
                k1x1(a, ao, ars, aks, b, bOff + j, ldb, c, co + j, ldc, k, add);
            }
        }
    }

    /** c[m×n] = (add ? c : 0) + a[m×k] · b[k×n]; n must be a multiple of the vector length. */
    static void gemm(float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                     int m, int n, int k, boolean add) {
        if (WIDE) {
            gemm32(a, aOff, lda, 1, b, bOff, ldb, c, cOff, ldc, m, n, k, add);
        } else {
            gemm16(a, aOff, lda, 1, b, bOff, ldb, c, cOff, ldc, m, n, k, add);
        }
    }

    /**
     * c[m×n] = (add ? c : 0) + aᵀ · b[k×n] where {@code a} is stored (k×m) with row stride lda, so callers
     * need not transpose a tile first.
     */
    static void gemmTransposedA(float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff,
                                int ldc, int m, int n, int k, boolean add) {
        if (WIDE) {
            gemm32(a, aOff, 1, lda, b, bOff, ldb, c, cOff, ldc, m, n, k, add);
        } else {
            gemm16(a, aOff, 1, lda, b, bOff, ldb, c, cOff, ldc, m, n, k, add);
        }
    }

    /** {@link #gemm} with 4-row × 4-vector blocks (16 accumulators) for 32-register machines. */
    static void gemm32(float[] a, int aOff, int ars, int aks, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                       int m, int n, int k, boolean add) {
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int ao = aOff + i * ars;
            int co = cOff + i * ldc;
            int j = 0;
            for (; j + 4 * L <= n; j += 4 * L) {
                k4x4(a, ao, ars, aks, b, bOff + j, ldb, c, co + j, ldc, k, add);
            }
            for (; j < n; j += L) {
                k4x1(a, ao, ars, aks, b, bOff + j, ldb, c, co + j, ldc, k, add);
            }
        }
        for (; i < m; i++) {
            int ao = aOff + i * ars;
            int co = cOff + i * ldc;
            int j = 0;
            for (; j + 4 * L <= n; j += 4 * L) {
                k1x4(a, ao, ars, aks, b, bOff + j, ldb, c, co + j, ldc, k, add);
            }
            for (; j < n; j += L) {
                k1x1(a, ao, ars, aks, b, bOff + j, ldb, c, co + j, ldc, k, add);
            }
        }
    }

    private static void k4x4(float[] a, int aOff, int ars, int aks, float[] b, int bOff, int ldb, float[] c, int cOff,
                              int ldc, int k, boolean add) {
        FloatVector c00 = FloatVector.zero(S); FloatVector c01 = FloatVector.zero(S); FloatVector c02 = FloatVector.zero(S); FloatVector c03 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S); FloatVector c11 = FloatVector.zero(S); FloatVector c12 = FloatVector.zero(S); FloatVector c13 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S); FloatVector c21 = FloatVector.zero(S); FloatVector c22 = FloatVector.zero(S); FloatVector c23 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S); FloatVector c31 = FloatVector.zero(S); FloatVector c32 = FloatVector.zero(S); FloatVector c33 = FloatVector.zero(S);
        for (int kk = 0; kk < k; kk++) {
            int bo = bOff + kk * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bo + 0 * L);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + 1 * L);
            FloatVector b2 = FloatVector.fromArray(S, b, bo + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, b, bo + 3 * L);
            FloatVector a0 = FloatVector.broadcast(S, a[aOff + 0 * ars + kk * aks]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.broadcast(S, a[aOff + 1 * ars + kk * aks]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            c13 = a1.fma(b3, c13);
            FloatVector a2 = FloatVector.broadcast(S, a[aOff + 2 * ars + kk * aks]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            c23 = a2.fma(b3, c23);
            FloatVector a3 = FloatVector.broadcast(S, a[aOff + 3 * ars + kk * aks]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
            c33 = a3.fma(b3, c33);
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, c, cOff + 0 * ldc + 0 * L));
            c01 = c01.add(FloatVector.fromArray(S, c, cOff + 0 * ldc + 1 * L));
            c02 = c02.add(FloatVector.fromArray(S, c, cOff + 0 * ldc + 2 * L));
            c03 = c03.add(FloatVector.fromArray(S, c, cOff + 0 * ldc + 3 * L));
            c10 = c10.add(FloatVector.fromArray(S, c, cOff + 1 * ldc + 0 * L));
            c11 = c11.add(FloatVector.fromArray(S, c, cOff + 1 * ldc + 1 * L));
            c12 = c12.add(FloatVector.fromArray(S, c, cOff + 1 * ldc + 2 * L));
            c13 = c13.add(FloatVector.fromArray(S, c, cOff + 1 * ldc + 3 * L));
            c20 = c20.add(FloatVector.fromArray(S, c, cOff + 2 * ldc + 0 * L));
            c21 = c21.add(FloatVector.fromArray(S, c, cOff + 2 * ldc + 1 * L));
            c22 = c22.add(FloatVector.fromArray(S, c, cOff + 2 * ldc + 2 * L));
            c23 = c23.add(FloatVector.fromArray(S, c, cOff + 2 * ldc + 3 * L));
            c30 = c30.add(FloatVector.fromArray(S, c, cOff + 3 * ldc + 0 * L));
            c31 = c31.add(FloatVector.fromArray(S, c, cOff + 3 * ldc + 1 * L));
            c32 = c32.add(FloatVector.fromArray(S, c, cOff + 3 * ldc + 2 * L));
            c33 = c33.add(FloatVector.fromArray(S, c, cOff + 3 * ldc + 3 * L));
        }
        c00.intoArray(c, cOff + 0 * ldc + 0 * L);
        c01.intoArray(c, cOff + 0 * ldc + 1 * L);
        c02.intoArray(c, cOff + 0 * ldc + 2 * L);
        c03.intoArray(c, cOff + 0 * ldc + 3 * L);
        c10.intoArray(c, cOff + 1 * ldc + 0 * L);
        c11.intoArray(c, cOff + 1 * ldc + 1 * L);
        c12.intoArray(c, cOff + 1 * ldc + 2 * L);
        c13.intoArray(c, cOff + 1 * ldc + 3 * L);
        c20.intoArray(c, cOff + 2 * ldc + 0 * L);
        c21.intoArray(c, cOff + 2 * ldc + 1 * L);
        c22.intoArray(c, cOff + 2 * ldc + 2 * L);
        c23.intoArray(c, cOff + 2 * ldc + 3 * L);
        c30.intoArray(c, cOff + 3 * ldc + 0 * L);
        c31.intoArray(c, cOff + 3 * ldc + 1 * L);
        c32.intoArray(c, cOff + 3 * ldc + 2 * L);
        c33.intoArray(c, cOff + 3 * ldc + 3 * L);
    }

    private static void k4x1(float[] a, int aOff, int ars, int aks, float[] b, int bOff, int ldb, float[] c, int cOff,
                              int ldc, int k, boolean add) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        for (int kk = 0; kk < k; kk++) {
            int bo = bOff + kk * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bo + 0 * L);
            FloatVector a0 = FloatVector.broadcast(S, a[aOff + 0 * ars + kk * aks]);
            c00 = a0.fma(b0, c00);
            FloatVector a1 = FloatVector.broadcast(S, a[aOff + 1 * ars + kk * aks]);
            c10 = a1.fma(b0, c10);
            FloatVector a2 = FloatVector.broadcast(S, a[aOff + 2 * ars + kk * aks]);
            c20 = a2.fma(b0, c20);
            FloatVector a3 = FloatVector.broadcast(S, a[aOff + 3 * ars + kk * aks]);
            c30 = a3.fma(b0, c30);
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, c, cOff + 0 * ldc + 0 * L));
            c10 = c10.add(FloatVector.fromArray(S, c, cOff + 1 * ldc + 0 * L));
            c20 = c20.add(FloatVector.fromArray(S, c, cOff + 2 * ldc + 0 * L));
            c30 = c30.add(FloatVector.fromArray(S, c, cOff + 3 * ldc + 0 * L));
        }
        c00.intoArray(c, cOff + 0 * ldc + 0 * L);
        c10.intoArray(c, cOff + 1 * ldc + 0 * L);
        c20.intoArray(c, cOff + 2 * ldc + 0 * L);
        c30.intoArray(c, cOff + 3 * ldc + 0 * L);
    }

    private static void k1x4(float[] a, int aOff, int ars, int aks, float[] b, int bOff, int ldb, float[] c, int cOff,
                              int ldc, int k, boolean add) {
        FloatVector c00 = FloatVector.zero(S); FloatVector c01 = FloatVector.zero(S); FloatVector c02 = FloatVector.zero(S); FloatVector c03 = FloatVector.zero(S);
        for (int kk = 0; kk < k; kk++) {
            int bo = bOff + kk * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bo + 0 * L);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + 1 * L);
            FloatVector b2 = FloatVector.fromArray(S, b, bo + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, b, bo + 3 * L);
            FloatVector a0 = FloatVector.broadcast(S, a[aOff + 0 * ars + kk * aks]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            c03 = a0.fma(b3, c03);
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, c, cOff + 0 * ldc + 0 * L));
            c01 = c01.add(FloatVector.fromArray(S, c, cOff + 0 * ldc + 1 * L));
            c02 = c02.add(FloatVector.fromArray(S, c, cOff + 0 * ldc + 2 * L));
            c03 = c03.add(FloatVector.fromArray(S, c, cOff + 0 * ldc + 3 * L));
        }
        c00.intoArray(c, cOff + 0 * ldc + 0 * L);
        c01.intoArray(c, cOff + 0 * ldc + 1 * L);
        c02.intoArray(c, cOff + 0 * ldc + 2 * L);
        c03.intoArray(c, cOff + 0 * ldc + 3 * L);
    }

    private static void k1x1(float[] a, int aOff, int ars, int aks, float[] b, int bOff, int ldb, float[] c, int cOff,
                              int ldc, int k, boolean add) {
        FloatVector c00 = FloatVector.zero(S);
        for (int kk = 0; kk < k; kk++) {
            int bo = bOff + kk * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bo + 0 * L);
            FloatVector a0 = FloatVector.broadcast(S, a[aOff + 0 * ars + kk * aks]);
            c00 = a0.fma(b0, c00);
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, c, cOff + 0 * ldc + 0 * L));
        }
        c00.intoArray(c, cOff + 0 * ldc + 0 * L);
    }

    private static void k6x2(float[] a, int aOff, int ars, int aks, float[] b, int bOff, int ldb, float[] c, int cOff,
                              int ldc, int k, boolean add) {
        FloatVector c00 = FloatVector.zero(S); FloatVector c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S); FloatVector c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S); FloatVector c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S); FloatVector c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S); FloatVector c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S); FloatVector c51 = FloatVector.zero(S);
        for (int kk = 0; kk < k; kk++) {
            int bo = bOff + kk * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bo + 0 * L);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + 1 * L);
            FloatVector a0 = FloatVector.broadcast(S, a[aOff + 0 * ars + kk * aks]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[aOff + 1 * ars + kk * aks]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[aOff + 2 * ars + kk * aks]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[aOff + 3 * ars + kk * aks]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, a[aOff + 4 * ars + kk * aks]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, a[aOff + 5 * ars + kk * aks]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, c, cOff + 0 * ldc + 0 * L));
            c01 = c01.add(FloatVector.fromArray(S, c, cOff + 0 * ldc + 1 * L));
            c10 = c10.add(FloatVector.fromArray(S, c, cOff + 1 * ldc + 0 * L));
            c11 = c11.add(FloatVector.fromArray(S, c, cOff + 1 * ldc + 1 * L));
            c20 = c20.add(FloatVector.fromArray(S, c, cOff + 2 * ldc + 0 * L));
            c21 = c21.add(FloatVector.fromArray(S, c, cOff + 2 * ldc + 1 * L));
            c30 = c30.add(FloatVector.fromArray(S, c, cOff + 3 * ldc + 0 * L));
            c31 = c31.add(FloatVector.fromArray(S, c, cOff + 3 * ldc + 1 * L));
            c40 = c40.add(FloatVector.fromArray(S, c, cOff + 4 * ldc + 0 * L));
            c41 = c41.add(FloatVector.fromArray(S, c, cOff + 4 * ldc + 1 * L));
            c50 = c50.add(FloatVector.fromArray(S, c, cOff + 5 * ldc + 0 * L));
            c51 = c51.add(FloatVector.fromArray(S, c, cOff + 5 * ldc + 1 * L));
        }
        c00.intoArray(c, cOff + 0 * ldc + 0 * L);
        c01.intoArray(c, cOff + 0 * ldc + 1 * L);
        c10.intoArray(c, cOff + 1 * ldc + 0 * L);
        c11.intoArray(c, cOff + 1 * ldc + 1 * L);
        c20.intoArray(c, cOff + 2 * ldc + 0 * L);
        c21.intoArray(c, cOff + 2 * ldc + 1 * L);
        c30.intoArray(c, cOff + 3 * ldc + 0 * L);
        c31.intoArray(c, cOff + 3 * ldc + 1 * L);
        c40.intoArray(c, cOff + 4 * ldc + 0 * L);
        c41.intoArray(c, cOff + 4 * ldc + 1 * L);
        c50.intoArray(c, cOff + 5 * ldc + 0 * L);
        c51.intoArray(c, cOff + 5 * ldc + 1 * L);
    }

    private static void k6x1(float[] a, int aOff, int ars, int aks, float[] b, int bOff, int ldb, float[] c, int cOff,
                              int ldc, int k, boolean add) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        for (int kk = 0; kk < k; kk++) {
            int bo = bOff + kk * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bo + 0 * L);
            FloatVector a0 = FloatVector.broadcast(S, a[aOff + 0 * ars + kk * aks]);
            c00 = a0.fma(b0, c00);
            FloatVector a1 = FloatVector.broadcast(S, a[aOff + 1 * ars + kk * aks]);
            c10 = a1.fma(b0, c10);
            FloatVector a2 = FloatVector.broadcast(S, a[aOff + 2 * ars + kk * aks]);
            c20 = a2.fma(b0, c20);
            FloatVector a3 = FloatVector.broadcast(S, a[aOff + 3 * ars + kk * aks]);
            c30 = a3.fma(b0, c30);
            FloatVector a4 = FloatVector.broadcast(S, a[aOff + 4 * ars + kk * aks]);
            c40 = a4.fma(b0, c40);
            FloatVector a5 = FloatVector.broadcast(S, a[aOff + 5 * ars + kk * aks]);
            c50 = a5.fma(b0, c50);
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, c, cOff + 0 * ldc + 0 * L));
            c10 = c10.add(FloatVector.fromArray(S, c, cOff + 1 * ldc + 0 * L));
            c20 = c20.add(FloatVector.fromArray(S, c, cOff + 2 * ldc + 0 * L));
            c30 = c30.add(FloatVector.fromArray(S, c, cOff + 3 * ldc + 0 * L));
            c40 = c40.add(FloatVector.fromArray(S, c, cOff + 4 * ldc + 0 * L));
            c50 = c50.add(FloatVector.fromArray(S, c, cOff + 5 * ldc + 0 * L));
        }
        c00.intoArray(c, cOff + 0 * ldc + 0 * L);
        c10.intoArray(c, cOff + 1 * ldc + 0 * L);
        c20.intoArray(c, cOff + 2 * ldc + 0 * L);
        c30.intoArray(c, cOff + 3 * ldc + 0 * L);
        c40.intoArray(c, cOff + 4 * ldc + 0 * L);
        c50.intoArray(c, cOff + 5 * ldc + 0 * L);
    }

    private static void k1x2(float[] a, int aOff, int ars, int aks, float[] b, int bOff, int ldb, float[] c, int cOff,
                              int ldc, int k, boolean add) {
        FloatVector c00 = FloatVector.zero(S); FloatVector c01 = FloatVector.zero(S);
        for (int kk = 0; kk < k; kk++) {
            int bo = bOff + kk * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bo + 0 * L);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + 1 * L);
            FloatVector a0 = FloatVector.broadcast(S, a[aOff + 0 * ars + kk * aks]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, c, cOff + 0 * ldc + 0 * L));
            c01 = c01.add(FloatVector.fromArray(S, c, cOff + 0 * ldc + 1 * L));
        }
        c00.intoArray(c, cOff + 0 * ldc + 0 * L);
        c01.intoArray(c, cOff + 0 * ldc + 1 * L);
    }

    // ---- packed products on whole (small) matrices, through the register tiles of SgemmTiles ----

    /** Rows per packed A sliver and columns per packed B panel (the register tile of {@link SgemmTiles}). */
    static final int MR = Sgemm.MR;
    static final int NR = SgemmTiles.NR;
    private static final int AS = SgemmTiles.AS;
    private static final jdk.incubator.vector.VectorSpecies<Float> S8 = FloatVector.SPECIES_256;

    /** Every output tile is computed. */
    static final int FULL = 0;
    /** Causal scores (row = query, column = key): tiles whose first column lies past the sliver's last row are skipped. */
    static final int SKIP_ABOVE = 1;
    /** Row r only needs k steps {@code kk <= r} (a lower-triangular A, e.g. P·V): sliver steps stop after its last row. */
    static final int K_TO_ROW = 2;
    /** Row r only needs k steps {@code kk >= r} (an upper-triangular A, e.g. Pᵀ·dO): sliver steps start at its first row. */
    static final int K_FROM_ROW = 3;

    static int roundRows(int m) {
        return (m + MR - 1) / MR * MR;
    }

    static int roundCols(int n) {
        return (n + NR - 1) / NR * NR;
    }

    /** Floats a packed A of m rows and k steps takes. */
    static int packedASize(int m, int k) {
        return roundRows(m) / MR * k * AS;
    }

    /** Floats a packed B of n columns and k steps takes. */
    static int packedBSize(int k, int n) {
        return roundCols(n) * k;
    }

    /**
     * Packs A (m × k) given row-major with row stride ld (element (i, kk) at {@code x[off + i·ld + kk]}),
     * times {@code scale}, into MR-row slivers. With {@code lowerK} sliver s stores only steps
     * {@code kk < min(k, (s + 1)·MR)} (what {@link #K_TO_ROW} reads). Rows past m are zero.
     */
    static void packARows(float[] x, int off, int ld, int m, int k, float scale, boolean lowerK, float[] dst) {
        for (int i0 = 0; i0 < m; i0 += MR) {
            int base = i0 / MR * k * AS;
            int rows = Math.min(MR, m - i0);
            int kEnd = lowerK ? Math.min(k, i0 + MR) : k;
            for (int r = 0; r < MR; r++) {
                if (r < rows) {
                    int src = off + (i0 + r) * ld;
                    for (int kk = 0; kk < kEnd; kk++) {
                        dst[base + kk * AS + r] = x[src + kk] * scale;
                    }
                } else {
                    for (int kk = 0; kk < kEnd; kk++) {
                        dst[base + kk * AS + r] = 0f;
                    }
                }
            }
        }
    }

    /**
     * Packs A (m × k) given transposed: element (i, kk) at {@code x[off + kk·ld + i]} (a row-major (k × m)
     * matrix), into MR-row slivers. With {@code upperK} sliver s stores only steps {@code kk >= s·MR} (what
     * {@link #K_FROM_ROW} reads). Rows past m are zero.
     */
    static void packAColumns(float[] x, int off, int ld, int m, int k, boolean upperK, float[] dst) {
        for (int i0 = 0; i0 < m; i0 += MR) {
            int base = i0 / MR * k * AS;
            int kStart = upperK ? Math.min(k, i0) : 0;
            if (i0 + AS <= m && MR <= AS) {
                for (int kk = kStart; kk < k; kk++) {
                    FloatVector.fromArray(S8, x, off + kk * ld + i0).intoArray(dst, base + kk * AS);
                }
            } else {
                int rows = Math.min(MR, m - i0);
                for (int kk = kStart; kk < k; kk++) {
                    int src = off + kk * ld + i0;
                    int d = base + kk * AS;
                    for (int r = 0; r < MR; r++) {
                        dst[d + r] = r < rows ? x[src + r] : 0f;
                    }
                }
            }
        }
    }

    /** Packs B (k × n) given row-major with row stride ld into NR-column panels; columns past n are zero. */
    static void packBRows(float[] y, int off, int ld, int k, int n, float[] dst) {
        for (int j0 = 0; j0 < n; j0 += NR) {
            int base = j0 * k;
            if (j0 + NR <= n) {
                for (int kk = 0; kk < k; kk++) {
                    int src = off + kk * ld + j0;
                    int d = base + kk * NR;
                    FloatVector.fromArray(S, y, src).intoArray(dst, d);
                    FloatVector.fromArray(S, y, src + L).intoArray(dst, d + L);
                }
            } else {
                int cols = n - j0;
                for (int kk = 0; kk < k; kk++) {
                    int src = off + kk * ld + j0;
                    int d = base + kk * NR;
                    for (int c = 0; c < NR; c++) {
                        dst[d + c] = c < cols ? y[src + c] : 0f;
                    }
                }
            }
        }
    }

    /**
     * Packs B (k × n) given transposed: element (kk, j) at {@code y[off + j·ld + kk]} (a row-major (n × k)
     * matrix), into NR-column panels; columns past n are zero.
     */
    static void packBColumns(float[] y, int off, int ld, int k, int n, float[] dst) {
        for (int j0 = 0; j0 < n; j0 += NR) {
            int base = j0 * k;
            int cols = Math.min(NR, n - j0);
            for (int c = 0; c < NR; c++) {
                if (c < cols) {
                    int src = off + (j0 + c) * ld;
                    for (int kk = 0; kk < k; kk++) {
                        dst[base + kk * NR + c] = y[src + kk];
                    }
                } else {
                    for (int kk = 0; kk < k; kk++) {
                        dst[base + kk * NR + c] = 0f;
                    }
                }
            }
        }
    }

    /**
     * {@code C = A·B} from a packed A (m × k) and packed B (k × n) into c (roundRows(m) rows, row stride
     * ldc ≥ roundCols(n)); {@code band} says which tiles or steps a causal structure lets it skip (skipped
     * output tiles are left as they were).
     */
    static void gemmPacked(float[] ap, float[] bp, int m, int n, int k, float[] c, int ldc, int band) {
        for (int j0 = 0; j0 < n; j0 += NR) {
            int bOff = j0 * k;
            for (int i0 = 0; i0 < m; i0 += MR) {
                if (band == SKIP_ABOVE && j0 > i0 + MR - 1) {
                    continue;
                }
                int kStart = band == K_FROM_ROW ? Math.min(k, i0) : 0;
                int kEnd = band == K_TO_ROW ? Math.min(k, i0 + MR) : k;
                int aOff = i0 / MR * k * AS;
                SgemmTiles.tile(MR, ap, aOff + kStart * AS, bp, bOff + kStart * NR, kEnd - kStart,
                        c, i0 * ldc + j0, ldc, false);
            }
        }
    }

    // ---- products whose A is read in place, row-major, against packed B panels ----

    /** Rows per register tile of {@link #gemmRowsA}: 5 × 2 vectors fit 16 vector registers without spilling. */
    static final int RA = 5;

    /**
     * {@code C = A·B} with A (m × k) read in place, row-major with row stride lda from aOff, and B packed by
     * {@link #packBRows} or {@link #packBColumns}; c gets {@code roundRows(m)} rows, row stride ldc, and band is
     * as in {@link #gemmPacked} (blocks of {@link #RA} rows). Saves packing A, a scalar transpose, when A is
     * used once. With SKIP_ABOVE, a block whose rows all end within a panel's first vector computes only that
     * vector (columns past a causal row's own key are never read).
     */
    static void gemmRowsA(float[] a, int aOff, int lda, float[] bp, int m, int n, int k, float[] c, int ldc,
                          int band) {
        int full = m / RA * RA;
        float[] tail = null;
        if (full < m) {
            // the last, partial block: its rows copied into a zero-padded block of RA rows
            tail = Scratch.floats(S_TAIL, RA * k);
            java.util.Arrays.fill(tail, 0, RA * k, 0f);
            for (int r = 0; r < m - full; r++) {
                System.arraycopy(a, aOff + (full + r) * lda, tail, r * k, k);
            }
        }
        for (int j0 = 0; j0 < n; j0 += NR) {
            int bOff = j0 * k;
            for (int i0 = 0; i0 < m; i0 += RA) {
                if (band == SKIP_ABOVE && j0 > i0 + RA - 1) {
                    continue;
                }
                int kStart = band == K_FROM_ROW ? Math.min(k, i0) : 0;
                int kEnd = band == K_TO_ROW ? Math.min(k, i0 + RA) : k;
                float[] x = i0 < full ? a : tail;
                int xOff = i0 < full ? aOff + i0 * lda + kStart : kStart;
                int ldx = i0 < full ? lda : k;
                if (band == SKIP_ABOVE && j0 + L > i0 + RA - 1) {
                    // the block's last row ends in the panel's first vector: the second would be all above
                    tileRowsA1(x, xOff, ldx, bp, bOff + kStart * NR, NR, kEnd - kStart, c, i0 * ldc + j0, ldc);
                } else {
                    tileRowsA(x, xOff, ldx, bp, bOff + kStart * NR, NR, kEnd - kStart, c, i0 * ldc + j0, ldc);
                }
            }
        }
    }

    /** Scratch slot of {@link #gemmRowsA}'s tail block (one the attention kernels, its only callers, leave free). */
    private static final int S_TAIL = 29;

    /**
     * {@code C[RA × 2 vectors] = A·B} over kc steps: A row r at {@code a[aOff + r·lda ..]}, the B panel {@code ldb}
     * floats per step. ldb is a parameter, not the constant {@link #NR}: with a constant stride C2 unrolls this
     * loop and spills accumulators (measured: 2.5× slower).
     */
    private static void tileRowsA(float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int kc, float[] c,
                                  int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        int a0 = aOff;
        int a1 = aOff + lda;
        int a2 = aOff + 2 * lda;
        int a3 = aOff + 3 * lda;
        int a4 = aOff + 4 * lda;
        for (int kk = 0; kk < kc; kk++) {
            int bo = bOff + kk * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + kk]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + kk]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + kk]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + kk]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[a4 + kk]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + L);
        c10.intoArray(c, cOff + ldc);
        c11.intoArray(c, cOff + ldc + L);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + L);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + L);
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + L);
    }

    /** {@link #tileRowsA} for the first vector of the B panel only: {@code C[RA × 1 vector] = A·B}. */
    private static void tileRowsA1(float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int kc, float[] c,
                                   int cOff, int ldc) {
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = FloatVector.zero(S);
        FloatVector c2 = FloatVector.zero(S);
        FloatVector c3 = FloatVector.zero(S);
        FloatVector c4 = FloatVector.zero(S);
        int a0 = aOff;
        int a1 = aOff + lda;
        int a2 = aOff + 2 * lda;
        int a3 = aOff + 3 * lda;
        int a4 = aOff + 4 * lda;
        for (int kk = 0; kk < kc; kk++) {
            FloatVector b0 = FloatVector.fromArray(S, b, bOff + kk * ldb);
            c0 = FloatVector.broadcast(S, a[a0 + kk]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[a1 + kk]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[a2 + kk]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[a3 + kk]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, a[a4 + kk]).fma(b0, c4);
        }
        c0.intoArray(c, cOff);
        c1.intoArray(c, cOff + ldc);
        c2.intoArray(c, cOff + 2 * ldc);
        c3.intoArray(c, cOff + 3 * ldc);
        c4.intoArray(c, cOff + 4 * ldc);
    }
}
