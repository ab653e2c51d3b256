/*
 * A GAN in one runnable file: an MLP generator and discriminator on a 2-D mixture (the ring of 8 or the grid of 25
 * Gaussians), or a DCGAN on scikit-learn's 8×8 digits, trained with alternating updates (GanStep: k discriminator
 * steps per generator step, one Adam with a group per network, betas (0.5, 0.999)) through the core Trainer, so a
 * checkpoint holds both networks, both networks' Adam moments and the RNG, and --resume continues the same run.
 * Writes to the run directory: samples-step-NNNNN.png (2-D: generated points over the data at a few points of
 * training; images: a grid of samples from fixed codes), samples.png (the final samples), modes.png (per-mode
 * histogram of high-quality samples, 2-D), d-outputs.png (mean D(x) and D(G(z)) per step with the 0.5 line),
 * loss.png, metrics.csv, metrics.json, index.html and checkpoint/.
 *
 * Run:  ./latent4j gan                                       (ring of 8, non-saturating loss, 3000 steps)
 *       ./latent4j gan --data grid --steps 6000 --out runs/gan-grid
 *       ./latent4j gan --data digits --loss hinge --steps 2000 --out runs/gan-digits
 *       ./latent4j gan --steps 3000 --resume                  (continues runs/gan to 3000 steps)
 */
package org.latent4j.examples;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.data.Digits;
import org.latent4j.core.data.ToyDatasets;
import org.latent4j.core.ops.Indexing;
import org.latent4j.core.optim.Adam;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.train.Trainer;
import org.latent4j.core.viz.GridOptions;
import org.latent4j.core.viz.ImageGrid;
import org.latent4j.core.viz.Plots;
import org.latent4j.core.viz.RunIndex;
import org.latent4j.core.viz.Series;
import org.latent4j.gan.DcganConfig;
import org.latent4j.gan.DcganDiscriminator;
import org.latent4j.gan.DcganGenerator;
import org.latent4j.gan.Gan;
import org.latent4j.gan.GanLoss;
import org.latent4j.gan.GanStep;
import org.latent4j.gan.GradientPenalty;
import org.latent4j.gan.MlpDiscriminator;
import org.latent4j.gan.MlpGanConfig;
import org.latent4j.gan.MlpGenerator;
import org.latent4j.gan.ModeCoverage;

public final class GanExample {
    private GanExample() {
    }

    /**
     * @param data          ring, grid or digits
     * @param loss          minimax, non-saturating, hinge or wasserstein
     * @param penalty       none, wgan-gp or r1 (added to the discriminator's loss with weight {@code penaltyWeight})
     * @param std           standard deviation of each Gaussian of the 2-D mixtures (the data's σ, and the 3σ
     *                      radius of the mode-coverage measure)
     * @param discriminatorSteps k, discriminator updates per generator update
     * @param snapshots     how many sample pictures to write during training
     * @param samples       samples drawn at the end to measure mode coverage (2-D) or to show (images)
     */
    public record Options(String data, String loss, String penalty, double penaltyWeight, int steps, int batchSize,
            double lr, int discriminatorSteps, double std, int snapshots, int samples, long seed, Path out,
            int checkpointEvery, Trainer.Resume resume, Trainer.Progress progress) {
        public Options {
            if (!data.matches("ring|grid|digits")) {
                throw new Cli.BadInputException("gan: --data must be ring, grid or digits, got " + data);
            }
            if (!penalty.matches("none|wgan-gp|r1")) {
                throw new Cli.BadInputException("gan: --penalty must be none, wgan-gp or r1, got " + penalty);
            }
            if (steps < 1 || batchSize < 1 || discriminatorSteps < 1 || samples < 1 || snapshots < 0 || !(lr > 0)) {
                throw new Cli.BadInputException("gan: steps, batch size, discriminator steps and samples must be >= 1, "
                        + "snapshots >= 0 and lr > 0");
            }
            if (!(std > 0)) {
                throw new Cli.BadInputException("gan: --std must be positive, got " + std);
            }
            try {
                GanLoss.parse(loss);
            } catch (IllegalArgumentException e) {
                throw new Cli.BadInputException("gan: " + e.getMessage());
            }
        }

        /** The ring of 8 (σ 0.05), non-saturating loss, 1500 steps of batch 256, Adam lr 2e-3 (RingQualityTest's recipe). */
        public static Options defaults() {
            return new Options("ring", "non-saturating", "none", 0, 1500, 256, 2e-3, 1, 0.05, 4, 2500, 0,
                    Path.of("runs", "gan"), 500, Trainer.Resume.FRESH, Trainer.Progress.BAR);
        }

        public Options withSteps(int n) {
            return new Options(data, loss, penalty, penaltyWeight, n, batchSize, lr, discriminatorSteps, std, snapshots,
                    samples, seed, out, checkpointEvery, resume, progress);
        }

        public Options withOut(Path dir) {
            return new Options(data, loss, penalty, penaltyWeight, steps, batchSize, lr, discriminatorSteps, std,
                    snapshots, samples, seed, dir, checkpointEvery, resume, progress);
        }

        public Options withResume(Trainer.Resume r) {
            return new Options(data, loss, penalty, penaltyWeight, steps, batchSize, lr, discriminatorSteps, std,
                    snapshots, samples, seed, out, checkpointEvery, r, progress);
        }

        boolean isPoints() {
            return !data.equals("digits");
        }
    }

    /** Measured numbers (mode coverage for 2-D data, D(x) and D(G(z)) over the last tenth of training). */
    public record Result(Map<String, Object> metrics, Path runDir) {
    }

    static Tensor load(Options o, Rng rng) {
        switch (o.data()) {
            case "ring":
                return ToyDatasets.ring(rng, 8192, o.std()).field(0);
            case "grid":
                return ToyDatasets.grid(rng, 8192, o.std()).field(0);
            default:
                try {
                    return Digits.load().field(0).mul(2.0).sub(1.0);               // (N, 1, 8, 8) in [-1, 1]
                } catch (IOException e) {
                    throw new Cli.BadInputException("gan: " + e.getMessage());
                }
        }
    }

    static double[][] modes(String data) {
        return data.equals("ring") ? ToyDatasets.ringModes() : ToyDatasets.gridModes();
    }

    static Gan build(Options o, Rng rng) {
        if (o.isPoints()) {
            MlpGanConfig c = MlpGanConfig.toy2d();
            return new Gan(new MlpGenerator(c, rng), new MlpDiscriminator(c, rng));
        }
        DcganConfig c = DcganConfig.digits8();
        return new Gan(new DcganGenerator(c, rng), new DcganDiscriminator(c, rng));
    }

    static GradientPenalty.Options penalty(Options o) {
        return switch (o.penalty()) {
            case "wgan-gp" -> GradientPenalty.Options.wganGp(o.penaltyWeight());
            case "r1" -> GradientPenalty.Options.r1(o.penaltyWeight());
            default -> GradientPenalty.Options.none();
        };
    }

    public static Result run(Options o) {
        Rng rng = new Rng(o.seed());
        Tensor data = load(o, rng.split());
        Gan gan = build(o, rng.split());
        Adam adam = gan.adam(o.lr(), o.lr(), 0.5, 0.999);
        GanStep step = new GanStep(gan.generator(), gan.discriminator(), adam, adam,
                new GanStep.Options(GanLoss.parse(o.loss()), o.discriminatorSteps(), penalty(o)));
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        config.put("data", o.data()).put("loss", o.loss()).put("penalty", o.penalty())
                .put("penaltyWeight", o.penaltyWeight()).put("std", o.std()).put("seed", o.seed())
                .put("discriminatorSteps", o.discriminatorSteps()).put("lr", o.lr()).put("batchSize", o.batchSize());
        Trainer trainer = new Trainer(Trainer.Options.of(o.out(), o.steps()).withProgress(o.progress())
                .withResume(o.resume()).withCheckpointEvery(o.checkpointEvery() > 0 ? o.checkpointEvery() : o.steps()),
                gan, adam, rng, config);
        // fixed codes for the pictures, drawn apart from the training RNG so pictures do not change the run
        Tensor fixedZ = gan.generator().latent(new Rng(o.seed() + 1), o.isPoints() ? 1000 : 64);
        Tensor shown = o.isPoints() ? Indexing.indexSelect(data, 0, Tensor.ofLongs(range(1000), 1000)) : null;
        long snapEvery = o.snapshots() > 0 ? Math.max(1, o.steps() / o.snapshots()) : 0;
        long n = data.size(0);
        boolean withPenalty = !o.penalty().equals("none");
        trainer.fit(s -> {
            GanStep.Result r = step.run(() -> {
                long[] idx = new long[o.batchSize()];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = rng.nextLong(n);
                }
                return Indexing.indexSelect(data, 0, Tensor.ofLongs(idx, idx.length));
            }, rng);
            if (snapEvery > 0 && (s + 1) % snapEvery == 0 && s + 1 < o.steps()) {
                picture(o, gan, fixedZ, shown, o.out().resolve(String.format(Locale.ROOT, "samples-step-%05d.png", s + 1)),
                        "step " + (s + 1));
            }
            return r.toMap(withPenalty);
        });

        Map<String, Object> eval = new LinkedHashMap<>();
        double[] dReal = trainer.metrics().values("d_real");
        double[] dFake = trainer.metrics().values("d_fake");
        eval.put("d_real_last_tenth", tailMean(dReal));
        eval.put("d_fake_last_tenth", tailMean(dFake));
        eval.put("parameters_generator", gan.generator().numParameters());
        eval.put("parameters_discriminator", gan.discriminator().numParameters());
        picture(o, gan, fixedZ, shown, o.out().resolve("samples.png"), "final, step " + o.steps());
        if (o.isPoints()) {
            Tensor x;
            gan.generator().eval();
            try (GradMode.Scope ng = GradMode.noGrad()) {
                x = gan.generator().sample(new Rng(o.seed() + 2), o.samples());
            }
            ModeCoverage c = ModeCoverage.measure(x, modes(o.data()), o.std());
            eval.put("modes_covered", c.modesCovered());
            eval.put("modes", c.numModes());
            eval.put("high_quality_fraction", c.highQualityFraction());
            eval.put("mode_kl", c.modeKl());
            eval.put("mode_counts", java.util.Arrays.toString(c.counts()));
            modeHistogram(o.out().resolve("modes.png"), c);
        } else {
            ImageGrid.write(o.out().resolve("data.png"), Indexing.indexSelect(data, 0, Tensor.ofLongs(range(64), 64)),
                    GridOptions.defaults().withColumns(8));
        }
        trainer.writeSummary(eval);
        double[] x = java.util.Arrays.stream(trainer.metrics().steps()).asDoubleStream().toArray();
        double[] half = new double[x.length];
        java.util.Arrays.fill(half, 0.5);
        Plots.writeLines(o.out().resolve("d-outputs.png"), "discriminator outputs (equilibrium: 0.5)", "step",
                "mean sigmoid(D)", List.of(new Series("D(x)", x, dReal), new Series("D(G(z))", x, dFake),
                        new Series("0.5", x, half)), Plots.AxisScale.LINEAR);
        RunIndex.write(o.out(), "GAN on " + o.data() + " (" + o.loss() + ")", eval);
        return new Result(eval, o.out());
    }

    /** 2-D: generated points over the data; images: a grid of samples from the fixed codes. */
    static void picture(Options o, Gan gan, Tensor z, Tensor shown, Path png, String title) {
        Tensor x;
        boolean training = gan.generator().isTraining();
        gan.generator().eval();
        try (GradMode.Scope ng = GradMode.noGrad()) {
            x = gan.generator().forward(z);
        } finally {
            if (training) {
                gan.generator().train();
            }
        }
        if (o.isPoints()) {
            Plots.writeScatter(png, "GAN samples, " + title, List.of(Series.ofPoints("data", shown),
                    Series.ofPoints("generated", x)));
        } else {
            ImageGrid.write(png, x, GridOptions.defaults().withColumns(8));
        }
    }

    /** Bars of high-quality samples per mode, with the even share marked. */
    static void modeHistogram(Path png, ModeCoverage c) {
        int k = c.numModes();
        int w = 60 + 40 * k;
        int h = 320;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        long max = Math.max(1, c.samples() / k);
        for (long v : c.counts()) {
            max = Math.max(max, v);
        }
        int base = h - 40;
        int top = 40;
        for (int m = 0; m < k; m++) {
            int bar = (int) Math.round((base - top) * (double) c.counts()[m] / max);
            g.setColor(c.counts()[m] >= c.minCount() ? new Color(60, 110, 190) : new Color(200, 80, 60));
            g.fillRect(40 + 40 * m, base - bar, 30, bar);
            g.setColor(Color.BLACK);
            g.drawString(Integer.toString(m), 50 + 40 * m, base + 15);
        }
        int even = base - (int) Math.round((base - top) * (double) c.samples() / k / max);
        int threshold = base - (int) Math.round((base - top) * (double) c.minCount() / max);
        g.setColor(Color.GRAY);
        g.drawLine(30, even, w - 10, even);
        g.drawString("even share", w - 80, even - 3);
        g.drawLine(30, threshold, w - 10, threshold);
        g.drawString("covered", w - 80, threshold - 3);
        g.setColor(Color.BLACK);
        g.drawString(String.format(Locale.ROOT, "%d/%d modes covered, %.1f%% of samples high quality",
                c.modesCovered(), k, 100 * c.highQualityFraction()), 10, 20);
        g.dispose();
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            javax.imageio.ImageIO.write(img, "png", png.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double tailMean(double[] v) {
        int from = v.length - Math.max(1, v.length / 10);
        double s = 0;
        for (int i = from; i < v.length; i++) {
            s += v[i];
        }
        return s / (v.length - from);
    }

    static long[] range(int n) {
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    public static void main(String[] args) {
        Cli.runSubcommand("gan", args);
    }
}
