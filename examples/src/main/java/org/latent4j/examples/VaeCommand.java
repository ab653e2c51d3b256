package org.latent4j.examples;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.latent4j.core.train.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latent4j vae}: the command line of {@link VaeExample}. */
@Command(name = "vae", mixinStandardHelpOptions = true,
        description = "Train a variational autoencoder on digits or Fashion-MNIST; writes reconstructions, samples, "
                + "interpolations, held-out ELBO and importance-weighted log-likelihood, index.html and checkpoint/.")
final class VaeCommand implements Callable<Integer> {
    private static final VaeExample.Options D = VaeExample.Options.defaults();

    @Option(names = "--data", description = "digits (python3-sklearn), fashion-mnist (dataset-fashion-mnist) or shapes "
            + "(built in, no download) (default ${DEFAULT-VALUE})")
    String data = D.data();
    @Option(names = "--arch", description = "mlp or conv (default ${DEFAULT-VALUE})")
    String arch = D.arch();
    @Option(names = "--latent", description = "latent dimensions; 2 also draws latent.png and latent-map.png "
            + "(default: 8 for digits, 16 for fashion-mnist)")
    int latent = D.latentDim();
    @Option(names = "--beta", description = "weight of the KL term, above 1 for a beta-VAE (default ${DEFAULT-VALUE})")
    double beta = D.beta();
    @Option(names = "--condition", description = "none or label (a conditional VAE) (default ${DEFAULT-VALUE})")
    String condition = D.condition();
    @Option(names = "--steps", description = "training steps (default ${DEFAULT-VALUE})")
    int steps = D.steps();
    @Option(names = "--batch-size", description = "images per step (default ${DEFAULT-VALUE})")
    int batchSize = D.batchSize();
    @Option(names = "--lr", description = "Adam learning rate (default ${DEFAULT-VALUE})")
    double lr = D.lr();
    @Option(names = "--iw-samples", description = "K of the importance-weighted log-likelihood (default ${DEFAULT-VALUE})")
    int importanceSamples = D.importanceSamples();
    @Option(names = "--train-limit", description = "use at most this many training images (default: all)")
    int trainLimit = D.trainLimit();
    @Option(names = "--seed", description = "random seed (default ${DEFAULT-VALUE})")
    long seed = D.seed();
    @Option(names = "--out", description = "run directory (default ${DEFAULT-VALUE})")
    Path out = D.out();
    @Option(names = "--resume", description = "continue from the checkpoint in the run directory")
    boolean resume;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        VaeExample.Options o;
        try {
            o = new VaeExample.Options(data, arch, latent, beta, condition, steps, batchSize, lr, importanceSamples,
                    trainLimit, seed, out, resume ? Trainer.Resume.LATEST : Trainer.Resume.FRESH, Trainer.Progress.BAR);
        } catch (IllegalArgumentException e) {
            throw new Cli.BadInputException(e.getMessage());
        }
        VaeExample.Result r = VaeExample.run(o);
        spec.commandLine().getOut().printf(Locale.ROOT, "vae: held-out ELBO %.3f nats, IW log-likelihood %.3f nats "
                + "(%.4f bits/dim), KL %.3f nats; open %s%n", r.heldOutElbo(), r.importanceWeighted(), r.bitsPerDim(),
                r.kl(), r.runDir().resolve("index.html"));
        return 0;
    }
}
