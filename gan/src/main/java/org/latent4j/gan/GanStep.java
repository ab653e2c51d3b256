package org.latent4j.gan;

import java.util.function.Supplier;
import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.nn.Module;
import org.latent4j.core.ops.Activations;
import org.latent4j.core.ops.Shapes;
import org.latent4j.core.optim.Optimizer;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * One round of alternating GAN updates (Goodfellow et al., 2014, Algorithm 1): {@code discriminatorSteps}
 * updates of D on a real batch and a generated batch, then one update of G through the (frozen) discriminator.
 * As in PyTorch's DCGAN example, the last discriminator step's generated batch is reused for the generator step
 * (detached for D, through D for G), so G runs forward once per round, and D scores the real and generated
 * batches in one call — the discriminator must therefore score each sample independently of the rest of its
 * batch (no batch norm; {@link MlpDiscriminator} and {@link DcganDiscriminator} do). An optional gradient penalty
 * ({@link GradientPenalty}) is added to D's loss.
 *
 * <p>The two optimizers may be the same instance (one {@link org.latent4j.core.optim.Adam} with a group per
 * network, {@link Gan#adam}): in each phase only the trained network has gradients, the other is frozen, and
 * gradients are cleared after each update, so a step never moves the other network.
 *
 * <pre>{@code
 * Gan gan = new Gan(new MlpGenerator(cfg, rng), new MlpDiscriminator(cfg, rng));
 * Adam adam = gan.adam(2e-4, 2e-4, 0.5, 0.999);
 * GanStep step = new GanStep(gan.generator(), gan.discriminator(), adam, adam, GanStep.Options.defaults());
 * GanStep.Result r = step.run(() -> nextRealBatch(), rng);     // r.dReal() → 0.5 at equilibrium
 * }</pre>
 */
public final class GanStep {
    /**
     * @param loss               the adversarial objective
     * @param discriminatorSteps k, discriminator updates per generator update (≥ 1)
     * @param penalty            added to the discriminator's loss
     */
    public record Options(GanLoss loss, int discriminatorSteps, GradientPenalty.Options penalty) {
        public Options {
            if (loss == null || penalty == null) {
                throw new IllegalArgumentException("GanStep.Options: loss and penalty must not be null");
            }
            if (discriminatorSteps < 1) {
                throw new IllegalArgumentException("GanStep.Options: discriminatorSteps must be >= 1, got "
                        + discriminatorSteps);
            }
        }

        /** Non-saturating loss, one discriminator step per generator step, no penalty. */
        public static Options defaults() {
            return new Options(GanLoss.NON_SATURATING, 1, GradientPenalty.Options.none());
        }

        public Options withLoss(GanLoss value) {
            return new Options(value, discriminatorSteps, penalty);
        }

        public Options withDiscriminatorSteps(int value) {
            return new Options(loss, value, penalty);
        }

        public Options withPenalty(GradientPenalty.Options value) {
            return new Options(loss, discriminatorSteps, value);
        }
    }

    /**
     * What a round measured: mean D(x) = σ(logit) on the last real batch and mean D(G(z)) on the generated batch
     * before D's update and after it (in the generator step), D's loss (penalty included) and G's loss, and the
     * unweighted penalty (0 without one).
     */
    public record Result(double dReal, double dFake, double dFakeAfter, double discriminatorLoss, double generatorLoss,
            double penalty) {
        /** By name, for metrics logs: d_real, d_fake, d_fake_after, d_loss, g_loss (and penalty when used). */
        public java.util.Map<String, Double> toMap(boolean withPenalty) {
            java.util.LinkedHashMap<String, Double> m = new java.util.LinkedHashMap<>();
            m.put("d_loss", discriminatorLoss);
            m.put("g_loss", generatorLoss);
            m.put("d_real", dReal);
            m.put("d_fake", dFake);
            m.put("d_fake_after", dFakeAfter);
            if (withPenalty) {
                m.put("penalty", penalty);
            }
            return m;
        }
    }

    private final Generator generator;
    private final Discriminator discriminator;
    private final Optimizer generatorOptimizer;
    private final Optimizer discriminatorOptimizer;
    private final Options options;

    public GanStep(Generator generator, Discriminator discriminator, Optimizer generatorOptimizer,
            Optimizer discriminatorOptimizer, Options options) {
        if (generator == null || discriminator == null || generatorOptimizer == null || discriminatorOptimizer == null
                || options == null) {
            throw new IllegalArgumentException("GanStep: generator, discriminator, both optimizers and options must "
                    + "not be null");
        }
        this.generator = generator;
        this.discriminator = discriminator;
        this.generatorOptimizer = generatorOptimizer;
        this.discriminatorOptimizer = discriminatorOptimizer;
        this.options = options;
    }

    public Options options() {
        return options;
    }

    /**
     * Runs one round: k discriminator updates, each on a batch from {@code realBatches} and as many generated
     * samples (codes drawn from {@code rng}), then one generator update.
     */
    public Result run(Supplier<Tensor> realBatches, Rng rng) {
        clearGrads(generator);
        clearGrads(discriminator);
        Tensor fake = null;
        double dReal = 0;
        double dFake = 0;
        double dLoss = 0;
        double penalty = 0;
        for (int i = 0; i < options.discriminatorSteps(); i++) {
            Tensor real = realBatches.get();
            if (real == null || real.rank() < 2) {
                throw new IllegalArgumentException("GanStep: a real batch must be (N, …), got "
                        + (real == null ? "null" : Shape.format(real.shape())));
            }
            int n = (int) real.size(0);
            Tensor z = generator.latent(rng, n);
            if (i == options.discriminatorSteps() - 1) {
                fake = generator.forward(z);                             // kept in the graph for G's step
            } else {
                try (GradMode.Scope ng = GradMode.noGrad()) {
                    fake = generator.forward(z);
                }
            }
            if (fake.size(0) != n || !java.util.Arrays.equals(fake.shape(), real.shape())) {
                throw new IllegalArgumentException("GanStep: the generator made " + Shape.format(fake.shape())
                        + " for a real batch " + Shape.format(real.shape()));
            }
            // one forward over both batches: D treats samples independently, and each call has a fixed cost
            Tensor logits = discriminator.forward(Shapes.concat(0, real, fake.detach()));    // (2N)
            Tensor realLogits = Shapes.slice(logits, 0, 0, n);
            Tensor fakeLogits = Shapes.slice(logits, 0, n, 2L * n);
            Tensor loss = options.loss().discriminator(realLogits, fakeLogits);
            if (options.penalty().kind() != GradientPenalty.Kind.NONE) {
                Tensor p = options.penalty().kind() == GradientPenalty.Kind.WGAN_GP
                        ? GradientPenalty.wganGp(discriminator, real, fake, rng)
                        : GradientPenalty.r1(discriminator, real);
                penalty = p.item();
                double w = options.penalty().kind() == GradientPenalty.Kind.R1 ? options.penalty().weight() / 2
                        : options.penalty().weight();
                loss = loss.add(p.mul(w));
            }
            dReal = meanProbability(realLogits);
            dFake = meanProbability(fakeLogits);
            dLoss = loss.item();
            loss.backward();
            discriminatorOptimizer.step();
            clearGrads(discriminator);
        }
        double gLoss;
        double dFakeAfter;
        discriminator.freeze();
        try {
            Tensor fakeLogits = discriminator.forward(fake);
            Tensor loss = options.loss().generator(fakeLogits);
            dFakeAfter = meanProbability(fakeLogits);
            gLoss = loss.item();
            loss.backward();
            generatorOptimizer.step();
        } finally {
            clearGrads(generator);
            discriminator.unfreeze();
        }
        return new Result(dReal, dFake, dFakeAfter, dLoss, gLoss, penalty);
    }

    private static double meanProbability(Tensor logits) {
        try (GradMode.Scope ng = GradMode.noGrad()) {
            return Activations.sigmoid(logits.detach()).mean().item();
        }
    }

    /** Frees every parameter's gradient (back to the buffer pool), so no optimizer step sees a stale one. */
    private static void clearGrads(Module m) {
        for (Tensor p : m.parameters()) {
            p.clearGrad();
        }
    }
}
