package org.latent4j.gan;

import org.latent4j.core.nn.Module;
import org.latent4j.core.optim.Adam;
import org.latent4j.core.optim.ParamGroup;

/**
 * A generator and a discriminator held as one module, so one state dict (PyTorch names
 * {@code generator.net.0.weight, discriminator.net.0.weight, …}) checkpoints both, and {@link #adam} builds one
 * optimizer with a parameter group per network whose state dict round-trips both networks' moments. Training
 * alternates between the networks ({@link GanStep}), so one Adam over both behaves as two: each phase steps only
 * the network that has gradients, the other being frozen.
 */
public final class Gan extends Module {
    private final Generator generator;
    private final Discriminator discriminator;

    public Gan(Generator generator, Discriminator discriminator) {
        if (generator == null || discriminator == null) {
            throw new IllegalArgumentException("Gan: generator and discriminator must not be null");
        }
        this.generator = registerModule("generator", generator);
        this.discriminator = registerModule("discriminator", discriminator);
    }

    public Generator generator() {
        return generator;
    }

    public Discriminator discriminator() {
        return discriminator;
    }

    /**
     * Adam with group 0 = the generator (learning rate {@code generatorLr}) and group 1 = the discriminator
     * ({@code discriminatorLr}), both with betas (β₁, β₂) — DCGAN's choice is (0.5, 0.999), lr 2e-4.
     */
    public Adam adam(double generatorLr, double discriminatorLr, double beta1, double beta2) {
        return new Adam(Adam.Options.defaults().withBetas(beta1, beta2),
                ParamGroup.of(generator.parameters()).withLr(generatorLr),
                ParamGroup.of(discriminator.parameters()).withLr(discriminatorLr));
    }
}
