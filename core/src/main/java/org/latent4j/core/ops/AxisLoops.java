package org.latent4j.core.ops;

import java.nio.FloatBuffer;
import org.latent4j.core.kernels.Kernels;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Running sums and reversals along one axis of a dense float32 array, in Java: ND4J's {@code cumsum} and
 * {@code reverse} ops took 54–58 ms forward on a (64,64,16,16) array along its last axis (measured 2026-11-29,
 * nothing else running; with backward 112–116 ms against PyTorch's 1.7–5.1 ms), where these loops take a few
 * milliseconds. The array is seen as (outer, K, inner) around the axis and moved a row of K (along the last
 * axis) or of inner elements at a time through a {@code float[]}.
 */
final class AxisLoops {
    private AxisLoops() {
    }

    /** Whether the loops take these arrays: float32, dense from their buffer's start. */
    static boolean applies(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a.dataType() != DataType.FLOAT || !Kernels.isWholeBuffer(a)) {
                return false;
            }
        }
        return true;
    }

    /** out = running sum of x along {@code axis}, from the end when {@code reverse}; sums kept in double. */
    static void cumsum(INDArray x, int axis, boolean reverse, INDArray out) {
        if (x.length() == 0) {
            return;
        }
        Around a = Around.of(x, axis);
        int k = a.k();
        int inner = a.inner();
        long outer = a.outer();
        FloatBuffer in = x.data().asNioFloat();
        FloatBuffer to = out.data().asNioFloat();
        float[] row = HostLoops.floats(0, Math.max(k, inner));
        double[] acc = new double[inner];
        for (long o = 0; o < outer; o++) {
            int base = (int) (o * k * inner);
            if (inner == 1) { // along the last axis: one row of k at a time
                in.get(base, row, 0, k);
                double sum = 0;
                for (int step = 0; step < k; step++) {
                    int i = reverse ? k - 1 - step : step;
                    sum += row[i];
                    row[i] = (float) sum;
                }
                to.put(base, row, 0, k);
                continue;
            }
            java.util.Arrays.fill(acc, 0);
            for (int step = 0; step < k; step++) {
                int at = base + (reverse ? k - 1 - step : step) * inner;
                in.get(at, row, 0, inner);
                for (int i = 0; i < inner; i++) {
                    acc[i] += row[i];
                    row[i] = (float) acc[i];
                }
                to.put(at, row, 0, inner);
            }
        }
    }

    /** out = x reversed along {@code axis}; {@code out} must not share x's memory. */
    static void flip(INDArray x, int axis, INDArray out) {
        if (x.length() == 0) {
            return;
        }
        Around around = Around.of(x, axis);
        int k = around.k();
        int inner = around.inner();
        FloatBuffer in = x.data().asNioFloat();
        FloatBuffer to = out.data().asNioFloat();
        float[] a = HostLoops.floats(0, Math.max(k, inner));
        float[] b = HostLoops.floats(1, k);
        for (long o = 0; o < around.outer(); o++) {
            int base = (int) (o * k * inner);
            if (inner == 1) { // along the last axis: reverse each row of k
                in.get(base, a, 0, k);
                for (int i = 0; i < k; i++) {
                    b[k - 1 - i] = a[i];
                }
                to.put(base, b, 0, k);
                continue;
            }
            for (int step = 0; step < k; step++) {
                in.get(base + step * inner, a, 0, inner);
                to.put(base + (k - 1 - step) * inner, a, 0, inner);
            }
        }
    }

    /** A non-empty array seen as (outer, k, inner) around one axis. */
    private record Around(long outer, int k, int inner) {
        static Around of(INDArray x, int axis) {
            long[] shape = x.shape();
            long outer = 1;
            for (int d = 0; d < axis; d++) {
                outer *= shape[d];
            }
            int k = (int) shape[axis];
            return new Around(outer, k, (int) (x.length() / outer / k));
        }
    }
}
