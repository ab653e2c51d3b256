/*
 * A variational autoencoder in one runnable file: an MLP (or convolutional) VAE with Bernoulli pixels on
 * scikit-learn's 8×8 digits (built in through Debian's python3-sklearn) or 28×28 Fashion-MNIST, optionally a
 * β-VAE (--beta) or a conditional VAE (--condition label). It trains with Adam through the core Trainer
 * (progress bar, metrics.csv, checkpoints, --resume), then measures on held-out images the ELBO, its KL and
 * reconstruction parts and the importance-weighted estimate of log p(x) (in nats per image and bits per
 * pixel), and draws what a person would look at.
 * Writes to the run directory: reconstructions.png (held-out inputs, their reconstructions below),
 * samples.png (decoded z ~ N(0, I); one row per class when conditional), interpolation.png (each row walks
 * the latent space between two held-out images), latent.png and latent-map.png (2-D latents only: held-out
 * means by class, and decodes of a grid of z), loss.png, elbo.png, metrics.csv, metrics.json, index.html,
 * checkpoint/.
 *
 * Run:  ./latent4j vae [--data digits|fashion-mnist|shapes] [--arch mlp|conv] [--latent 2] [--beta 4]
 *                      [--condition label] [--steps 1500] [--out runs/vae] [--resume]
 */
package org.latent4j.examples;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.data.Digits;
import org.latent4j.core.data.FashionMnist;
import org.latent4j.core.data.ShapesDataset;
import org.latent4j.core.data.TensorDataset;
import org.latent4j.core.ops.Indexing;
import org.latent4j.core.ops.Reductions;
import org.latent4j.core.ops.Shapes;
import org.latent4j.core.optim.Adam;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.train.Trainer;
import org.latent4j.core.viz.GridOptions;
import org.latent4j.core.viz.ImageGrid;
import org.latent4j.core.viz.PixelRange;
import org.latent4j.core.viz.Plots;
import org.latent4j.core.viz.RunIndex;
import org.latent4j.core.viz.Series;
import org.latent4j.vae.Architecture;
import org.latent4j.vae.Elbo;
import org.latent4j.vae.Interpolation;
import org.latent4j.vae.Vae;
import org.latent4j.vae.VaeConfig;

public final class VaeExample {
    private VaeExample() {
    }

    /**
     * @param data       digits, fashion-mnist or shapes (built in: 16x16 grey figures, no download)
     * @param arch       mlp or conv
     * @param latentDim  latent dimensions; 0 for the preset's (8 for digits, 16 for fashion-mnist)
     * @param beta       weight of the KL term (1: the plain ELBO)
     * @param condition  none, or label for a conditional VAE
     * @param steps      training steps
     * @param importanceSamples K of the importance-weighted estimate of log p(x)
     * @param trainLimit at most this many training images (0: all)
     */
    public record Options(String data, String arch, int latentDim, double beta, String condition, int steps,
            int batchSize, double lr, int importanceSamples, int trainLimit, long seed, Path out,
            Trainer.Resume resume, Trainer.Progress progress) {
        public Options {
            if (!data.matches("digits|fashion-mnist|shapes")) {
                throw new IllegalArgumentException("vae: --data must be digits, fashion-mnist or shapes, got " + data);
            }
            if (!arch.matches("mlp|conv")) {
                throw new IllegalArgumentException("vae: --arch must be mlp or conv, got " + arch);
            }
            if (!condition.matches("none|label")) {
                throw new IllegalArgumentException("vae: --condition must be none or label, got " + condition);
            }
            if (steps < 1 || batchSize < 1 || importanceSamples < 1 || latentDim < 0 || trainLimit < 0
                    || !(lr > 0) || !(beta >= 0)) {
                throw new IllegalArgumentException("vae: steps, batch size and importance samples must be >= 1, "
                        + "latent and train limit >= 0, lr > 0 and beta >= 0; got " + steps + ", " + batchSize + ", "
                        + importanceSamples + ", " + latentDim + ", " + trainLimit + ", " + lr + ", " + beta);
            }
        }

        public static Options defaults() {
            return new Options("digits", "mlp", 0, 1.0, "none", 1500, 128, 2e-3, 50, 0, 0, Path.of("runs", "vae"),
                    Trainer.Resume.FRESH, Trainer.Progress.BAR);
        }
    }

    /** Held-out numbers (nats per image unless named otherwise) and where the files went. */
    public record Result(double heldOutElbo, double importanceWeighted, double kl, double bitsPerDim, Path runDir) {
    }

    /** Training and held-out images (N, C, H, W) in [0, 1] with their labels. */
    record Data(Tensor trainX, Tensor trainY, Tensor testX, Tensor testY, int numClasses) {
    }

    static final int DIGITS_HELD_OUT = 360;
    static final int FASHION_HELD_OUT = 2000;

    static final int SHAPES_SIZE = 16;
    static final int SHAPES_TRAIN = 2000;
    static final int SHAPES_HELD_OUT = 360;

    static Data load(Options o, Rng rng) {
        if (o.data().equals("shapes")) {
            // built in, no download: procedurally drawn 16x16 figures, in grey (the mean of the colour channels,
            // moved from the dataset's [-1, 1] to the [0, 1] a Bernoulli likelihood needs)
            int train = o.trainLimit() > 0 ? Math.min(o.trainLimit(), SHAPES_TRAIN) : SHAPES_TRAIN;
            TensorDataset d = ShapesDataset.generate(rng, train + SHAPES_HELD_OUT, SHAPES_SIZE).tensors();
            Tensor grey = Reductions.mean(d.field(0), new int[] {1}, true).add(1.0).mul(0.5);
            long n = grey.shape()[0];
            return new Data(Shapes.slice(grey, 0, 0, train), Shapes.slice(d.field(1), 0, 0, train),
                    Shapes.slice(grey, 0, train, n), Shapes.slice(d.field(1), 0, train, n), ShapesDataset.numFigures());
        }
        if (o.data().equals("digits")) {
            TensorDataset d;
            try {
                d = Digits.load();
            } catch (IOException e) {
                throw new Cli.BadInputException("digits: " + e.getMessage()
                        + " (apt-get install python3-sklearn, or use --data fashion-mnist)");
            }
            long[] perm = permutation(d.size(), rng);
            long[] test = java.util.Arrays.copyOfRange(perm, 0, DIGITS_HELD_OUT);
            long[] train = java.util.Arrays.copyOfRange(perm, DIGITS_HELD_OUT,
                    o.trainLimit() > 0 ? Math.min(perm.length, DIGITS_HELD_OUT + o.trainLimit()) : perm.length);
            return new Data(pick(d.field(0), train), pick(d.field(1), train), pick(d.field(0), test),
                    pick(d.field(1), test), 10);
        }
        try {
            Path dir = Path.of(FashionMnist.DEBIAN_DIR);
            TensorDataset train = FashionMnist.load(dir, FashionMnist.Split.TRAIN,
                    o.trainLimit() > 0 ? o.trainLimit() : 60_000);
            TensorDataset test = FashionMnist.load(dir, FashionMnist.Split.TEST, FASHION_HELD_OUT);
            return new Data(train.field(0), train.field(1), test.field(0), test.field(1),
                    FashionMnist.CLASS_NAMES.size());
        } catch (IOException e) {
            throw new Cli.BadInputException("fashion-mnist: " + e.getMessage()
                    + " (apt-get install dataset-fashion-mnist, or use --data digits)");
        }
    }

    static VaeConfig config(Options o, Data d) {
        int size = (int) d.trainX().size(2);
        VaeConfig c;
        if (o.arch().equals("conv")) {
            c = VaeConfig.smallConv().withImage(1, size, size);
        } else {
            c = switch (o.data()) {
                case "digits" -> VaeConfig.digits();
                case "shapes" -> VaeConfig.digits().withImage(1, SHAPES_SIZE, SHAPES_SIZE);
                default -> VaeConfig.fashionMnist();
            };
        }
        if (o.latentDim() > 0) {
            c = c.withLatentDim(o.latentDim());
        }
        return c.withBeta(o.beta()).withNumClasses(o.condition().equals("label") ? d.numClasses() : 0);
    }

    public static Result run(Options o) {
        Rng rng = new Rng(o.seed());
        Data data = load(o, rng.split());
        VaeConfig config = config(o, data);
        Vae vae = new Vae(config, rng.split());
        boolean conditional = config.numClasses() > 0;
        Adam optimizer = new Adam(vae.parameters(), Adam.Options.defaults().withLr(o.lr()));
        Rng batches = rng.split();   // all of a step's randomness (batch indices and ε): checkpointed with the model
        Trainer trainer = new Trainer(Trainer.Options.of(o.out(), o.steps()).withCheckpointEvery(Math.max(1, o.steps() / 4))
                .withResume(o.resume()).withProgress(o.progress()), vae, optimizer, batches, json(o, config));
        long n = data.trainX().size(0);
        trainer.fit(step -> {
            long[] idx = new long[o.batchSize()];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = batches.nextLong(n);
            }
            Tensor ids = Tensor.ofLongs(idx, idx.length);
            Tensor x = Indexing.indexSelect(data.trainX(), 0, ids);
            Elbo elbo = vae.elbo(x, conditional ? Indexing.indexSelect(data.trainY(), 0, ids) : null, batches);
            Tensor loss = elbo.loss(config.beta());
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("loss", loss.item());
            m.put("reconstruction", -elbo.reconstruction().mean().item());
            m.put("kl", elbo.kl().mean().item());
            return m;
        });
        trainer.metrics().writeCurves(o.out().resolve("elbo.png"), "negative ELBO terms (nats per image)",
                List.of("reconstruction", "kl"), Plots.AxisScale.LINEAR);

        Rng eval = rng.split();
        Map<String, Object> evaluation;
        try (GradMode.Scope noGrad = GradMode.noGrad()) {
            evaluation = evaluate(vae, data, o.importanceSamples(), eval);
            pictures(o.out(), vae, data, eval);
        }
        trainer.writeSummary(evaluation);
        Map<String, Object> shown = new LinkedHashMap<>(evaluation);
        shown.put("model", config.toString());
        shown.put("parameters", vae.numParameters());
        shown.put("steps", o.steps());
        RunIndex.write(o.out(), "VAE on " + o.data(), shown);
        return new Result((double) evaluation.get("held-out ELBO (nats)"),
                (double) evaluation.get("held-out IW log-likelihood (nats)"), (double) evaluation.get("held-out KL (nats)"),
                (double) evaluation.get("held-out IW bits/dim"), o.out());
    }

    /** Held-out ELBO, its parts and the importance-weighted bound, averaged over images in chunks. */
    static Map<String, Object> evaluate(Vae vae, Data d, int k, Rng rng) {
        boolean conditional = vae.config().numClasses() > 0;
        long n = d.testX().size(0);
        int chunk = Math.max(1, 20_000 / k);
        double rec = 0;
        double kl = 0;
        double iw = 0;
        for (long s = 0; s < n; s += chunk) {
            try (Arena arena = Arena.open()) {   // the K·chunk decodes are large: free them chunk by chunk
                long e = Math.min(n, s + chunk);
                Tensor x = Shapes.slice(d.testX(), 0, s, e);
                Tensor y = conditional ? Shapes.slice(d.testY(), 0, s, e) : null;
                Elbo elbo = vae.elbo(x, y, rng);
                rec += elbo.reconstruction().sum().item();
                kl += elbo.kl().sum().item();
                iw += vae.importanceWeighted(x, y, k, rng).sum().item();
            }
        }
        rec /= n;
        kl /= n;
        iw /= n;
        double perBit = vae.config().dataDim() * Math.log(2);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("held-out images", n);
        m.put("held-out ELBO (nats)", rec - kl);
        m.put("held-out reconstruction log p(x|z) (nats)", rec);
        m.put("held-out KL (nats)", kl);
        m.put("held-out IW log-likelihood (nats)", iw);
        m.put("importance samples K", k);
        m.put("held-out negative ELBO bits/dim", -(rec - kl) / perBit);
        m.put("held-out IW bits/dim", -iw / perBit);
        return m;
    }

    static void pictures(Path out, Vae vae, Data d, Rng rng) {
        VaeConfig c = vae.config();
        boolean conditional = c.numClasses() > 0;
        GridOptions grid = GridOptions.defaults().withRange(PixelRange.ZERO_TO_ONE);
        int cols = 12;
        Tensor x = Shapes.slice(d.testX(), 0, 0, cols);
        Tensor y = conditional ? Shapes.slice(d.testY(), 0, 0, cols) : null;
        ImageGrid.write(out.resolve("reconstructions.png"), Shapes.concat(List.of(x, vae.reconstruct(x, y)), 0),
                grid.withColumns(cols));

        int perRow = 10;
        int rows = conditional ? c.numClasses() : 8;
        long[] labels = new long[rows * perRow];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i / perRow;
        }
        ImageGrid.write(out.resolve("samples.png"), vae.sample(labels.length,
                conditional ? Tensor.ofLongs(labels, labels.length) : null, rng), grid.withColumns(perRow));

        int pairs = 6;
        int steps = 10;
        Tensor ends = Shapes.slice(d.testX(), 0, 0, 2 * pairs);
        Tensor endLabels = conditional ? Shapes.slice(d.testY(), 0, 0, 2 * pairs) : null;
        Tensor mu = vae.encode(ends, endLabels).mu();                                   // (2·pairs, L)
        List<Tensor> rowsOut = new ArrayList<>();
        long[] endY = endLabels == null ? null : endLabels.toLongArray();
        for (int p = 0; p < pairs; p++) {
            Tensor a = Shapes.slice(mu, 0, 2 * p, 2 * p + 1).reshape(c.latentDim());
            Tensor b = Shapes.slice(mu, 0, 2 * p + 1, 2 * p + 2).reshape(c.latentDim());
            Tensor path = p % 2 == 0 ? Interpolation.linear(a, b, steps) : Interpolation.spherical(a, b, steps);
            Tensor pathLabels = null;
            if (endY != null) {   // a conditional path keeps the first image's class
                long[] l = new long[steps];
                java.util.Arrays.fill(l, endY[2 * p]);
                pathLabels = Tensor.ofLongs(l, steps);
            }
            rowsOut.add(vae.mean(vae.decode(path, pathLabels)));
        }
        ImageGrid.write(out.resolve("interpolation.png"), Shapes.concat(rowsOut, 0), grid.withColumns(steps));

        if (c.latentDim() == 2) {
            latentPictures(out, vae, d, conditional, grid);
        }
    }

    /** 2-D latents: held-out means coloured by class, and the decoded grid of z over [−2.5, 2.5]². */
    static void latentPictures(Path out, Vae vae, Data d, boolean conditional, GridOptions grid) {
        long n = Math.min(d.testX().size(0), 2000);
        Tensor x = Shapes.slice(d.testX(), 0, 0, n);
        Tensor y = Shapes.slice(d.testY(), 0, 0, n);
        float[] mu = vae.encode(x, conditional ? y : null).mu().toFloatArray();   // (n, 2)
        long[] labels = y.toLongArray();
        List<Series> series = new ArrayList<>();
        for (int cls = 0; cls < d.numClasses(); cls++) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (labels[i] == cls) {
                    xs.add((double) mu[2 * i]);
                    ys.add((double) mu[2 * i + 1]);
                }
            }
            if (!xs.isEmpty()) {
                series.add(new Series("class " + cls, xs.stream().mapToDouble(v -> v).toArray(),
                        ys.stream().mapToDouble(v -> v).toArray()));
            }
        }
        Plots.writeScatter(out.resolve("latent.png"), "held-out latent means by class", series);
        if (conditional) {
            return;   // a conditional decoder needs a class for each cell; the map below is for the unconditional model
        }
        int side = 15;
        double[] z = new double[side * side * 2];
        for (int r = 0; r < side; r++) {
            for (int col = 0; col < side; col++) {
                int i = r * side + col;
                z[2 * i] = -2.5 + 5.0 * col / (side - 1);
                z[2 * i + 1] = 2.5 - 5.0 * r / (side - 1);
            }
        }
        Tensor zs = Tensor.of(z, side * side, 2).to(x.dtype());
        ImageGrid.write(out.resolve("latent-map.png"), vae.mean(vae.decode(zs, null)),
                grid.withColumns(side).withPadding(1));
    }

    static long[] permutation(int n, Rng rng) {
        long[] p = new long[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            long t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    static Tensor pick(Tensor t, long[] idx) {
        return Indexing.indexSelect(t, 0, Tensor.ofLongs(idx, idx.length));
    }

    private static ObjectNode json(Options o, VaeConfig c) {
        ObjectNode j = JsonNodeFactory.instance.objectNode();
        j.put("example", "vae").put("data", o.data()).put("arch", o.arch()).put("latentDim", c.latentDim())
                .put("beta", o.beta()).put("condition", o.condition()).put("steps", o.steps())
                .put("batchSize", o.batchSize()).put("lr", o.lr()).put("seed", o.seed()).put("model", c.toString());
        return j;
    }

    public static void main(String[] args) {
        Cli.runSubcommand("vae", args);
    }
}
