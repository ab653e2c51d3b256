package org.latent4j.core.ops;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.latent4j.core.kernels.Kernels;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Plain-Java loops for small and mid-sized float32 tensors: elementwise ops (broadcasting binary ones included), sums over
 * axes and broadcasts (the forward of expand, the backward of sum). ND4J runs pairwise arithmetic as a custom
 * op, whose dispatch costs 4–25 µs a call (measured; a 16×16 add computes in ~0.01 µs), so for small tensors
 * the loops here, over the arrays' host buffers copied to {@code float[]}, are many times faster. Only dense,
 * whole-buffer, c-ordered float32 arrays of at most {@link #MAX_ELEMENTS} elements take this path; larger
 * ones stay on ND4J's multithreaded kernels.
 */
final class HostLoops {
    /**
     * Largest tensor the loops take (2 MB of float32). Raised from 2^14 after profiling a tiny-GPT training step: ND4J's
     * broadcasts and reductions of its activations cost more than these single-threaded loops.
     */
    static final int MAX_ELEMENTS = 1 << 19;

    /** Off only for in-process A/B timing of the two paths. */
    static volatile boolean enabled = true;

    /** Per-thread working arrays, grown on demand: a 16×16 op does not pay for the largest tensor's scratch. */
    private static final ThreadLocal<float[][]> FLOATS = ThreadLocal.withInitial(() -> new float[3][0]);
    /** Per-element source offsets of a broadcast (see {@link #broadcastIndex}), one per operand. */
    private static final ThreadLocal<int[][]> INDEX = ThreadLocal.withInitial(() -> new int[2][0]);
    private static final ThreadLocal<double[][]> SUMS = ThreadLocal.withInitial(() -> new double[1][0]);

    enum Binary { ADD, SUB, MUL, DIV }

    enum Unary { NEG, ABS, SQUARE, SQRT, RSQRT, RECIPROCAL, RELU, STEP, SIGN, EXP, TANH, SIGMOID }

    private HostLoops() {
    }

    /** This thread's float array {@code slot} (0–2), grown to at least {@code n}; contents unspecified. */
    static float[] floats(int slot, int n) {
        float[][] all = FLOATS.get();
        if (all[slot].length < n) {
            all[slot] = new float[n];
        }
        return all[slot];
    }

    private static int[] ints(int slot, int n) {
        int[][] all = INDEX.get();
        if (all[slot].length < n) {
            all[slot] = new int[n];
        }
        return all[slot];
    }

    private static double[] sums(int n) {
        double[][] all = SUMS.get();
        if (all[0].length < n) {
            all[0] = new double[n];
        }
        return all[0];
    }

    /** Whether every array is small, float32 and a dense c-ordered view of its whole buffer. */
    static boolean applies(INDArray... arrays) {
        if (!enabled) {
            return false;
        }
        for (INDArray a : arrays) {
            long n = a.length();
            if (a.dataType() != DataType.FLOAT || n == 0 || n > MAX_ELEMENTS || !Kernels.isWholeBuffer(a)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a result of {@code shape} is small enough for the loops. */
    static boolean fits(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n > 0 && n <= MAX_ELEMENTS;
    }

    /**
     * out = a ∘ b for arrays accepted by {@link #applies} whose shapes broadcast to out's (NumPy rules, checked
     * by the caller); same-shape operands take a direct loop, broadcast ones a gather through offset tables.
     */
    static void binary(Binary op, INDArray a, INDArray b, INDArray out) {
        int n = (int) out.length();
        if (a.length() != n || b.length() != n) {
            broadcastBinary(op, a, b, out);
            return;
        }
        float[] x = floats(0, n);
        float[] y = floats(1, n);
        a.data().asNioFloat().get(0, x, 0, n);
        b.data().asNioFloat().get(0, y, 0, n);
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    x[i] += y[i];
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    x[i] -= y[i];
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    x[i] *= y[i];
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    x[i] /= y[i];
                }
            }
        }
        out.data().asNioFloat().put(0, x, 0, n);
    }

    private static void broadcastBinary(Binary op, INDArray a, INDArray b, INDArray out) {
        int n = (int) out.length();
        if (a.length() == n && trailingRepeat(b.shape(), out.shape())) {
            rowBroadcast(op, a, b, out);
            return;
        }
        float[] x = floats(0, (int) a.length());
        float[] y = floats(1, (int) b.length());
        float[] z = floats(2, n);
        int[] ia = ints(0, n);
        int[] ib = ints(1, n);
        long[] shape = out.shape();
        a.data().asNioFloat().get(0, x, 0, (int) a.length());
        b.data().asNioFloat().get(0, y, 0, (int) b.length());
        broadcastIndex(a.shape(), shape, ia);
        broadcastIndex(b.shape(), shape, ib);
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    z[i] = x[ia[i]] + y[ib[i]];
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    z[i] = x[ia[i]] - y[ib[i]];
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    z[i] = x[ia[i]] * y[ib[i]];
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    z[i] = x[ia[i]] / y[ib[i]];
                }
            }
        }
        out.data().asNioFloat().put(0, z, 0, n);
    }

    /**
     * Whether an operand of shape {@code from} broadcast to {@code to} is a block of {@code to}'s trailing axes
     * repeated along the leading ones (a bias row added to every row of a matrix): then element i of the result
     * reads element {@code i % length(from)}.
     */
    static boolean trailingRepeat(long[] from, long[] to) {
        int lead = to.length - from.length;
        int d = 0;
        while (d < from.length && from[d] == 1) {
            d++;
        }
        for (; d < from.length; d++) {
            if (from[d] != to[d + lead]) {
                return false;
            }
        }
        return true;
    }

    /** out = a ∘ b where a has out's shape and b is a {@link #trailingRepeat} of out's trailing axes. */
    private static void rowBroadcast(Binary op, INDArray a, INDArray b, INDArray out) {
        int n = (int) out.length();
        int m = (int) b.length();
        float[] x = floats(0, n);
        float[] y = floats(1, m);
        a.data().asNioFloat().get(0, x, 0, n);
        b.data().asNioFloat().get(0, y, 0, m);
        for (int row = 0; row < n; row += m) {
            switch (op) {
                case ADD -> {
                    for (int j = 0; j < m; j++) {
                        x[row + j] += y[j];
                    }
                }
                case SUB -> {
                    for (int j = 0; j < m; j++) {
                        x[row + j] -= y[j];
                    }
                }
                case MUL -> {
                    for (int j = 0; j < m; j++) {
                        x[row + j] *= y[j];
                    }
                }
                case DIV -> {
                    for (int j = 0; j < m; j++) {
                        x[row + j] /= y[j];
                    }
                }
            }
        }
        out.data().asNioFloat().put(0, x, 0, n);
    }

    /** out = in broadcast to out's shape (NumPy rules, checked by the caller): the forward of {@code expand}. */
    static void broadcast(INDArray in, INDArray out) {
        int n = (int) out.length();
        int m = (int) in.length();
        float[] x = floats(0, m);
        float[] z = floats(1, n);
        in.data().asNioFloat().get(0, x, 0, m);
        if (m == 1) {
            Arrays.fill(z, 0, n, x[0]);
        } else {
            int[] ix = ints(0, n);
            broadcastIndex(in.shape(), out.shape(), ix);
            for (int i = 0; i < n; i++) {
                z[i] = x[ix[i]];
            }
        }
        out.data().asNioFloat().put(0, z, 0, n);
    }

    /**
     * Sums {@code in} down to {@code kept}, its shape with each reduced axis set to 1, into {@code out}, which
     * holds kept's elements in c order (with or without the size-1 axes: the layout is the same). Partial
     * sums are kept in double, so the result is at least as accurate as a float32 pairwise sum.
     */
    static void sum(INDArray in, long[] kept, INDArray out) {
        int n = (int) in.length();
        int m = (int) out.length();
        float[] x = floats(0, n);
        in.data().asNioFloat().get(0, x, 0, n);
        float[] z = floats(1, m);
        if (m == 1) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                total += x[i];
            }
            z[0] = (float) total;
        } else if (trailingRepeat(kept, in.shape())) {
            // leading axes summed away (a bias gradient): add the rows up
            double[] acc = sums(m);
            Arrays.fill(acc, 0, m, 0.0);
            for (int row = 0; row < n; row += m) {
                for (int j = 0; j < m; j++) {
                    acc[j] += x[row + j];
                }
            }
            for (int j = 0; j < m; j++) {
                z[j] = (float) acc[j];
            }
        } else {
            // every input element adds into the output element it would be broadcast back from
            int[] target = ints(0, n);
            broadcastIndex(kept, in.shape(), target);
            double[] acc = sums(m);
            Arrays.fill(acc, 0, m, 0.0);
            for (int i = 0; i < n; i++) {
                acc[target[i]] += x[i];
            }
            for (int j = 0; j < m; j++) {
                z[j] = (float) acc[j];
            }
        }
        out.data().asNioFloat().put(0, z, 0, m);
    }

    /**
     * Fills {@code offsets[i]}, for each flat c-order index i of {@code to}, with the flat index of the element
     * of a dense c-ordered array of shape {@code from} that broadcasting puts there: {@code from} is aligned
     * to the right of {@code to}, and its size-1 (or missing) axes repeat their one element.
     */
    static void broadcastIndex(long[] from, long[] to, int[] offsets) {
        int rank = to.length;
        int lead = rank - from.length;
        int[] size = new int[rank];
        int[] step = new int[rank];
        int stride = 1;
        for (int d = rank - 1; d >= 0; d--) {
            size[d] = (int) to[d];
            long f = d >= lead ? from[d - lead] : 1;
            step[d] = f == 1 ? 0 : stride;
            stride *= (int) f;
        }
        int n = 1;
        for (int d = 0; d < rank; d++) {
            n *= size[d];
        }
        if (n == 0) {
            return;
        }
        // an odometer over to's indices, carrying the source offset along with it
        int[] idx = new int[rank];
        int off = 0;
        for (int i = 0; ; ) {
            offsets[i] = off;
            if (++i == n) {
                return;
            }
            int d = rank - 1;
            idx[d]++;
            off += step[d];
            while (idx[d] == size[d]) {
                off -= step[d] * size[d];
                idx[d] = 0;
                d--;
                idx[d]++;
                off += step[d];
            }
        }
    }

    /** target += value, elementwise, for same-shape arrays accepted by {@link #applies}. */
    static void addInPlace(INDArray target, INDArray value) {
        int n = (int) target.length();
        float[] x = floats(0, n);
        float[] y = floats(1, n);
        FloatBuffer t = target.data().asNioFloat();
        t.get(0, x, 0, n);
        value.data().asNioFloat().get(0, y, 0, n);
        for (int i = 0; i < n; i++) {
            x[i] += y[i];
        }
        t.put(0, x, 0, n);
    }

    /** out = x · scale + shift, elementwise. */
    static void affine(INDArray in, float scale, float shift, INDArray out) {
        int n = (int) out.length();
        float[] x = floats(0, n);
        in.data().asNioFloat().get(0, x, 0, n);
        for (int i = 0; i < n; i++) {
            x[i] = x[i] * scale + shift;
        }
        out.data().asNioFloat().put(0, x, 0, n);
    }

    /** out = f(in) elementwise. */
    static void unary(Unary op, INDArray in, INDArray out) {
        int n = (int) out.length();
        float[] x = floats(0, n);
        FloatBuffer src = in.data().asNioFloat();
        src.get(0, x, 0, n);
        switch (op) {
            case NEG -> {
                for (int i = 0; i < n; i++) {
                    x[i] = -x[i];
                }
            }
            case ABS -> {
                for (int i = 0; i < n; i++) {
                    x[i] = Math.abs(x[i]);
                }
            }
            case SQUARE -> {
                for (int i = 0; i < n; i++) {
                    x[i] *= x[i];
                }
            }
            case SQRT -> {
                for (int i = 0; i < n; i++) {
                    x[i] = (float) Math.sqrt(x[i]);
                }
            }
            case RSQRT -> {
                for (int i = 0; i < n; i++) {
                    x[i] = (float) (1.0 / Math.sqrt(x[i]));
                }
            }
            case RECIPROCAL -> {
                for (int i = 0; i < n; i++) {
                    x[i] = 1f / x[i];
                }
            }
            case RELU -> {
                for (int i = 0; i < n; i++) {
                    x[i] = x[i] > 0 ? x[i] : 0f;
                }
            }
            case STEP -> {
                for (int i = 0; i < n; i++) {
                    x[i] = x[i] > 0 ? 1f : 0f;
                }
            }
            case SIGN -> {
                for (int i = 0; i < n; i++) {
                    x[i] = Math.signum(x[i]);
                }
            }
            case EXP -> {
                for (int i = 0; i < n; i++) {
                    x[i] = (float) Math.exp(x[i]);
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    // tanh v = 1 − 2 / (e^{2v} + 1): one intrinsic exp, exact limits ±1 at overflow
                    x[i] = (float) (1.0 - 2.0 / (Math.exp(2.0 * x[i]) + 1.0));
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) {
                    x[i] = (float) (1.0 / (1.0 + Math.exp(-x[i])));
                }
            }
        }
        out.data().asNioFloat().put(0, x, 0, n);
    }
}
