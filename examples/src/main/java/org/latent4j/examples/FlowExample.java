/*
 * A normalizing flow in one runnable file: RealNVP (or MAF) on two moons, or a one-scale Glow on scikit-learn's
 * 8×8 digits, trained by maximum likelihood (the exact log p(x) by the change of variables) with the Trainer
 * (progress bar, metrics.csv, checkpoints, --resume).
 * Two moons writes to the run directory: density.png (the learned density p(x) over the plane, the held-out
 * points on top), data.png (a histogram of the training points), samples.png (samples x = f⁻¹(z) beside the
 * data), latent.png (the held-out points mapped to z = f(x) beside N(0, I) draws: it should look Gaussian),
 * loss.png, metrics.csv, metrics.json (held-out NLL in nats and the best Gaussian's), index.html, checkpoint/.
 * Digits writes samples.png (a grid of samples), data.png (real digits), and bits per dimension in metrics.json
 * against an independent-pixel baseline.
 *
 * Run:  ./latent4j flow [--data moons|digits] [--model realnvp|maf] [--steps 600] [--out runs/flow] [--resume]
 */
package org.latent4j.examples;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.data.Digits;
import org.latent4j.core.data.ToyDatasets;
import org.latent4j.core.ops.Elementwise;
import org.latent4j.core.ops.Indexing;
import org.latent4j.core.ops.Random;
import org.latent4j.core.ops.Reductions;
import org.latent4j.core.optim.Adam;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.train.Trainer;
import org.latent4j.core.viz.Colormap;
import org.latent4j.core.viz.Extent;
import org.latent4j.core.viz.GridOptions;
import org.latent4j.core.viz.HeatMap;
import org.latent4j.core.viz.ImageGrid;
import org.latent4j.core.viz.PixelRange;
import org.latent4j.core.viz.Plots;
import org.latent4j.core.viz.RunIndex;
import org.latent4j.core.viz.Series;
import org.latent4j.flow.Dequantization;
import org.latent4j.flow.Flow;
import org.latent4j.flow.GaussianFit;
import org.latent4j.flow.GlowConfig;
import org.latent4j.flow.MafConfig;
import org.latent4j.flow.PixelHistogram;
import org.latent4j.flow.RealNvpConfig;
import org.latent4j.flow.StandardNormal;

public final class FlowExample {
    /** scikit-learn's digits hold intensities 0–16. */
    static final int DIGIT_LEVELS = 17;

    private FlowExample() {
    }

    /**
     * @param data  moons or digits
     * @param model realnvp or maf (moons); digits always uses the Glow-style flow
     * @param steps training steps (0: 600 for moons, 400 for digits)
     */
    public record Options(String data, String model, int steps, int batchSize, double lr, long seed, Path out,
            Trainer.Resume resume, Trainer.Progress progress) {
        public Options {
            if (!data.equals("moons") && !data.equals("digits")) {
                throw new IllegalArgumentException("flow: unknown data '" + data + "' (moons or digits)");
            }
            if (!model.equals("realnvp") && !model.equals("maf")) {
                throw new IllegalArgumentException("flow: unknown model '" + model + "' (realnvp or maf)");
            }
            if (steps < 0 || batchSize < 1 || !(lr > 0)) {
                throw new IllegalArgumentException("flow: steps must be >= 0, batchSize >= 1 and lr > 0, got " + steps
                        + ", " + batchSize + ", " + lr);
            }
        }

        public static Options defaults() {
            return new Options("moons", "realnvp", 0, 256, 3e-3, 0, Path.of("runs", "flow"), Trainer.Resume.FRESH,
                    Trainer.Progress.BAR);
        }

        int stepCount() {
            return steps > 0 ? steps : data.equals("moons") ? 600 : 400;
        }
    }

    /** The evaluation numbers (held-out NLL in nats, bits per dimension for digits) and where the files are. */
    public record Result(Map<String, Object> metrics, Path runDir) {
    }

    public static Result run(Options o) {
        Rng rng = new Rng(o.seed());
        boolean moons = o.data().equals("moons");
        Tensor[] split = moons ? moons(rng.split()) : digits(rng.split());
        Tensor train = split[0];
        Tensor test = split[1];
        Flow flow = !moons ? Flow.glow(GlowConfig.digits(), rng.split())
                : o.model().equals("maf") ? Flow.maf(MafConfig.twoD(), rng.split())
                : Flow.realNvp(RealNvpConfig.twoD(), rng.split());
        Adam optimizer = new Adam(flow.parameters(), Adam.Options.defaults().withLr(o.lr()));
        Rng batches = rng.split();   // all of a step's randomness (batches, dequantization noise): checkpointed
        int steps = o.stepCount();
        Trainer trainer = new Trainer(Trainer.Options.of(o.out(), steps).withCheckpointEvery(Math.max(1, steps / 4))
                .withResume(o.resume()).withProgress(o.progress()), flow, optimizer, batches, config(o));
        Trainer.Result fit = trainer.fit(step -> {
            Tensor x = Indexing.indexSelect(train, 0, Random.randint(batches, 0, train.size(0), o.batchSize()));
            if (!moons) {
                x = Dequantization.uniform(x, DIGIT_LEVELS, batches);
            }
            Tensor loss = flow.nll(x);
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            double nats = loss.item();
            return moons ? Map.of("nll", nats)
                    : Map.of("nll", nats, "bits/dim", Dequantization.bitsPerDim(-nats, flow.eventSize(), DIGIT_LEVELS));
        });

        flow.eval();
        Map<String, Object> evaluation = new LinkedHashMap<>();
        Rng pictures = new Rng(o.seed() + 1);
        if (moons) {
            evaluateMoons(o, flow, train, test, pictures, evaluation);
        } else {
            evaluateDigits(o, flow, train, test, pictures, evaluation);
        }
        trainer.writeSummary(evaluation);
        Map<String, Object> shown = new LinkedHashMap<>(evaluation);
        shown.put("final train nll (nats)", fit.lastMetrics().get("nll"));
        shown.put("steps", fit.steps());
        shown.put("parameters", flow.numParameters());
        RunIndex.write(o.out(), "Normalizing flow on " + o.data(), shown);
        return new Result(evaluation, o.out());
    }

    /** 4,096 training and 2,048 held-out points of two moons (noise 0.05). */
    static Tensor[] moons(Rng rng) {
        return new Tensor[] {ToyDatasets.twoMoons(rng.split(), 4096, 0.05).field(0),
            ToyDatasets.twoMoons(rng.split(), 2048, 0.05).field(0)};
    }

    /** The 1,797 digits (N, 1, 8, 8) in a seeded random order: 1,500 to train on, 297 held out. */
    static Tensor[] digits(Rng rng) {
        Tensor all;
        try {
            all = Digits.load().field(0);
        } catch (IOException e) {
            throw new Cli.BadInputException("digits: " + e.getMessage());
        }
        Tensor order = Random.permutation(rng, (int) all.size(0));
        Tensor shuffled = Indexing.indexSelect(all, 0, order);
        long n = all.size(0);
        return new Tensor[] {org.latent4j.core.ops.Shapes.slice(shuffled, 0, 0, 1500),
            org.latent4j.core.ops.Shapes.slice(shuffled, 0, 1500, n)};
    }

    private static void evaluateMoons(Options o, Flow flow, Tensor train, Tensor test, Rng rng,
            Map<String, Object> metrics) {
        try (GradMode.Scope ng = GradMode.noGrad()) {
            double heldOut = flow.nll(test).item();
            metrics.put("held-out nll (nats)", heldOut);
            metrics.put("best Gaussian held-out nll (nats)", GaussianFit.fit(train).nll(test));
            Extent extent = Extent.around(train, 0.25);
            int res = 120;
            Tensor density = Elementwise.exp(flow.logProb(extent.gridPoints(res)));   // (res²)
            double max = Reductions.max(density, 0, false).item();
            // a few hundred held-out points on top: all 2,048 would hide the density they sit on
            HeatMap.writeField(o.out().resolve("density.png"), density.mul(1 / max), extent, Colormap.VIRIDIS,
                    org.latent4j.core.ops.Shapes.slice(test, 0, 0, 300), null);
            HeatMap.writeDensity(o.out().resolve("data.png"), train, extent, 96);
            Tensor samples = flow.sample(2048, rng.split());
            Plots.writeScatter(o.out().resolve("samples.png"), "flow samples",
                    List.of(Series.ofPoints("held-out data", test), Series.ofPoints("samples x = f⁻¹(z)", samples)));
            Tensor latent = flow.encode(test);
            Plots.writeScatter(o.out().resolve("latent.png"), "data mapped to the latent space",
                    List.of(Series.ofPoints("N(0, I)", StandardNormal.sample(rng.split(), DType.FLOAT32, 2048, 2)),
                            Series.ofPoints("z = f(held-out data)", latent)));
        }
    }

    private static void evaluateDigits(Options o, Flow flow, Tensor train, Tensor test, Rng rng,
            Map<String, Object> metrics) {
        try (GradMode.Scope ng = GradMode.noGrad()) {
            // the dequantization bound averaged over a few noise draws
            int draws = 4;
            double logProb = 0;
            for (int i = 0; i < draws; i++) {
                logProb -= flow.nll(Dequantization.uniform(test, DIGIT_LEVELS, rng)).item() / draws;
            }
            metrics.put("held-out nll (nats)", -logProb);
            metrics.put("held-out bits/dim", Dequantization.bitsPerDim(logProb, flow.eventSize(), DIGIT_LEVELS));
            metrics.put("independent-pixel bits/dim", PixelHistogram.fit(train, DIGIT_LEVELS).bitsPerDim(test));
            GridOptions grid = GridOptions.defaults().withColumns(8).withRange(PixelRange.ZERO_TO_ONE);
            ImageGrid.write(o.out().resolve("samples.png"), flow.sample(64, rng.split()), grid);
            ImageGrid.write(o.out().resolve("data.png"), org.latent4j.core.ops.Shapes.slice(test, 0, 0, 64), grid);
        }
    }

    private static ObjectNode config(Options o) {
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.put("example", "flow").put("data", o.data()).put("model", o.model()).put("steps", o.stepCount())
                .put("batchSize", o.batchSize()).put("lr", o.lr()).put("seed", o.seed());
        return c;
    }

    public static void main(String[] args) {
        Cli.runSubcommand("flow", args);
    }
}
