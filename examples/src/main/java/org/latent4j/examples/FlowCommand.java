package org.latent4j.examples;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.latent4j.core.train.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latent4j flow}: the command-line face of {@link FlowExample}. */
@Command(name = "flow", mixinStandardHelpOptions = true,
        description = "Train a normalizing flow (RealNVP or MAF on two moons, Glow-style on 8×8 digits) by exact "
                + "maximum likelihood; writes density, samples, latent view, loss plot, metrics.json, index.html.")
public final class FlowCommand implements Callable<Integer> {
    private static final FlowExample.Options D = FlowExample.Options.defaults();

    @Option(names = "--data", description = "moons or digits (default ${DEFAULT-VALUE})")
    String data = D.data();

    @Option(names = "--model", description = "realnvp or maf, for moons (default ${DEFAULT-VALUE})")
    String model = D.model();

    @Option(names = "--steps", description = "training steps (default: 600 for moons, 400 for digits)")
    int steps = D.steps();

    @Option(names = "--batch-size", description = "examples per step (default ${DEFAULT-VALUE})")
    int batchSize = D.batchSize();

    @Option(names = "--lr", description = "Adam learning rate (default ${DEFAULT-VALUE})")
    double lr = D.lr();

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
        FlowExample.Options o;
        try {
            o = new FlowExample.Options(data, model, steps, batchSize, lr, seed, out,
                    resume ? Trainer.Resume.LATEST : Trainer.Resume.FRESH, Trainer.Progress.BAR);
        } catch (IllegalArgumentException e) {
            throw new Cli.BadInputException(e.getMessage());
        }
        FlowExample.Result r = FlowExample.run(o);
        StringBuilder line = new StringBuilder("flow:");
        for (Map.Entry<String, Object> e : r.metrics().entrySet()) {
            line.append(String.format(Locale.ROOT, " %s %.4f;", e.getKey(), ((Number) e.getValue()).doubleValue()));
        }
        spec.commandLine().getOut().printf("%s open %s%n", line, r.runDir().resolve("index.html"));
        return 0;
    }
}
