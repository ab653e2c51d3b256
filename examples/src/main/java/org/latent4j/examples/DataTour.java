/*
 * A tour of the data package in one runnable file: the built-in 2-D distributions (drawn as density
 * maps), procedurally drawn shapes (an image grid), the seeded DataLoader, the addition task and the
 * character tokenizer, and Fashion-MNIST when Debian's dataset-fashion-mnist package is installed.
 * The snippets in docs/data.md are copied from this file (a test checks they still match).
 *
 * Run:  ./latent4j data-tour [--out runs/data-tour]
 */
package org.latent4j.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.latent4j.core.data.AdditionTask;
import org.latent4j.core.data.Batch;
import org.latent4j.core.data.CharTokenizer;
import org.latent4j.core.data.DataLoader;
import org.latent4j.core.data.FashionMnist;
import org.latent4j.core.data.ShapesDataset;
import org.latent4j.core.data.TensorDataset;
import org.latent4j.core.data.TextCorpus;
import org.latent4j.core.data.ToyDatasets;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.viz.Extent;
import org.latent4j.core.viz.GridOptions;
import org.latent4j.core.viz.HeatMap;
import org.latent4j.core.viz.ImageGrid;
import org.latent4j.core.viz.PixelRange;
import org.latent4j.core.viz.RunIndex;
import picocli.CommandLine;

public final class DataTour {
    private DataTour() {
    }

    public record Options(Path out, int samples, long seed) {
        public static Options defaults() {
            return new Options(Path.of("runs", "data-tour"), 20_000, 1);
        }
    }

    /** What the tour found, by name (batch counts, a decoded sample, whether Fashion-MNIST was there). */
    public record Result(Map<String, Object> values, Path runDir) {
    }

    public static Result run(Options o) {
        Map<String, Object> values = new LinkedHashMap<>();
        Rng rng = new Rng(o.seed());
        toys(o, rng, values);
        shapes(o, rng, values);
        loader(rng, values);
        text(rng, values);
        fashion(o, values);
        RunIndex.write(o.out(), "Data tour", values);
        return new Result(values, o.out());
    }

    private static void toys(Options o, Rng rng, Map<String, Object> values) {
        for (ToyDatasets.Kind kind : ToyDatasets.Kind.values()) {
            TensorDataset toy = kind.sample(rng.split(), o.samples());    // fields: points (N, 2), labels (N)
            Tensor points = toy.field(0);
            HeatMap.writeDensity(o.out().resolve(kind.cliName() + ".png"), points, Extent.around(points, 0.1), 160);
        }
        values.put("toy distributions", ToyDatasets.Kind.values().length);
    }

    private static void shapes(Options o, Rng rng, Map<String, Object> values) {
        ShapesDataset shapes = ShapesDataset.generate(rng.split(), 64);      // (64, 3, 32, 32) in [-1, 1]
        Tensor images = shapes.tensors().field(0);
        ImageGrid.write(o.out().resolve("shapes.png"), images, GridOptions.defaults().withColumns(16).withScale(2));
        values.put("first shape", shapes.caption(0));
    }

    private static void loader(Rng rng, Map<String, Object> values) {
        DataLoader loader = DataLoader.of(ToyDatasets.ring(rng.split(), 1000)).batchSize(128)
                .shuffle(rng.split()).dropLast();                            // a new permutation each epoch
        int batches = 0;
        try (DataLoader.Epoch epoch = loader.epoch()) {
            for (Batch b : epoch) {
                Tensor x = b.x();                                            // (128, 2)
                batches += x.size(0) == 128 ? 1 : 0;
            }
        }
        values.put("batches per epoch", batches);
    }

    private static void text(Rng rng, Map<String, Object> values) {
        AdditionTask task = new AdditionTask(3);
        String example = task.sample(rng);                                   // e.g. "123+456=0579"
        CharTokenizer addition = task.tokenizer();
        long[] ids = addition.encode(example);
        values.put("addition sample", addition.decode(ids));
        values.put("addition correct", task.isCorrect(example));

        CharTokenizer chars = CharTokenizer.fromText(TextCorpus.bundled());  // vocabulary from the corpus
        values.put("corpus vocabulary", chars.vocabSize());
    }

    private static void fashion(Options o, Map<String, Object> values) {
        if (!Files.isDirectory(Path.of(FashionMnist.DEBIAN_DIR))) {
            values.put("fashion-mnist", "not installed (apt-get install dataset-fashion-mnist)");
            return;
        }
        try {
            TensorDataset test = FashionMnist.load(Path.of(FashionMnist.DEBIAN_DIR), FashionMnist.Split.TEST, 32);
            ImageGrid.write(o.out().resolve("fashion-mnist.png"), test.field(0),       // (32, 1, 28, 28) in [0, 1]
                    GridOptions.defaults().withColumns(16).withRange(PixelRange.ZERO_TO_ONE));
            values.put("fashion-mnist", "loaded " + test.size() + " test images");
        } catch (IOException e) {
            values.put("fashion-mnist", "unreadable: " + e.getMessage());
        }
    }

    public static void main(String[] args) {
        Cli.runSubcommand("data-tour", args);
    }

    /** {@code latent4j data-tour}. */
    @CommandLine.Command(name = "data-tour", mixinStandardHelpOptions = true,
            description = "Draw the built-in datasets of docs/data.md; writes runs/data-tour/.")
    static final class Command extends TourCommand {
        Command() {
            super(Options.defaults().out());
        }

        @Override
        Map<String, ?> tour(Path out) {
            return run(new Options(out, Options.defaults().samples(), Options.defaults().seed())).values();
        }
    }
}
