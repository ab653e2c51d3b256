package org.latent4j.core.ops;

import java.nio.FloatBuffer;
import org.latent4j.core.kernels.Kernels;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Plain-Java loops for elementwise ops on small float32 tensors. ND4J runs pairwise arithmetic as a custom op,
 * whose dispatch costs 4–25 µs a call (measured; a 16×16 add computes in ~0.01 µs), so for small tensors the
 * loops here, over the arrays' host buffers copied to {@code float[]}, are many times faster. Only dense,
 * whole-buffer, c-ordered float32 arrays of at most {@link #MAX_ELEMENTS} elements take this path; larger
 * ones stay on ND4J's multithreaded kernels.
 */
final class HostLoops {
    /** Largest tensor the loops take (64 KB of float32: three such rows sit in L2). */
    static final int MAX_ELEMENTS = 1 << 14;

    /** Off only for in-process A/B timing of the two paths. */
    static volatile boolean enabled = true;

    private static final ThreadLocal<float[][]> SCRATCH =
            ThreadLocal.withInitial(() -> new float[][] {new float[MAX_ELEMENTS], new float[MAX_ELEMENTS]});

    enum Binary { ADD, SUB, MUL, DIV }

    enum Unary { NEG, ABS, SQUARE, SQRT, RSQRT, RECIPROCAL, RELU, STEP, SIGN, EXP, TANH, SIGMOID }

    private HostLoops() {
    }

    /** Whether every array is small, float32 and a dense c-ordered view of its whole buffer. */
    static boolean applies(INDArray... arrays) {
        if (!enabled) {
            return false;
        }
        for (INDArray a : arrays) {
            long n = a.length();
            if (a.dataType() != DataType.FLOAT || n == 0 || n > MAX_ELEMENTS || a.offset() != 0
                    || a.data().length() != n || !Kernels.isDense(a)) {
                return false;
            }
        }
        return true;
    }

    /** out = a ∘ b for same-shape arrays accepted by {@link #applies}. */
    static void binary(Binary op, INDArray a, INDArray b, INDArray out) {
        int n = (int) out.length();
        float[][] s = SCRATCH.get();
        float[] x = s[0];
        float[] y = s[1];
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

    /** out = x · scale + shift, elementwise. */
    static void affine(INDArray in, float scale, float shift, INDArray out) {
        int n = (int) out.length();
        float[] x = SCRATCH.get()[0];
        in.data().asNioFloat().get(0, x, 0, n);
        for (int i = 0; i < n; i++) {
            x[i] = x[i] * scale + shift;
        }
        out.data().asNioFloat().put(0, x, 0, n);
    }

    /** out = f(in) elementwise. */
    static void unary(Unary op, INDArray in, INDArray out) {
        int n = (int) out.length();
        float[] x = SCRATCH.get()[0];
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
