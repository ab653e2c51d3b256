package org.latent4j.examples;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.latent4j.core.train.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latent4j nerf}: the command-line face of {@link NerfExample}. */
@Command(name = "nerf", mixinStandardHelpOptions = true,
        description = "Train a NeRF on views of a built-in scene; writes held-out views, depth maps, an orbit of "
                + "novel views, PSNR and loss plots, metrics.json and index.html under runs/nerf/.")
public final class NerfCommand implements Callable<Integer> {
    private static final NerfExample.Options D = NerfExample.Options.defaults();

    @Option(names = "--size", description = "width and height of the views in pixels (default ${DEFAULT-VALUE})")
    int size = D.size();

    @Option(names = "--views", description = "training views (default ${DEFAULT-VALUE})")
    int views = D.views();

    @Option(names = "--test-views", description = "held-out views (default ${DEFAULT-VALUE})")
    int testViews = D.testViews();

    @Option(names = "--steps", description = "training steps (default ${DEFAULT-VALUE})")
    int steps = D.steps();

    @Option(names = "--batch-size", description = "rays per step (default ${DEFAULT-VALUE})")
    int batchSize = D.batchSize();

    @Option(names = "--coarse", description = "stratified samples per ray (default ${DEFAULT-VALUE})")
    int coarse = D.coarse();

    @Option(names = "--fine", description = "hierarchical samples per ray for a fine network, 0 for none "
            + "(default ${DEFAULT-VALUE})")
    int fine = D.fine();

    @Option(names = "--width", description = "width of the MLP (default ${DEFAULT-VALUE})")
    int width = D.width();

    @Option(names = "--lr", description = "Adam learning rate, cosine-decayed to a tenth (default ${DEFAULT-VALUE})")
    double lr = D.lr();

    @Option(names = "--orbit-frames", description = "novel views in orbit.png (default ${DEFAULT-VALUE})")
    int orbitFrames = D.orbitFrames();

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
        NerfExample.Options o;
        try {
            o = new NerfExample.Options(size, views, testViews, steps, batchSize, coarse, fine, width, lr, orbitFrames,
                    seed, out, resume ? Trainer.Resume.LATEST : Trainer.Resume.FRESH, Trainer.Progress.BAR);
        } catch (IllegalArgumentException e) {
            throw new Cli.BadInputException(e.getMessage());
        }
        NerfExample.Result r = NerfExample.run(o);
        spec.commandLine().getOut().printf(Locale.ROOT,
                "nerf: held-out PSNR %.2f dB (mean-colour baseline %.2f dB), loss %.5f; open %s%n", r.heldOutPsnr(),
                r.baselinePsnr(), r.loss(), r.runDir().resolve("index.html"));
        return 0;
    }
}
