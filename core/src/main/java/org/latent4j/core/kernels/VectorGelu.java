package org.latent4j.core.kernels;

import static org.latent4j.core.kernels.VectorMath.L;
import static org.latent4j.core.kernels.VectorMath.S;

import java.lang.ref.Reference;
import jdk.incubator.vector.FloatVector;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * GELU's tanh form {@code y = ½x(1 + tanh u)}, {@code u = k(x + c·x³)}, k = √(2/π), c = 0.044715, and its
 * derivative {@code ½(1 + t) + ½x(1 − t²)·k(1 + 3c·x²)}, each in one pass over the data. The ND4J route makes six
 * passes forward (cube, scale, add, scale, tanh, affine) and its composed backward about fifteen, each through
 * a native call: on a GPT's MLP activations (768 × 512 floats) that was the largest item after matmul.
 * {@code tanh u = 1 − 2/(e^{2u} + 1)} with {@link VectorMath#exp}: exact limits ±1, absolute error below 1e-7.
 */
final class VectorGelu {
    static final float K = 0.7978845608028654f;
    static final float C = 0.044715f;
    private static final int CHUNK = 4096;
    private static final long PARALLEL_ELEMENTS = 1L << 15;
    private static final int SLOT_X = 20;
    private static final int SLOT_G = 21;

    private VectorGelu() {
    }

    /** out = gelu(x); {@code out} may be {@code x}. */
    static void forward(INDArray x, INDArray out) {
        HostFloats hx = HostFloats.of(x);
        HostFloats ho = HostFloats.of(out);
        int n = (int) x.length();
        run(n, (lo, hi) -> {
            float[] a = Scratch.floats(SLOT_X, CHUNK);
            for (int c = lo; c < hi; c++) {
                int off = c * CHUNK;
                int len = Math.min(CHUNK, n - off);
                hx.get(off, a, 0, len);
                forwardChunk(a, len);
                ho.put(off, a, 0, len);
            }
        });
        // the kernel read these arrays through their buffers only: keep them (and their memory) alive
        Reference.reachabilityFence(x);
        Reference.reachabilityFence(out);
    }

    /** gradIn = gradOut · gelu'(x); {@code gradIn} may be {@code gradOut}. */
    static void backward(INDArray x, INDArray gradOut, INDArray gradIn) {
        HostFloats hx = HostFloats.of(x);
        HostFloats hg = HostFloats.of(gradOut);
        HostFloats hi0 = HostFloats.of(gradIn);
        int n = (int) x.length();
        run(n, (lo, hi) -> {
            float[] a = Scratch.floats(SLOT_X, CHUNK);
            float[] g = Scratch.floats(SLOT_G, CHUNK);
            for (int c = lo; c < hi; c++) {
                int off = c * CHUNK;
                int len = Math.min(CHUNK, n - off);
                hx.get(off, a, 0, len);
                hg.get(off, g, 0, len);
                backwardChunk(a, g, len);
                hi0.put(off, g, 0, len);
            }
        });
        // the kernel read these arrays through their buffers only: keep them (and their memory) alive
        Reference.reachabilityFence(x);
        Reference.reachabilityFence(gradOut);
        Reference.reachabilityFence(gradIn);
    }

    private static void run(int n, Parallel.RangeBody body) {
        int chunks = (n + CHUNK - 1) / CHUNK;
        if (n < PARALLEL_ELEMENTS) {
            body.run(0, chunks);
        } else {
            Parallel.forShares(chunks, 1, body);
        }
    }

    private static void forwardChunk(float[] a, int len) {
        int bound = S.loopBound(len);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, i);
            FloatVector u = x.mul(x).fma(C, 1f).mul(x).mul(K);
            FloatVector t = tanhOf(u);
            x.mul(0.5f).mul(t.add(1f)).intoArray(a, i);
        }
        for (; i < len; i++) {
            float x = a[i];
            float t = tanhOf(K * x * Math.fma(C, x * x, 1f));
            a[i] = 0.5f * x * (1f + t);
        }
    }

    private static void backwardChunk(float[] a, float[] g, int len) {
        int bound = S.loopBound(len);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, i);
            FloatVector x2 = x.mul(x);
            FloatVector t = tanhOf(x2.fma(C, 1f).mul(x).mul(K));
            FloatVector du = x2.fma(3 * C, 1f).mul(K);
            // ½(1 + t) + ½x(1 − t²)·du
            FloatVector d = t.add(1f).add(x.mul(t.mul(t).neg().add(1f)).mul(du)).mul(0.5f);
            FloatVector.fromArray(S, g, i).mul(d).intoArray(g, i);
        }
        for (; i < len; i++) {
            float x = a[i];
            float x2 = x * x;
            float t = tanhOf(K * x * Math.fma(C, x2, 1f));
            float du = K * Math.fma(3 * C, x2, 1f);
            g[i] *= 0.5f * (1f + t + x * (1f - t * t) * du);
        }
    }

    private static FloatVector tanhOf(FloatVector u) {
        FloatVector e = VectorMath.exp(u.add(u));
        return FloatVector.broadcast(S, 1f).sub(FloatVector.broadcast(S, 2f).div(e.add(1f)));
    }

    private static float tanhOf(float u) {
        return 1f - 2f / (VectorMath.exp(u + u) + 1f);
    }
}
