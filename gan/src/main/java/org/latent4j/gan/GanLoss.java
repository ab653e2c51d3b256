package org.latent4j.gan;

import org.latent4j.core.ops.Activations;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * The adversarial objectives, as functions of the discriminator's logits l (D(x) = σ(l)); each loss is
 * minimized by its own player and is a scalar mean over the batch. With softplus(l) = −log(1 − σ(l)) and
 * softplus(−l) = −log σ(l):
 * <pre>
 * discriminator (MINIMAX, NON_SATURATING):  softplus(−l_real).mean() + softplus(l_fake).mean()
 *                                           (binary cross-entropy: real → 1, fake → 0, the two halves summed)
 * MINIMAX generator:         −softplus(l_fake).mean()  = E[log(1 − D(G(z)))], Goodfellow et al.'s saturating form
 * NON_SATURATING generator:   softplus(−l_fake).mean() = −E[log D(G(z))]
 * HINGE discriminator:        relu(1 − l_real).mean() + relu(1 + l_fake).mean(), generator −l_fake.mean()
 * WASSERSTEIN critic:         l_fake.mean() − l_real.mean(),                        generator −l_fake.mean()
 * </pre>
 * The Wasserstein critic needs a Lipschitz constraint: pair it with {@link GradientPenalty#wganGp}.
 * Every loss is twice differentiable in the logits.
 */
public enum GanLoss {
    MINIMAX,
    NON_SATURATING,
    HINGE,
    WASSERSTEIN;

    /** The discriminator's loss on logits of a real batch and a generated batch (each (N)). */
    public Tensor discriminator(Tensor realLogits, Tensor fakeLogits) {
        checkLogits("realLogits", realLogits);
        checkLogits("fakeLogits", fakeLogits);
        switch (this) {
            case HINGE:
                return Activations.relu(realLogits.neg().add(1)).mean()
                        .add(Activations.relu(fakeLogits.add(1)).mean());
            case WASSERSTEIN:
                return fakeLogits.mean().sub(realLogits.mean());
            default:
                return Activations.softplus(realLogits.neg()).mean().add(Activations.softplus(fakeLogits).mean());
        }
    }

    /** The generator's loss on the discriminator's logits of a generated batch (N). */
    public Tensor generator(Tensor fakeLogits) {
        checkLogits("fakeLogits", fakeLogits);
        switch (this) {
            case MINIMAX:
                return Activations.softplus(fakeLogits).mean().neg();
            case NON_SATURATING:
                return Activations.softplus(fakeLogits.neg()).mean();
            default:
                return fakeLogits.mean().neg();
        }
    }

    /** Parses a command-line name: minimax, non-saturating (or ns), hinge, wasserstein (or wgan). */
    public static GanLoss parse(String name) {
        switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "minimax":
                return MINIMAX;
            case "non-saturating":
            case "ns":
                return NON_SATURATING;
            case "hinge":
                return HINGE;
            case "wasserstein":
            case "wgan":
                return WASSERSTEIN;
            default:
                throw new IllegalArgumentException("GanLoss: unknown loss '" + name
                        + "' (minimax, non-saturating, hinge or wasserstein)");
        }
    }

    /** The command-line name. */
    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private void checkLogits(String argument, Tensor logits) {
        if (logits.rank() != 1 || logits.size(0) < 1) {
            throw new IllegalArgumentException("GanLoss." + name() + ": " + argument
                    + " must be a non-empty vector (N), got " + Shape.format(logits.shape()));
        }
    }
}
