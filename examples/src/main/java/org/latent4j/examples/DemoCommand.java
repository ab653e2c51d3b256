package org.latent4j.examples;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.latent4j.core.train.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code latent4j demo}: trains each bundled example with its default settings on built-in data (nothing
 * is downloaded) and writes every run under {@code runs/<example>/}, each with an {@code index.html} to open.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Train small models on built-in data; outputs (images, plots, metrics, index.html) under runs/.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", description = "parent folder of the runs (default ${DEFAULT-VALUE})")
    Path out = Path.of("runs");

    @Option(names = "--quick", description = "a few steps per example, to check that everything runs")
    boolean quick;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        TwoMoonsClassifier.Options d = TwoMoonsClassifier.Options.defaults();
        TwoMoonsClassifier.Result moons = TwoMoonsClassifier.run(new TwoMoonsClassifier.Options(
                quick ? 20 : d.steps(), d.batchSize(), d.hidden(), d.lr(), d.samples(), d.seed(),
                out.resolve("two-moons"), Trainer.Resume.FRESH, Trainer.Progress.BAR));
        w.printf(Locale.ROOT, "two-moons   loss %.4f  accuracy %.3f  %s%n", moons.loss(), moons.accuracy(),
                moons.runDir().resolve("index.html"));
        w.flush();
        // A 2-D diffusion model on two moons: DDPM-1000 and DDIM-50 samples scored by energy distance.
        DiffusionExample.Result diffusion = DiffusionExample.run(new DiffusionExample.Options("moons", "tiny", "none",
                quick ? 20 : 400, quick ? 100 : 1000, quick ? 200 : 1000, 3.0, 0, out.resolve("diffusion-moons"), 0, 0, 0,
                null, 0));
        w.printf(Locale.ROOT, "diffusion   %s  %s%n", diffusion.metrics(), diffusion.runDir().resolve("index.html"));
        w.flush();
        // A GAN on the ring of 8 Gaussians: modes covered and the fraction of samples within 3 sigma of a mode.
        GanExample.Result gan = GanExample.run(GanExample.Options.defaults().withSteps(quick ? 20 : 1500)
                .withOut(out.resolve("gan-ring")));
        w.printf(Locale.ROOT, "gan         modes %s/8  high quality %s  %s%n", gan.metrics().get("modes_covered"),
                gan.metrics().get("high_quality_fraction"), gan.runDir().resolve("index.html"));
        // An MLP VAE on the built-in 16x16 figures (no download): reconstructions, samples, interpolations,
        // held-out ELBO and IW log p(x).
        VaeExample.Options v = VaeExample.Options.defaults();
        VaeExample.Result vae = VaeExample.run(new VaeExample.Options("shapes", v.arch(), v.latentDim(), v.beta(),
                v.condition(), quick ? 20 : 600, v.batchSize(), v.lr(), quick ? 5 : v.importanceSamples(),
                v.trainLimit(), v.seed(), out.resolve("vae"), Trainer.Resume.FRESH, Trainer.Progress.BAR));
        w.printf(Locale.ROOT, "vae         held-out ELBO %.2f nats  IW log-likelihood %.2f nats  %s%n",
                vae.heldOutElbo(), vae.importanceWeighted(), vae.runDir().resolve("index.html"));
        // A RealNVP flow on two moons: exact held-out log-likelihood, density heat map, samples, latent view.
        FlowExample.Options fd = FlowExample.Options.defaults();
        FlowExample.Result flow = FlowExample.run(new FlowExample.Options("moons", "realnvp", quick ? 20 : 300,
                fd.batchSize(), fd.lr(), fd.seed(), out.resolve("flow-moons"), Trainer.Resume.FRESH,
                Trainer.Progress.BAR));
        w.printf(Locale.ROOT, "flow        %s  %s%n", flow.metrics(), flow.runDir().resolve("index.html"));
        // NeRF on 20×20 views of the built-in analytic scene: held-out PSNR against the mean-colour baseline.
        NerfExample.Options n = NerfExample.Options.defaults();
        NerfExample.Result nerf = NerfExample.run(new NerfExample.Options(n.size(), n.views(), n.testViews(),
                quick ? 20 : n.steps(), n.batchSize(), n.coarse(), n.fine(), n.width(), n.lr(), quick ? 4 : n.orbitFrames(),
                n.seed(), out.resolve("nerf"), Trainer.Resume.FRESH, Trainer.Progress.BAR));
        w.printf(Locale.ROOT, "nerf        held-out PSNR %.2f dB (baseline %.2f dB)  %s%n", nerf.heldOutPsnr(),
                nerf.baselinePsnr(), nerf.runDir().resolve("index.html"));
        w.flush();
        return 0;
    }
}
