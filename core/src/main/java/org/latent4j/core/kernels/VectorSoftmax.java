package org.latent4j.core.kernels;

import static org.latent4j.core.kernels.VectorMath.L;
import static org.latent4j.core.kernels.VectorMath.S;

import java.lang.ref.Reference;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Softmax over the last axis in Java: {@code y_i = exp(x_i - max x) / Σ_j exp(x_j - max x)}, and its
 * backward {@code dx_i = y_i (g_i - Σ_j g_j y_j)}. Rows are copied in chunks into a {@code float[]} (fast
 * for the Vector API), processed in L1 and written back; chunks are split over the kernel threads. The
 * forward pass takes rows two at a time: each row's three passes (max, exp and sum, scale) wait on a lane
 * reduction, and a second row's independent work fills that wait.
 */
final class VectorSoftmax {
    /** Rows per chunk are chosen so a chunk holds about this many floats (16 KB: it stays in L1). */
    private static final int CHUNK = 4096;
    /** Below this many elements the work stays on the calling thread. */
    private static final long PARALLEL_ELEMENTS = 1L << 15;
    private static final int SLOT_X = 8;
    private static final int SLOT_G = 9;

    private VectorSoftmax() {
    }

    static void forward(INDArray x, INDArray out) {
        int n = (int) x.size(x.rank() - 1);
        int rows = n == 0 ? 0 : (int) (x.length() / n);
        HostFloats hx = HostFloats.of(x);
        HostFloats hy = HostFloats.of(out);
        int per = Math.max(1, CHUNK / Math.max(1, n));
        run(rows, per, x.length(), (lo, hi) -> {
            float[] buf = Scratch.floats(SLOT_X, per * n);
            for (int r0 = lo; r0 < hi; r0 += per) {
                int cnt = Math.min(per, hi - r0);
                hx.get((long) r0 * n, buf, 0, cnt * n);
                rowBlock(buf, cnt, n);
                hy.put((long) r0 * n, buf, 0, cnt * n);
            }
        });
        // the kernel read these arrays through their buffers only: keep them (and their memory) alive
        Reference.reachabilityFence(x);
        Reference.reachabilityFence(out);
    }

    static void backward(INDArray y, INDArray gradOut, INDArray gradIn) {
        int n = (int) y.size(y.rank() - 1);
        int rows = n == 0 ? 0 : (int) (y.length() / n);
        HostFloats hy = HostFloats.of(y);
        HostFloats hg = HostFloats.of(gradOut);
        HostFloats hd = HostFloats.of(gradIn);
        int per = Math.max(1, CHUNK / Math.max(1, n));
        run(rows, per, y.length(), (lo, hi) -> {
            float[] yb = Scratch.floats(SLOT_X, per * n);
            float[] gb = Scratch.floats(SLOT_G, per * n);
            for (int r0 = lo; r0 < hi; r0 += per) {
                int cnt = Math.min(per, hi - r0);
                hy.get((long) r0 * n, yb, 0, cnt * n);
                hg.get((long) r0 * n, gb, 0, cnt * n);
                for (int r = 0; r < cnt; r++) {
                    rowBackward(yb, gb, r * n, n);
                }
                hd.put((long) r0 * n, gb, 0, cnt * n);
            }
        });
        // the kernel read these arrays through their buffers only: keep them (and their memory) alive
        Reference.reachabilityFence(y);
        Reference.reachabilityFence(gradOut);
        Reference.reachabilityFence(gradIn);
    }

    /** out[r] = log Σ_j exp(x[r, j]) over each row of the last axis (max + log Σ exp(x − max); −inf for a row of −inf). */
    static void logSumExpRows(INDArray x, float[] out) {
        int n = (int) x.size(x.rank() - 1);
        int rows = n == 0 ? 0 : (int) (x.length() / n);
        HostFloats hx = HostFloats.of(x);
        int per = Math.max(1, CHUNK / Math.max(1, n));
        run(rows, per, x.length(), (lo, hi) -> {
            float[] buf = Scratch.floats(SLOT_X, per * n);
            for (int r0 = lo; r0 < hi; r0 += per) {
                int cnt = Math.min(per, hi - r0);
                hx.get((long) r0 * n, buf, 0, cnt * n);
                for (int r = 0; r < cnt; r++) {
                    out[r0 + r] = rowLogSumExp(buf, r * n, n);
                }
            }
        });
        Reference.reachabilityFence(x);
    }

    private static float rowLogSumExp(float[] a, int off, int n) {
        int bound = off + S.loopBound(n);
        int end = off + n;
        float max = rowMax(a, off, n);
        int i;
        if (max == Float.NEGATIVE_INFINITY || Float.isNaN(max) || max == Float.POSITIVE_INFINITY) {
            return max;
        }
        FloatVector sv = FloatVector.zero(S);
        for (i = off; i < bound; i += L) {
            sv = sv.add(VectorMath.expNonPositive(FloatVector.fromArray(S, a, i).sub(max)));
        }
        double sum = sv.reduceLanes(VectorOperators.ADD);
        for (; i < end; i++) {
            sum += VectorMath.exp(a[i] - max);
        }
        return (float) (max + Math.log(sum));
    }

    private static void run(int rows, int per, long elements, Parallel.RangeBody body) {
        if (elements < PARALLEL_ELEMENTS) {
            body.run(0, rows);
        } else {
            Parallel.forChunks(rows, per, body);
        }
    }

    /** Softmax in place of each of the cnt rows of length n that start at a[0]. */
    static void rowBlock(float[] a, int cnt, int n) {
        int r = 0;
        for (; r + 1 < cnt; r += 2) {
            rowPair(a, r * n, (r + 1) * n, n);
        }
        if (r < cnt) {
            row(a, r * n, n);
        }
    }

    /** Softmax in place of the rows a[o1, o1 + n) and a[o2, o2 + n), their passes interleaved. */
    private static void rowPair(float[] a, int o1, int o2, int n) {
        int bound = S.loopBound(n);
        FloatVector m1 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        FloatVector m2 = m1;
        for (int i = 0; i < bound; i += L) {
            m1 = m1.max(FloatVector.fromArray(S, a, o1 + i));
            m2 = m2.max(FloatVector.fromArray(S, a, o2 + i));
        }
        float max1 = m1.reduceLanes(VectorOperators.MAX);
        float max2 = m2.reduceLanes(VectorOperators.MAX);
        for (int i = bound; i < n; i++) {
            max1 = Math.max(max1, a[o1 + i]);
            max2 = Math.max(max2, a[o2 + i]);
        }
        if (max1 == Float.NEGATIVE_INFINITY || max2 == Float.NEGATIVE_INFINITY) {
            // a fully masked row takes the single-row path, which defines it as zeros
            row(a, o1, n);
            row(a, o2, n);
            return;
        }
        FloatVector s1 = FloatVector.zero(S);
        FloatVector s2 = s1;
        for (int i = 0; i < bound; i += L) {
            FloatVector e1 = VectorMath.expNonPositive(FloatVector.fromArray(S, a, o1 + i).sub(max1));
            FloatVector e2 = VectorMath.expNonPositive(FloatVector.fromArray(S, a, o2 + i).sub(max2));
            e1.intoArray(a, o1 + i);
            e2.intoArray(a, o2 + i);
            s1 = s1.add(e1);
            s2 = s2.add(e2);
        }
        float sum1 = s1.reduceLanes(VectorOperators.ADD);
        float sum2 = s2.reduceLanes(VectorOperators.ADD);
        for (int i = bound; i < n; i++) {
            float e1 = VectorMath.exp(a[o1 + i] - max1);
            float e2 = VectorMath.exp(a[o2 + i] - max2);
            a[o1 + i] = e1;
            a[o2 + i] = e2;
            sum1 += e1;
            sum2 += e2;
        }
        float inv1 = 1f / sum1;
        float inv2 = 1f / sum2;
        for (int i = 0; i < bound; i += L) {
            FloatVector.fromArray(S, a, o1 + i).mul(inv1).intoArray(a, o1 + i);
            FloatVector.fromArray(S, a, o2 + i).mul(inv2).intoArray(a, o2 + i);
        }
        for (int i = bound; i < n; i++) {
            a[o1 + i] *= inv1;
            a[o2 + i] *= inv2;
        }
    }

    /** The largest of a[off, off + n) (−inf for an empty or fully masked row). */
    private static float rowMax(float[] a, int off, int n) {
        int bound = off + S.loopBound(n);
        int end = off + n;
        FloatVector mv = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = off;
        for (; i < bound; i += L) {
            mv = mv.max(FloatVector.fromArray(S, a, i));
        }
        float max = mv.reduceLanes(VectorOperators.MAX);
        for (; i < end; i++) {
            max = Math.max(max, a[i]);
        }
        return max;
    }

    /** Softmax of a[off, off + n) in place. */
    static void row(float[] a, int off, int n) {
        int bound = off + S.loopBound(n);
        int end = off + n;
        float max = rowMax(a, off, n);
        int i;
        if (max == Float.NEGATIVE_INFINITY) {
            // every entry is -inf (a fully masked row): define the result as zeros rather than NaN
            java.util.Arrays.fill(a, off, end, 0f);
            return;
        }
        FloatVector sv = FloatVector.zero(S);
        for (i = off; i < bound; i += L) {
            FloatVector e = VectorMath.expNonPositive(FloatVector.fromArray(S, a, i).sub(max));
            e.intoArray(a, i);
            sv = sv.add(e);
        }
        float sum = sv.reduceLanes(VectorOperators.ADD);
        for (; i < end; i++) {
            float e = VectorMath.exp(a[i] - max);
            a[i] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (i = off; i < bound; i += L) {
            FloatVector.fromArray(S, a, i).mul(inv).intoArray(a, i);
        }
        for (; i < end; i++) {
            a[i] *= inv;
        }
    }

    /** g[off, off + n) becomes y (g - Σ g y). */
    static void rowBackward(float[] y, float[] g, int off, int n) {
        int bound = off + S.loopBound(n);
        int end = off + n;
        FloatVector dv = FloatVector.zero(S);
        int i = off;
        for (; i < bound; i += L) {
            dv = FloatVector.fromArray(S, g, i).fma(FloatVector.fromArray(S, y, i), dv);
        }
        float dot = dv.reduceLanes(VectorOperators.ADD);
        for (; i < end; i++) {
            dot += g[i] * y[i];
        }
        for (i = off; i < bound; i += L) {
            FloatVector yv = FloatVector.fromArray(S, y, i);
            yv.mul(FloatVector.fromArray(S, g, i).sub(dot)).intoArray(g, i);
        }
        for (; i < end; i++) {
            g[i] = y[i] * (g[i] - dot);
        }
    }
}
