/*
 * Two moons: a small MLP learns to separate scikit-learn's interleaved half circles.
 *
 * The smallest end-to-end run of the library: a built-in dataset that needs no download
 * (ToyDatasets.twoMoons), an Mlp, Adam, cross-entropy, and the Trainer (progress bar, metrics.csv,
 * checkpoints, resume). It writes under runs/two-moons/: decision.png (the classifier's probability of
 * the second moon over the plane, the data on top), loss.png, metrics.csv, metrics.json and index.html.
 *
 * Run:  ./latent4j two-moons [--steps 300] [--out runs/two-moons] [--resume]     (part of ./latent4j demo)
 */
package org.latent4j.examples;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.data.Batch;
import org.latent4j.core.data.TensorDataset;
import org.latent4j.core.data.ToyDatasets;
import org.latent4j.core.nn.Mlp;
import org.latent4j.core.nn.Activation;
import org.latent4j.core.ops.Losses;
import org.latent4j.core.optim.Adam;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.train.Trainer;
import org.latent4j.core.viz.Colormap;
import org.latent4j.core.viz.Extent;
import org.latent4j.core.viz.HeatMap;
import org.latent4j.core.viz.RunIndex;
import picocli.CommandLine.Option;

public final class TwoMoonsClassifier {
    private TwoMoonsClassifier() {
    }

    /** The run's settings; {@link #defaults()} is what {@code latent4j demo} uses. */
    public record Options(int steps, int batchSize, int hidden, double lr, int samples, long seed, Path out,
            Trainer.Resume resume, Trainer.Progress progress) {
        public Options {
            if (steps < 1 || batchSize < 1 || hidden < 1 || samples < 2 || !(lr > 0)) {
                throw new IllegalArgumentException("two-moons: steps, batchSize, hidden must be >= 1, samples >= 2 and"
                        + " lr > 0, got " + steps + ", " + batchSize + ", " + hidden + ", " + samples + ", " + lr);
            }
        }

        public static Options defaults() {
            return new Options(300, 64, 32, 0.01, 1000, 1, Path.of("runs", "two-moons"), Trainer.Resume.FRESH,
                    Trainer.Progress.BAR);
        }
    }

    /** Final training loss, accuracy on the whole dataset and where the outputs are. */
    public record Result(double loss, double accuracy, Path runDir) {
    }

    public static Result run(Options o) {
        Rng rng = new Rng(o.seed());
        TensorDataset data = ToyDatasets.twoMoons(rng.split(), o.samples(), 0.1);   // points (N, 2), labels (N)
        Mlp model = new Mlp(new int[] {2, o.hidden(), o.hidden(), 2}, Activation::relu, rng.split());
        Adam optimizer = new Adam(model.parameters(), Adam.Options.defaults().withLr(o.lr()));
        Rng batches = rng.split();   // all of a step's randomness: checkpointed with the model
        Trainer trainer = new Trainer(Trainer.Options.of(o.out(), o.steps()).withCheckpointEvery(o.steps() / 4)
                .withResume(o.resume()).withProgress(o.progress()), model, optimizer, batches, config(o));
        Trainer.Result fit = trainer.fit(step -> {
            Batch batch = data.batch(randomIndices(batches, o.batchSize(), o.samples()));
            Tensor loss = Losses.crossEntropy(model.forward(batch.x()), batch.y());
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            return Map.of("loss", loss.item());
        });

        Tensor points = data.field(0);   // (N, 2)
        Tensor labels = data.field(1);   // (N,) int64
        Extent extent = Extent.around(points, 0.15);
        double accuracy;
        try (GradMode.Scope noGrad = GradMode.noGrad()) {
            accuracy = accuracy(model.forward(points), labels.toLongArray());
            float[] grid = probabilityOfSecond(model.forward(extent.gridPoints(120)));
            HeatMap.writeField(o.out().resolve("decision.png"), Tensor.of(grid, grid.length), extent,
                    Colormap.BLUE_WHITE_RED, points, labels.toLongArray());
        }
        Map<String, Object> evaluation = new LinkedHashMap<>();
        evaluation.put("accuracy", accuracy);
        trainer.writeSummary(evaluation);
        Map<String, Object> shown = new LinkedHashMap<>(evaluation);
        shown.put("final loss", fit.lastMetrics().get("loss"));
        shown.put("steps", fit.steps());
        shown.put("parameters", model.numParameters());
        RunIndex.write(o.out(), "Two moons: MLP classifier", shown);
        return new Result(fit.lastMetrics().get("loss"), accuracy, o.out());
    }

    /** {@code count} indices drawn uniformly from [0, n), with replacement. */
    static int[] randomIndices(Rng rng, int count, int n) {
        int[] idx = new int[count];
        for (int i = 0; i < count; i++) {
            idx[i] = rng.nextInt(n);
        }
        return idx;
    }

    /** Share of rows whose larger logit is the label's. */
    static double accuracy(Tensor logits, long[] labels) {
        float[] l = logits.toFloatArray();   // (N, 2)
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            right += (l[2 * i + 1] > l[2 * i] ? 1 : 0) == labels[i] ? 1 : 0;
        }
        return right / (double) labels.length;
    }

    /** softmax(logits)[:, 1] = sigmoid(l1 - l0). */
    static float[] probabilityOfSecond(Tensor logits) {
        float[] l = logits.toFloatArray();   // (N, 2)
        float[] p = new float[l.length / 2];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (1 / (1 + Math.exp(l[2 * i] - l[2 * i + 1])));
        }
        return p;
    }

    private static ObjectNode config(Options o) {
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.put("example", "two-moons");
        c.put("steps", o.steps());
        c.put("batchSize", o.batchSize());
        c.put("hidden", o.hidden());
        c.put("lr", o.lr());
        c.put("samples", o.samples());
        c.put("seed", o.seed());
        return c;
    }

    public static void main(String[] args) {
        Cli.runSubcommand("two-moons", args);
    }

    /** {@code latent4j two-moons}. */
    @picocli.CommandLine.Command(name = "two-moons", mixinStandardHelpOptions = true,
            description = "Train an MLP classifier on the two-moons toy dataset; writes runs/two-moons/.")
    static final class Command implements Callable<Integer> {
        private static final Options D = Options.defaults();

        @Option(names = "--steps", description = "training steps (default ${DEFAULT-VALUE})")
        int steps = D.steps();

        @Option(names = "--batch-size", description = "examples per step (default ${DEFAULT-VALUE})")
        int batchSize = D.batchSize();

        @Option(names = "--hidden", description = "width of the two hidden layers (default ${DEFAULT-VALUE})")
        int hidden = D.hidden();

        @Option(names = "--lr", description = "Adam learning rate (default ${DEFAULT-VALUE})")
        double lr = D.lr();

        @Option(names = "--seed", description = "random seed (default ${DEFAULT-VALUE})")
        long seed = D.seed();

        @Option(names = "--out", description = "run directory (default ${DEFAULT-VALUE})")
        Path out = D.out();

        @Option(names = "--resume", description = "continue from the checkpoint in the run directory")
        boolean resume;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Options o;
            try {
                o = new Options(steps, batchSize, hidden, lr, D.samples(), seed, out,
                        resume ? Trainer.Resume.LATEST : Trainer.Resume.FRESH, Trainer.Progress.BAR);
            } catch (IllegalArgumentException e) {
                throw new Cli.BadInputException(e.getMessage());
            }
            Result r = run(o);
            spec.commandLine().getOut().printf(java.util.Locale.ROOT, "two-moons: loss %.4f, accuracy %.3f; open %s%n",
                    r.loss(), r.accuracy(), r.runDir().resolve("index.html"));
            return 0;
        }
    }
}
