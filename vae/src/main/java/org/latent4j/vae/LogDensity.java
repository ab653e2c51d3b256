package org.latent4j.vae;

import org.latent4j.core.ops.Activations;
import org.latent4j.core.ops.Elementwise;
import org.latent4j.core.ops.Reductions;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * The log-densities a VAE needs, each summed over one example's dimensions so that it returns one number per
 * example: over the last axis for latents z (…, L), over every axis after the first for images (N, C, H, W).
 * All are the full densities, normalising constants included, so they can be compared and combined across
 * distributions (the importance-weighted bound needs log p(x|z) + log p(z) − log q(z|x)).
 */
public final class LogDensity {
    /** log 2π. */
    static final double LOG_TWO_PI = Math.log(2 * Math.PI);

    private LogDensity() {
    }

    /** log N(z; 0, I) = −½ Σ (z² + log 2π) over the last axis: (…, L) → (…). */
    public static Tensor standardNormal(Tensor z) {
        requireLatent("standardNormal", z);
        return Reductions.sum(Elementwise.square(z).add(LOG_TWO_PI), new int[] {-1}, false).mul(-0.5);
    }

    /**
     * log N(z; μ, diag(e^logVar)) = −½ Σ ((z − μ)² e^−logVar + logVar + log 2π) over the last axis; μ and
     * logVar broadcast against z (…, L) → (…).
     */
    public static Tensor diagonalGaussian(Tensor z, Tensor mu, Tensor logVar) {
        requireLatent("diagonalGaussian", z);
        Tensor scaled = Elementwise.square(z.sub(mu)).mul(Elementwise.exp(logVar.neg()));
        return Reductions.sum(scaled.add(logVar).add(LOG_TWO_PI), new int[] {-1}, false).mul(-0.5);
    }

    /**
     * KL(N(μ, e^logVar) ‖ N(0, I)) = −½ Σ (1 + logVar − μ² − e^logVar) over the last axis, one value per example:
     * (…, L) → (…). (core's {@code Losses.gaussianKl} is the same sum averaged over the batch.)
     */
    public static Tensor klToStandardNormal(Tensor mu, Tensor logVar) {
        requireSameShape("klToStandardNormal", mu, logVar);
        requireLatent("klToStandardNormal", mu);
        Tensor inner = logVar.add(1.0).sub(Elementwise.square(mu)).sub(Elementwise.exp(logVar));
        return Reductions.sum(inner, new int[] {-1}, false).mul(-0.5);
    }

    /**
     * log Bernoulli(x; σ(logits)) = −Σ [softplus(l) − x·l] per example (N, …) → (N): binary cross-entropy with
     * logits, summed instead of averaged and negated. Targets may lie anywhere in [0, 1].
     */
    public static Tensor bernoulli(Tensor logits, Tensor x) {
        requireSameShape("bernoulli", logits, x);
        return sumPerExample(softplus(logits).sub(logits.mul(x))).neg();
    }

    /**
     * softplus(l) = max(l, 0) + log(1 + e^−|l|), composed from elementwise ops so that autograd gives its
     * derivative σ(l). It runs one ND4J transform (the log) where core's {@code Activations.softplus} runs four
     * (abs, exp, log1p, relu); on the shared, heavily loaded 2-core test machine each such op on 128×64 floats
     * took milliseconds (OpenMP threads waiting for a core), and this composition measured 2–4× faster.
     */
    static Tensor softplus(Tensor l) {
        Tensor tail = Elementwise.log(Elementwise.exp(Elementwise.abs(l).neg()).add(1.0));
        return Activations.relu(l).add(tail);
    }

    /**
     * log N(x; mean, e^logVar) per example (N, …) → (N), each element independent; logVar broadcasts against x
     * (a per-pixel (C, H, W) parameter, or a scalar).
     */
    public static Tensor gaussian(Tensor x, Tensor mean, Tensor logVar) {
        requireSameShape("gaussian", mean, x);
        Tensor scaled = Elementwise.square(x.sub(mean)).mul(Elementwise.exp(logVar.neg()));
        return sumPerExample(scaled.add(logVar).add(LOG_TWO_PI)).mul(-0.5);
    }

    /** Sums (N, …) over every axis but the first: (N). */
    static Tensor sumPerExample(Tensor t) {
        if (t.rank() < 2) {
            throw new IllegalArgumentException("LogDensity: per-example sum needs (N, ...) with rank >= 2, got "
                    + Shape.format(t.shape()));
        }
        int[] axes = new int[t.rank() - 1];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        return Reductions.sum(t, axes, false);
    }

    private static void requireLatent(String op, Tensor z) {
        if (z.rank() == 0) {
            throw new IllegalArgumentException("LogDensity." + op + ": needs a latent axis, got a scalar");
        }
    }

    private static void requireSameShape(String op, Tensor a, Tensor b) {
        if (!java.util.Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("LogDensity." + op + ": shapes " + Shape.format(a.shape()) + " and "
                    + Shape.format(b.shape()) + " differ");
        }
    }
}
