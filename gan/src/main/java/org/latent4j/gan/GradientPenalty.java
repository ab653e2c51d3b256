package org.latent4j.gan;

import java.util.Arrays;
import org.latent4j.core.autograd.Autograd;
import org.latent4j.core.autograd.GraphMode;
import org.latent4j.core.ops.Random;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * Gradient penalties on the discriminator, built with a differentiable gradient ({@link GraphMode#CREATE}) so
 * the penalty's own gradient reaches D's parameters (a second-order derivative):
 * <pre>
 * WGAN-GP (Gulrajani et al., 2017):  E[(‖∇ₓ̂ D(x̂)‖₂ − 1)²],  x̂ = ε·x_real + (1 − ε)·x_fake, ε ~ U(0, 1) per sample
 * R1 (Mescheder et al., 2018):       E[‖∇ₓ D(x_real)‖₂²]     (added to D's loss as γ/2 · R1)
 * </pre>
 * The norms are per sample, over every axis but the first; the results are scalars. The caller weights them
 * (λ = 10 for WGAN-GP; γ for R1) and adds them to the discriminator's loss.
 */
public final class GradientPenalty {
    /** Which penalty {@link GanStep} adds to the discriminator's loss, and its weight. */
    public record Options(Kind kind, double weight) {
        public Options {
            if (kind == null) {
                throw new IllegalArgumentException("GradientPenalty.Options: kind must not be null");
            }
            if (!(weight >= 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("GradientPenalty.Options: weight must be finite and >= 0, got "
                        + weight);
            }
        }

        public static Options none() {
            return new Options(Kind.NONE, 0);
        }

        /** λ·WGAN-GP, Gulrajani et al.'s λ = 10 being the usual choice. */
        public static Options wganGp(double lambda) {
            return new Options(Kind.WGAN_GP, lambda);
        }

        /** γ/2·R1. */
        public static Options r1(double gamma) {
            return new Options(Kind.R1, gamma);
        }
    }

    /** The penalties. */
    public enum Kind { NONE, WGAN_GP, R1 }

    private GradientPenalty() {
    }

    /** WGAN-GP with ε drawn from {@code rng}, one per sample. */
    public static Tensor wganGp(Discriminator d, Tensor real, Tensor fake, Rng rng) {
        checkPair("wganGp", real, fake);
        long[] shape = new long[real.rank()];
        Arrays.fill(shape, 1);
        shape[0] = real.size(0);
        return wganGp(d, real, fake, Random.rand(rng, real.dtype(), shape));
    }

    /**
     * WGAN-GP with given interpolation weights {@code eps}, shape (N, 1, …, 1) broadcasting over a sample. The
     * real and generated batches are treated as constants (the penalty trains D, not G).
     */
    public static Tensor wganGp(Discriminator d, Tensor real, Tensor fake, Tensor eps) {
        checkPair("wganGp", real, fake);
        if (eps.rank() != real.rank() || eps.size(0) != real.size(0) || eps.numel() != real.size(0)) {
            throw new IllegalArgumentException("wganGp: eps must be (N, 1, …, 1) with N = " + real.size(0)
                    + " and rank " + real.rank() + ", got " + Shape.format(eps.shape()));
        }
        Tensor r = real.detach();
        Tensor f = fake.detach();
        // x̂ = f + ε·(r − f), a fresh leaf: the penalty differentiates D at these points
        Tensor xHat = f.add(r.sub(f).mul(eps.detach())).detach().requireGrad();
        Tensor norm = gradientNorm(d, xHat, true);                       // (N)
        return norm.sub(1).square().mean();
    }

    /** R1: the mean squared norm of D's gradient at the real samples. */
    public static Tensor r1(Discriminator d, Tensor real) {
        if (real.rank() < 2) {
            throw new IllegalArgumentException("r1: real must be a batch (N, …), got " + Shape.format(real.shape()));
        }
        Tensor x = real.detach().requireGrad();
        return gradientNorm(d, x, false).mean();
    }

    /**
     * Per-sample ‖∇ₓ Σᵢ D(x)ᵢ‖ (or its square) for a leaf {@code x}; since D's logits are per sample, the
     * gradient of their sum with respect to sample i is ∇D(xᵢ). Kept differentiable (CREATE).
     */
    static Tensor gradientNorm(Discriminator d, Tensor x, boolean root) {
        Tensor logits = d.forward(x);                                    // (N)
        Tensor g = Autograd.grad(logits.sum(), new Tensor[] {x}, GraphMode.CREATE)[0];
        Tensor squared = g.reshape(x.size(0), -1).square().sum(1);       // (N, D) → (N)
        return root ? squared.sqrt() : squared;
    }

    private static void checkPair(String op, Tensor real, Tensor fake) {
        if (real.rank() < 2 || !Arrays.equals(real.shape(), fake.shape())) {
            throw new IllegalArgumentException(op + ": real and fake must be batches (N, …) of one shape, got "
                    + Shape.format(real.shape()) + " and " + Shape.format(fake.shape()));
        }
        if (real.dtype() != fake.dtype()) {
            throw new IllegalArgumentException(op + ": real is " + real.dtype() + " but fake is " + fake.dtype());
        }
    }
}
