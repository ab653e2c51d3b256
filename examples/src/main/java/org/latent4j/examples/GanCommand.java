package org.latent4j.examples;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.latent4j.core.train.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latent4j gan}: the command line of {@link GanExample}. */
@Command(name = "gan", mixinStandardHelpOptions = true,
        description = "Train a GAN (MLP on the ring of 8 / grid of 25, DCGAN on 8x8 digits); writes sample plots, "
                + "the mode histogram, D(x)/D(G(z)) and loss curves, metrics.json, index.html and checkpoint/.")
final class GanCommand implements Callable<Integer> {
    private static final GanExample.Options D = GanExample.Options.defaults();

    @Option(names = "--data", description = "ring, grid or digits (default ${DEFAULT-VALUE})")
    String data = D.data();
    @Option(names = "--loss", description = "minimax, non-saturating, hinge or wasserstein (default ${DEFAULT-VALUE})")
    String loss = D.loss();
    @Option(names = "--penalty", description = "none, wgan-gp or r1 (default ${DEFAULT-VALUE})")
    String penalty = D.penalty();
    @Option(names = "--penalty-weight", description = "lambda of WGAN-GP, gamma of R1 (default ${DEFAULT-VALUE})")
    double penaltyWeight = D.penaltyWeight();
    @Option(names = "--steps", description = "generator updates (default ${DEFAULT-VALUE})")
    int steps = D.steps();
    @Option(names = "--batch-size", description = "real (and generated) samples per batch (default ${DEFAULT-VALUE})")
    int batchSize = D.batchSize();
    @Option(names = "--lr", description = "Adam learning rate of both networks (default ${DEFAULT-VALUE})")
    double lr = D.lr();
    @Option(names = "--d-steps", description = "discriminator updates per generator update (default ${DEFAULT-VALUE})")
    int discriminatorSteps = D.discriminatorSteps();
    @Option(names = "--std", description = "std of each Gaussian of the 2-D mixtures (default ${DEFAULT-VALUE})")
    double std = D.std();
    @Option(names = "--snapshots", description = "sample pictures written during training (default ${DEFAULT-VALUE})")
    int snapshots = D.snapshots();
    @Option(names = "--samples", description = "samples measured at the end (default ${DEFAULT-VALUE})")
    int samples = D.samples();
    @Option(names = "--seed", description = "random seed (default ${DEFAULT-VALUE})")
    long seed = D.seed();
    @Option(names = "--out", description = "run directory (default ${DEFAULT-VALUE})")
    Path out = D.out();
    @Option(names = "--checkpoint-every", description = "checkpoint every N steps (default ${DEFAULT-VALUE})")
    int checkpointEvery = D.checkpointEvery();
    @Option(names = "--resume", description = "continue from the run directory's checkpoint")
    boolean resume;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        GanExample.Result r = GanExample.run(new GanExample.Options(data, loss, penalty, penaltyWeight, steps,
                batchSize, lr, discriminatorSteps, std, snapshots, samples, seed, out, checkpointEvery,
                resume ? Trainer.Resume.LATEST : Trainer.Resume.FRESH, Trainer.Progress.BAR));
        Cli.printValues(spec.commandLine().getOut(), r.metrics());
        spec.commandLine().getOut().println("open " + r.runDir().resolve("index.html"));
        return 0;
    }
}
