package org.latent4j.core.kernels;

import static org.latent4j.core.kernels.VectorMath.L;
import static org.latent4j.core.kernels.VectorMath.S;

import java.lang.ref.Reference;
import jdk.incubator.vector.FloatVector;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One Adam/AdamW step over a float32 parameter in a single pass (PyTorch's {@code adam} with
 * {@code amsgrad=False}): {@code g ← grad + λ·θ} (coupled decay) or {@code θ ← θ·(1 − lr·λ)} (decoupled),
 * {@code m ← β₁m + (1 − β₁)g}, {@code v ← β₂v + (1 − β₂)g²},
 * {@code θ ← θ − (lr/(1 − β₁ᵗ))·m/(√v/√(1 − β₂ᵗ) + ε)}. The ND4J route makes ten passes, one op each.
 */
final class VectorAdam {
    private static final int CHUNK = 4096;
    private static final long PARALLEL_ELEMENTS = 1L << 17;
    private static final int SLOT_P = 16;
    private static final int SLOT_G = 17;
    private static final int SLOT_M = 18;
    private static final int SLOT_V = 19;

    private VectorAdam() {
    }

    /** The scalars of one step: decay factor on θ, coupled decay on g, betas, step sizes, eps. */
    record Step(float paramScale, float gradDecay, float beta1, float beta2, float stepSize, float bias2Sqrt,
                float eps) {
    }

    static void update(INDArray param, INDArray grad, INDArray m, INDArray v, Step s) {
        HostFloats hp = HostFloats.of(param);
        HostFloats hg = HostFloats.of(grad);
        HostFloats hm = HostFloats.of(m);
        HostFloats hv = HostFloats.of(v);
        int n = (int) param.length();
        int chunks = (n + CHUNK - 1) / CHUNK;
        Parallel.RangeBody body = (lo, hi) -> {
            float[] p = Scratch.floats(SLOT_P, CHUNK);
            float[] g = Scratch.floats(SLOT_G, CHUNK);
            float[] a = Scratch.floats(SLOT_M, CHUNK);
            float[] b = Scratch.floats(SLOT_V, CHUNK);
            for (int c = lo; c < hi; c++) {
                int off = c * CHUNK;
                int len = Math.min(CHUNK, n - off);
                hp.get(off, p, 0, len);
                hg.get(off, g, 0, len);
                hm.get(off, a, 0, len);
                hv.get(off, b, 0, len);
                chunk(p, g, a, b, len, s);
                hp.put(off, p, 0, len);
                hm.put(off, a, 0, len);
                hv.put(off, b, 0, len);
            }
        };
        if (n < PARALLEL_ELEMENTS) {
            body.run(0, chunks);
        } else {
            Parallel.forShares(chunks, 1, body);
        }
        // the kernel read these arrays through their buffers only: keep them (and their memory) alive
        Reference.reachabilityFence(param);
        Reference.reachabilityFence(grad);
        Reference.reachabilityFence(m);
        Reference.reachabilityFence(v);
    }

    private static void chunk(float[] p, float[] g, float[] m, float[] v, int len, Step s) {
        int bound = S.loopBound(len);
        float c1 = 1 - s.beta1();
        float c2 = 1 - s.beta2();
        float invBias2 = 1 / s.bias2Sqrt();
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector pv = FloatVector.fromArray(S, p, i);
            FloatVector gv = FloatVector.fromArray(S, g, i);
            if (s.gradDecay() != 0) {
                gv = pv.mul(s.gradDecay()).add(gv);
            }
            pv = pv.mul(s.paramScale());
            FloatVector mv = FloatVector.fromArray(S, m, i).mul(s.beta1()).add(gv.mul(c1));
            FloatVector vv = FloatVector.fromArray(S, v, i).mul(s.beta2()).add(gv.mul(gv).mul(c2));
            FloatVector denom = vv.sqrt().mul(invBias2).add(s.eps());
            pv = pv.sub(mv.div(denom).mul(s.stepSize()));
            pv.intoArray(p, i);
            mv.intoArray(m, i);
            vv.intoArray(v, i);
        }
        for (; i < len; i++) {
            float gi = g[i];
            if (s.gradDecay() != 0) {
                gi = Math.fma(p[i], s.gradDecay(), gi);
            }
            float pi = p[i] * s.paramScale();
            float mi = m[i] * s.beta1() + gi * c1;
            float vi = v[i] * s.beta2() + gi * gi * c2;
            p[i] = pi - mi / ((float) Math.sqrt(vi) * invBias2 + s.eps()) * s.stepSize();
            m[i] = mi;
            v[i] = vi;
        }
    }
}
