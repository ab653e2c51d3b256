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
 * for the Vector API), processed in L1 and written back; chunks are split over the kernel threads.
 */
final class VectorSoftmax {
    /** Rows per chunk are chosen so a chunk holds about this many floats (64 KB). */
    private static final int CHUNK = 16384;
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
                for (int r = 0; r < cnt; r++) {
                    row(buf, r * n, n);
                }
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

    private static void run(int rows, int per, long elements, Parallel.RangeBody body) {
        if (elements < PARALLEL_ELEMENTS) {
            body.run(0, rows);
        } else {
            Parallel.forShares(rows, per, body);
        }
    }

    /** Softmax of a[off, off + n) in place. */
    static void row(float[] a, int off, int n) {
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
        if (max == Float.NEGATIVE_INFINITY) {
            // every entry is -inf (a fully masked row): define the result as zeros rather than NaN
            java.util.Arrays.fill(a, off, end, 0f);
            return;
        }
        FloatVector sv = FloatVector.zero(S);
        for (i = off; i < bound; i += L) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(S, a, i).sub(max));
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
