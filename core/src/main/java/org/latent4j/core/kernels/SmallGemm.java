package org.latent4j.core.kernels;

import static org.latent4j.core.kernels.VectorMath.L;
import static org.latent4j.core.kernels.VectorMath.S;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Products with a handful of rows ({@code m ≤ }{@link #MAX_ROWS}: a decoding step's one token through a linear
 * layer), where {@link Sgemm}'s packing of B costs more than the arithmetic: measured in the baby GPT's KV-cache
 * decoding, a (1 × 128)·(128 × 384) product took ~120 µs through the packed path, nearly all of it transposing
 * W into panels. Here each B row or column is read once, in place, and used for every row of A: dot products when
 * B is column-major (a transposed weight, {@code x·Wᵀ}), row updates {@code C[i] += A[i][kk]·B[kk]} when it is
 * row-major.
 */
final class SmallGemm {
    static final int MAX_ROWS = 4;
    private static final int SLOT_A = 23;
    private static final int SLOT_LINE = 24;
    private static final int SLOT_C = 25;

    private SmallGemm() {
    }

    /** C (m × n, c-ordered at {@code cBase}) = A·B for batch item {@code item}; m ≤ {@link #MAX_ROWS}. */
    static void product(Sgemm.Operand a, Sgemm.Operand b, HostFloats hc, int item, int m, int k, int n) {
        long aBase = a.base(item);
        long bBase = b.base(item);
        long cBase = (long) item * m * n;
        float[] ar = Scratch.floats(SLOT_A, m * k);
        if (a.cs == 1) {
            for (int i = 0; i < m; i++) {
                a.get(aBase + (long) i * a.rs, ar, i * k, k);
            }
        } else {
            float[] col = Scratch.floats(SLOT_LINE, m);
            for (int kk = 0; kk < k; kk++) {
                a.get(aBase + (long) kk * a.cs, col, 0, m);
                for (int i = 0; i < m; i++) {
                    ar[i * k + kk] = col[i];
                }
            }
        }
        float[] c = Scratch.floats(SLOT_C, m * n);
        if (b.cs == 1 && n > 1) {
            rowUpdates(ar, b, bBase, c, m, k, n);
        } else {
            dots(ar, b, bBase, c, m, k, n);
        }
        hc.put(cBase, c, 0, m * n);
    }

    /** B column-major: C[i][j] = A[i]·B[:, j], each column read once, by vector loads from its buffer. */
    private static void dots(float[] ar, Sgemm.Operand b, long bBase, float[] c, int m, int k, int n) {
        java.nio.ByteBuffer bytes = b.bytes;
        java.nio.ByteOrder order = bytes.order();
        int bound = S.loopBound(k);
        for (int j = 0; j < n; j++) {
            int col = Math.toIntExact(bBase + (long) j * b.cs);
            for (int i = 0; i < m; i++) {
                int off = i * k;
                FloatVector acc = FloatVector.zero(S);
                int kk = 0;
                for (; kk < bound; kk += L) {
                    acc = FloatVector.fromArray(S, ar, off + kk)
                            .fma(FloatVector.fromByteBuffer(S, bytes, (col + kk) * 4, order), acc);
                }
                float s = acc.reduceLanes(VectorOperators.ADD);
                for (; kk < k; kk++) {
                    s = Math.fma(ar[off + kk], bytes.getFloat((col + kk) * 4), s);
                }
                c[i * n + j] = s;
            }
        }
    }

    /** B row-major: C[i] = Σ_kk A[i][kk]·B[kk], each row of B read once. */
    private static void rowUpdates(float[] ar, Sgemm.Operand b, long bBase, float[] c, int m, int k, int n) {
        Arrays.fill(c, 0, m * n, 0f);
        float[] row = Scratch.floats(SLOT_LINE, n);
        int bound = S.loopBound(n);
        for (int kk = 0; kk < k; kk++) {
            b.get(bBase + (long) kk * b.rs, row, 0, n);
            for (int i = 0; i < m; i++) {
                float w = ar[i * k + kk];
                int off = i * n;
                FloatVector wv = FloatVector.broadcast(S, w);
                int j = 0;
                for (; j < bound; j += L) {
                    FloatVector.fromArray(S, row, j).fma(wv, FloatVector.fromArray(S, c, off + j)).intoArray(c, off + j);
                }
                for (; j < n; j++) {
                    c[off + j] = Math.fma(w, row[j], c[off + j]);
                }
            }
        }
    }
}
