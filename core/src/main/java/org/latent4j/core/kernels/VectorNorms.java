package org.latent4j.core.kernels;

import static org.latent4j.core.kernels.VectorMath.L;
import static org.latent4j.core.kernels.VectorMath.S;

import java.lang.ref.Reference;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Whole-array reductions and scaling for gradient clipping, one pass each on the calling thread: a model's
 * gradients are many small arrays, where ND4J's reductions cost a native call and an OpenMP hand-off each
 * (measured in the baby GPT's step: clipping took 5 ms on a quiet machine and 100–250 ms under load).
 * Partial sums are float lanes over chunks of 1,024, added up in double.
 */
final class VectorNorms {
    private static final int CHUNK = 1024;
    private static final int SLOT = 22;

    private VectorNorms() {
    }

    /** Σ|x|ᵖ for p = 1 or 2, or max|x| for p = ∞. */
    static double norm(INDArray x, double p) {
        HostFloats h = HostFloats.of(x);
        int n = (int) x.length();
        float[] a = Scratch.floats(SLOT, CHUNK);
        double total = 0;
        for (int off = 0; off < n; off += CHUNK) {
            int len = Math.min(CHUNK, n - off);
            h.get(off, a, 0, len);
            int bound = S.loopBound(len);
            FloatVector acc = FloatVector.zero(S);
            float tail = 0;
            int i = 0;
            if (p == 2) {
                for (; i < bound; i += L) {
                    FloatVector v = FloatVector.fromArray(S, a, i);
                    acc = v.fma(v, acc);
                }
                for (; i < len; i++) {
                    tail += a[i] * a[i];
                }
                total += (double) acc.reduceLanes(VectorOperators.ADD) + tail;
            } else if (p == 1) {
                for (; i < bound; i += L) {
                    acc = acc.add(FloatVector.fromArray(S, a, i).abs());
                }
                for (; i < len; i++) {
                    tail += Math.abs(a[i]);
                }
                total += (double) acc.reduceLanes(VectorOperators.ADD) + tail;
            } else {
                for (; i < bound; i += L) {
                    acc = acc.max(FloatVector.fromArray(S, a, i).abs());
                }
                for (; i < len; i++) {
                    tail = Math.max(tail, Math.abs(a[i]));
                }
                total = Math.max(total, Math.max(acc.reduceLanes(VectorOperators.MAX), tail));
            }
        }
        Reference.reachabilityFence(x);
        return total;
    }

    /** x ← c everywhere. */
    static void fill(INDArray x, float c) {
        HostFloats h = HostFloats.of(x);
        int n = (int) x.length();
        float[] a = Scratch.floats(SLOT, CHUNK);
        java.util.Arrays.fill(a, 0, Math.min(CHUNK, n), c);
        for (int off = 0; off < n; off += CHUNK) {
            h.put(off, a, 0, Math.min(CHUNK, n - off));
        }
        Reference.reachabilityFence(x);
    }

    /** x ← x · c in place. */
    static void scale(INDArray x, float c) {
        HostFloats h = HostFloats.of(x);
        int n = (int) x.length();
        float[] a = Scratch.floats(SLOT, CHUNK);
        for (int off = 0; off < n; off += CHUNK) {
            int len = Math.min(CHUNK, n - off);
            h.get(off, a, 0, len);
            int bound = S.loopBound(len);
            int i = 0;
            for (; i < bound; i += L) {
                FloatVector.fromArray(S, a, i).mul(c).intoArray(a, i);
            }
            for (; i < len; i++) {
                a[i] *= c;
            }
            h.put(off, a, 0, len);
        }
        // the kernel read these arrays through their buffers only: keep them (and their memory) alive
        Reference.reachabilityFence(x);
    }
}
