package org.latent4j.diffusion;

import org.latent4j.core.ops.Elementwise;
import org.latent4j.core.tensor.Tensor;

/** Small pieces the samplers share. */
final class Samplers {
    private Samplers() {
    }

    /** int64 (n) all equal to {@code t}. */
    static Tensor constantSteps(int t, int n) {
        long[] v = new long[n];
        java.util.Arrays.fill(v, t);
        return Tensor.ofLongs(v, n);
    }

    static Tensor clip(Tensor x, double clip) {
        return Double.isInfinite(clip) ? x : Elementwise.clamp(x, -clip, clip);
    }
}
