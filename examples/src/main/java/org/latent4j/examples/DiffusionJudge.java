/*
 * How DiffusionExample scores image samples: a FeatureClassifier trained with this library on the run's data
 * (saved as a checkpoint in RUN/classifier and reused by `diffusion sample`), the Fréchet distance of its
 * features between samples and held-out real images, and its accuracy on the classes or captions the samples
 * were asked for.
 */
package org.latent4j.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.latent4j.core.data.FashionMnist;
import org.latent4j.core.data.ShapesDataset;
import org.latent4j.core.io.Checkpoint;
import org.latent4j.core.io.CheckpointState;
import org.latent4j.core.nn.Module;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.diffusion.Condition;
import org.latent4j.diffusion.FeatureClassifier;
import org.latent4j.diffusion.FrechetDistance;

final class DiffusionJudge {
    static final String DIR = "classifier";
    private static final int BATCH = 128;
    private static final int SHAPES_TRAIN = 4096;
    private static final int FASHION_TRAIN = 60_000;

    private final FeatureClassifier classifier;
    private final FrechetDistance.Statistics reference;
    private final double realFd;
    private final List<Tensor> heldOut;

    private DiffusionJudge(FeatureClassifier classifier, FrechetDistance.Statistics reference, double realFd,
            List<Tensor> heldOut) {
        this.classifier = classifier;
        this.reference = reference;
        this.realFd = realFd;
        this.heldOut = heldOut;
    }

    /** Whether the run's data has the labels a classifier needs (shapes, Fashion-MNIST). */
    static boolean applies(JsonNode config) {
        String data = config.get("data").asText();
        return config.get("sampleShape").size() == 3 && (data.equals("shapes") || data.equals("fashion-mnist"));
    }

    /**
     * The judge of a run: the classifier from {@code classifierDir} if it holds one, else one fitted (see
     * {@link #trainingFields}) for {@code fitSteps} steps (0: the default) and saved there; the reference statistics
     * of {@code n} held-out real images, and the Fréchet distance of another {@code n} real images to them (the
     * floor a perfect sampler would reach at this sample size).
     */
    static DiffusionJudge create(JsonNode config, Path classifierDir, DiffusionExample.Data train, int fitSteps, int n,
            Rng rng) {
        FeatureClassifier clf = loadOrFit(config, classifierDir, train, fitSteps, rng.split());
        List<Tensor> heldOut = heldOut(config, rng.split(), 2 * n);
        Tensor x = heldOut.get(0);
        Tensor a = org.latent4j.core.ops.Shapes.slice(x, 0, 0, n);
        Tensor b = org.latent4j.core.ops.Shapes.slice(x, 0, n, 2 * n);
        FrechetDistance.Statistics ref = FrechetDistance.Statistics.of(clf.featuresOf(a, BATCH));
        double floor = FrechetDistance.between(ref, FrechetDistance.Statistics.of(clf.featuresOf(b, BATCH)));
        return new DiffusionJudge(clf, ref, floor, heldOut);
    }

    /** FD of the samples to the held-out images and, for conditioned samples, the classifier's accuracy. */
    void judge(String name, Tensor samples, List<Tensor> requested, Map<String, Object> metrics) {
        metrics.put("fd " + name, FrechetDistance.between(FrechetDistance.Statistics.of(
                classifier.featuresOf(samples, BATCH)), reference));
        if (requested != null) {
            metrics.put("accuracy " + name, classifier.accuracy(samples, requested));
        }
    }

    /**
     * The classifier's own numbers: FD between two real sets, and its accuracy on held-out real images judged on
     * the same heads as the samples ({@code requested}'s non-null entries; every head when null).
     */
    void describe(Map<String, Object> metrics, List<Tensor> requested) {
        metrics.put("fd real vs real", realFd);
        List<Tensor> truth = new ArrayList<>(heldOut.subList(1, heldOut.size()));
        for (int h = 0; requested != null && h < truth.size(); h++) {
            truth.set(h, h < requested.size() && requested.get(h) != null ? truth.get(h) : null);
        }
        metrics.put("classifier accuracy real", classifier.accuracy(heldOut.get(0), truth));
    }

    /**
     * What each sample was asked for, one int64 (n) per classifier head (null: not asked): shapes' figure (and,
     * for captions, colour), Fashion-MNIST's class; null for unconditional samples.
     */
    static List<Tensor> requested(JsonNode config, Condition condition, List<String> captions) {
        String kind = config.get("condition").asText();
        boolean shapes = config.get("data").asText().equals("shapes");
        if (kind.equals("label")) {
            return shapes ? Arrays.asList(condition.labels(), null) : List.of(condition.labels());
        }
        if (!kind.equals("caption")) {
            return null;
        }
        int n = captions.size();
        long[] figures = new long[n];
        long[] colours = new long[n];
        boolean anyFigure = false;
        boolean anyColour = false;
        for (int i = 0; i < n; i++) {
            List<String> words = List.of(captions.get(i).toLowerCase(Locale.ROOT).trim().split("\\s+"));
            figures[i] = -1;
            colours[i] = -1;
            for (ShapesDataset.Figure f : ShapesDataset.Figure.values()) {
                figures[i] = words.contains(f.label()) ? f.ordinal() : figures[i];
            }
            for (ShapesDataset.Colour c : ShapesDataset.Colour.values()) {
                colours[i] = words.contains(c.label()) ? c.ordinal() : colours[i];
            }
            anyFigure |= figures[i] >= 0;
            anyColour |= colours[i] >= 0;
        }
        return Arrays.asList(anyFigure ? Tensor.ofLongs(figures, n) : null,
                anyColour ? Tensor.ofLongs(colours, n) : null);
    }

    // ---- the classifier and its data ------------------------------------------------------------------------

    private static FeatureClassifier loadOrFit(JsonNode config, Path dir, DiffusionExample.Data train, int fitSteps,
            Rng rng) {
        if (Files.isRegularFile(dir.resolve(Checkpoint.INFO_FILE))) {
            try {
                CheckpointState s = Checkpoint.load(dir);
                JsonNode c = s.config();
                int[] classes = new int[c.get("numClasses").size()];
                for (int i = 0; i < classes.length; i++) {
                    classes[i] = c.get("numClasses").get(i).asInt();
                }
                // judges saved before the flattened readout existed pooled globally
                int side = c.has("flattenedSide") ? c.get("flattenedSide").asInt() : 0;
                FeatureClassifier clf = new FeatureClassifier(new FeatureClassifier.Config(c.get("inChannels").asInt(),
                        c.get("width").asInt(), c.get("featureDim").asInt(), classes, side), new Rng(0));
                clf.loadStateDict(s.model(), Module.LoadMode.STRICT);
                clf.eval();
                return clf;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        List<Tensor> fields = trainingFields(config, train, rng.split());
        boolean shapes = config.get("data").asText().equals("shapes");
        int channels = (int) fields.get(0).size(1);
        FeatureClassifier.Config c = shapes
                ? FeatureClassifier.Config.small(channels, ShapesDataset.numFigures(), ShapesDataset.numColours())
                : FeatureClassifier.Config.centred(channels, (int) fields.get(0).size(2), FashionMnist.CLASS_NAMES.size());
        var d = shapes ? FeatureClassifier.FitOptions.defaults() : FeatureClassifier.FitOptions.fashionMnist();
        var fit = fitSteps > 0 ? d.withSteps(fitSteps) : d;
        long start = System.nanoTime();
        FeatureClassifier clf = FeatureClassifier.fit(c, fields.get(0), fields.subList(1, fields.size()), fit, rng);
        System.out.printf("trained the feature classifier in %.0f s; saved to %s%n", (System.nanoTime() - start) / 1e9,
                dir);
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("inChannels", c.inChannels()).put("width", c.width()).put("featureDim", c.featureDim())
                .put("flattenedSide", c.flattenedSide());
        var arr = json.putArray("numClasses");
        Arrays.stream(c.numClasses()).forEach(arr::add);
        try {
            Checkpoint.save(dir, new CheckpointState(clf.stateDict(), Map.of(), new long[0],
                    fit.steps(), json, Map.of("data", config.get("data").asText())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return clf;
    }

    /**
     * The classifier's training images and labels: for shapes, {@value #SHAPES_TRAIN} freshly drawn images of the
     * run's size (the tiny preset's 512 are too few for a judge that must be near-perfect on real shapes); for
     * Fashion-MNIST the whole training split ({@code train} if it holds all {@value #FASHION_TRAIN}, else loaded).
     */
    private static List<Tensor> trainingFields(JsonNode config, DiffusionExample.Data train, Rng rng) {
        if (config.get("data").asText().equals("shapes")) {
            var s = ShapesDataset.generate(rng, SHAPES_TRAIN, config.get("sampleShape").get(1).asInt());
            return List.of(s.tensors().field(0), s.tensors().field(1), s.tensors().field(2));
        }
        // all 60,000 training images whatever the preset: the tiny preset's 512 are far too few for the judge
        DiffusionExample.Data d = train != null && train.x().size(0) >= FASHION_TRAIN ? train
                : DiffusionExample.load(config.get("data").asText(), rng, "small");
        List<Tensor> out = new ArrayList<>(List.of(d.x(), d.labels()));
        if (d.colours() != null) {
            out.add(d.colours());
        }
        return out;
    }

    /**
     * Real images the denoiser did not train on, with their labels (figure and colour, or class): freshly drawn
     * shapes, or Fashion-MNIST's test split.
     */
    static List<Tensor> heldOut(JsonNode config, Rng rng, int n) {
        JsonNode shape = config.get("sampleShape");
        if (config.get("data").asText().equals("shapes")) {
            var s = ShapesDataset.generate(rng, n, shape.get(1).asInt());
            return List.of(s.tensors().field(0), s.tensors().field(1), s.tensors().field(2));
        }
        try {
            var d = FashionMnist.load(Path.of(FashionMnist.DEBIAN_DIR), FashionMnist.Split.TEST, n);
            return List.of(d.field(0).mul(2.0).sub(1.0), d.field(1));
        } catch (IOException e) {
            throw new Cli.BadInputException("fashion-mnist: " + e.getMessage());
        }
    }
}
