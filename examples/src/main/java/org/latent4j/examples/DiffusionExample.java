/*
 * Diffusion in one runnable file: trains a denoiser (an MLP on 2-D points, a U-Net on images) with the simple
 * ε-prediction loss, keeps an EMA of its weights, then samples with DDPM (all T steps) and DDIM (50 steps).
 * Class labels (shapes' figures, Fashion-MNIST's classes) or captions ("a red circle", through a small text
 * encoder and cross-attention) condition the model, with classifier-free guidance at sampling.
 * Writes to the run directory: samples.npy (+ samples-ddim50.npy), samples.png (scatter or grid),
 * strip.png (forward noising, then reverse denoising), loss.png, metrics.csv, metrics.json, index.html, checkpoint/.
 *
 * Run:  ./latent4j diffusion train --data moons --max-steps 3000 --out runs/diffusion-moons
 *       ./latent4j diffusion sample --checkpoint runs/diffusion-moons --sampler ddim --steps 50 --out s.npy
 */
package org.latent4j.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.latent4j.core.data.FashionMnist;
import org.latent4j.core.data.ShapesDataset;
import org.latent4j.core.data.ToyDatasets;
import org.latent4j.core.io.Checkpoint;
import org.latent4j.core.io.CheckpointState;
import org.latent4j.core.io.Npy;
import org.latent4j.core.nn.Module;
import org.latent4j.core.ops.Indexing;
import org.latent4j.core.ops.Random;
import org.latent4j.core.optim.AdamW;
import org.latent4j.core.optim.Ema;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.train.MetricsLog;
import org.latent4j.core.viz.Colormap;
import org.latent4j.core.viz.Extent;
import org.latent4j.core.viz.GridOptions;
import org.latent4j.core.viz.HeatMap;
import org.latent4j.core.viz.ImageGrid;
import org.latent4j.core.viz.Plots;
import org.latent4j.core.viz.RunIndex;
import org.latent4j.core.viz.Series;
import org.latent4j.diffusion.CaptionTokenizer;
import org.latent4j.diffusion.Condition;
import org.latent4j.diffusion.DdimSampler;
import org.latent4j.diffusion.DdpmSampler;
import org.latent4j.diffusion.Denoiser;
import org.latent4j.diffusion.DiffusionLoss;
import org.latent4j.diffusion.DiffusionStep;
import org.latent4j.diffusion.EnergyDistance;
import org.latent4j.diffusion.FeatureClassifier;
import org.latent4j.diffusion.Guidance;
import org.latent4j.diffusion.MlpDenoiser;
import org.latent4j.diffusion.MlpDenoiserConfig;
import org.latent4j.diffusion.NoiseSchedule;
import org.latent4j.diffusion.Prediction;
import org.latent4j.diffusion.Sampler;
import org.latent4j.diffusion.TextConditionedUNet;
import org.latent4j.diffusion.TextEncoder;
import org.latent4j.diffusion.UNet;
import org.latent4j.diffusion.UNetConfig;

public final class DiffusionExample {
    private DiffusionExample() {
    }

    /**
     * @param data      moons, ring8, shapes, fashion-mnist or a FILE.npy ((N, 2) points or (N, C, H, W) in [-1, 1])
     * @param preset    tiny or small
     * @param condition none, label or caption (caption: shapes only)
     * @param samples   how many samples to draw at the end with each sampler (2-D: compared with as many fresh
     *                  points; images: judged by the feature classifier against as many held-out images); 0 for
     *                  2,000 points or 256 images
     * @param batchSize training batch; 0 for 256 points or 32 images
     * @param lr        AdamW learning rate; 0 for 2e-3 (points) or 5e-4 (images)
     * @param checkpointEvery also save the EMA weights every this many steps (0: only at the end)
     * @param classifier where the feature classifier that judges image samples is loaded from, or fitted and
     *                  saved to when it holds none; null for {@code out/classifier}
     * @param classifierSteps training steps of that classifier when it is fitted; 0 for
     *                  {@link FeatureClassifier.FitOptions#defaults()} (shapes) or
     *                  {@link FeatureClassifier.FitOptions#fashionMnist()}
     */
    public record Options(String data, String preset, String condition, int maxSteps, int timesteps, int samples,
            double guidance, long seed, Path out, int batchSize, double lr, int checkpointEvery, Path classifier,
            int classifierSteps) {
        public static Options defaults() {
            return new Options("moons", "small", "none", 3000, 1000, 0, 3.0, 0, Path.of("runs", "diffusion"), 0, 0, 0,
                    null, 0);
        }

        int sampleCount(boolean points) {
            return samples > 0 ? samples : points ? 2000 : 256;
        }

        Path classifierDir() {
            return classifier != null ? classifier : out.resolve(DiffusionJudge.DIR);
        }
    }

    /** Energy distances (2-D data) and the final loss, by name; where the files went. */
    public record Result(Map<String, Object> metrics, Path runDir) {
    }

    // ---- data -------------------------------------------------------------------------------------------

    /** Training data: x in [-1, 1] for images, labels, colours (shapes) and captions (each nullable). */
    record Data(Tensor x, Tensor labels, Tensor colours, List<String> captions, int numClasses) {
        boolean isPoints() {
            return x.rank() == 2;
        }

        Tensor fresh(String name, Rng rng, int n) {
            return name.equals("ring8") ? ToyDatasets.ring(rng, n).field(0) : ToyDatasets.twoMoons(rng, n, 0.05).field(0);
        }
    }

    static Data load(String name, Rng rng, String preset) {
        switch (name) {
            case "moons":
                return new Data(ToyDatasets.twoMoons(rng, 8192, 0.05).field(0), null, null, null, 0);
            case "ring8":
                return new Data(ToyDatasets.ring(rng, 8192).field(0), null, null, null, 0);
            case "shapes": {
                ShapesDataset s = ShapesDataset.generate(rng, preset.equals("tiny") ? 512 : 4096, preset.equals("tiny")
                        ? 16 : ShapesDataset.DEFAULT_SIZE);
                return new Data(s.tensors().field(0), s.tensors().field(1), s.tensors().field(2), s.captions(),
                        ShapesDataset.numFigures());
            }
            case "fashion-mnist": {
                try {
                    var d = FashionMnist.load(Path.of(FashionMnist.DEBIAN_DIR), FashionMnist.Split.TRAIN,
                            preset.equals("tiny") ? 512 : 60_000);
                    return new Data(d.field(0).mul(2.0).sub(1.0), d.field(1), null, null,
                            FashionMnist.CLASS_NAMES.size());
                } catch (IOException e) {
                    throw new Cli.BadInputException("fashion-mnist: " + e.getMessage()
                            + " (apt-get install dataset-fashion-mnist)");
                }
            }
            default: {
                if (!name.endsWith(".npy")) {
                    throw new Cli.BadInputException("unknown data '" + name
                            + "' (moons, ring8, shapes, fashion-mnist or FILE.npy)");
                }
                try {
                    Tensor x = Npy.read(Path.of(name)).to(DType.FLOAT32);
                    if (x.rank() != 2 && x.rank() != 4) {
                        throw new Cli.BadInputException(name + ": expected (N, D) points or (N, C, H, W) images");
                    }
                    return new Data(x, null, null, null, 0);
                } catch (IOException e) {
                    throw new Cli.BadInputException(name + ": " + e.getMessage());
                }
            }
        }
    }

    // ---- model ------------------------------------------------------------------------------------------

    /** What the checkpoint's config holds: enough to rebuild the model and its sampler. */
    static ObjectNode config(Options o, Data d) {
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.put("data", o.data()).put("preset", o.preset()).put("condition", o.condition()).put("seed", o.seed())
                .put("timesteps", o.timesteps()).put("numClasses", d.numClasses());
        var shape = c.putArray("sampleShape");
        for (int i = 1; i < d.x().rank(); i++) {
            shape.add(d.x().size(i));
        }
        if (o.condition().equals("caption")) {
            CaptionTokenizer tok = CaptionTokenizer.fromCaptions(d.captions());
            var words = c.putArray("captionWords");
            tok.words().forEach(words::add);
            c.put("captionLength", tok.maxWords());
        }
        return c;
    }

    /** A denoiser module built from the config; unconditional, class- or caption-conditioned. */
    static Module build(JsonNode c, Rng rng) {
        String preset = c.get("preset").asText();
        String condition = c.get("condition").asText();
        int classes = condition.equals("label") ? c.get("numClasses").asInt() : 0;
        JsonNode shape = c.get("sampleShape");
        if (shape.size() == 1) {
            MlpDenoiserConfig m = preset.equals("tiny") ? MlpDenoiserConfig.tiny() : MlpDenoiserConfig.small();
            return new MlpDenoiser(new MlpDenoiserConfig(shape.get(0).asInt(), m.hiddenDim(), m.numBlocks(),
                    m.timeEmbedDim(), classes), rng);
        }
        int channels = shape.get(0).asInt();
        int size = shape.get(1).asInt();
        UNetConfig u = preset.equals("tiny")
                ? new UNetConfig(size, channels, 16, new int[] {1, 2}, 1, new int[] {size / 2}, new int[0], 0, 2, 8, 0)
                : UNetConfig.small().withImage(size, channels);
        u = u.withNumClasses(classes);
        if (!condition.equals("caption")) {
            return new UNet(u, rng);
        }
        int dim = 2 * u.baseChannels();
        int lowest = size >> (u.channelMults().length - 1);
        UNet unet = new UNet(u.withCrossAttention(dim, lowest, lowest * 2), rng);
        return new TextConditionedUNet(new TextEncoder(c.get("captionWords").size() + 1, c.get("captionLength").asInt(),
                dim, 1, 2, DType.FLOAT32, rng), unet);
    }

    static CaptionTokenizer tokenizer(JsonNode c) {
        List<String> words = new ArrayList<>();
        c.get("captionWords").forEach(w -> words.add(w.asText()));
        return new CaptionTokenizer(words, c.get("captionLength").asInt());
    }

    // ---- training ---------------------------------------------------------------------------------------

    public static Result run(Options o) {
        Rng rng = new Rng(o.seed());
        Data data = load(o.data(), rng.split(), o.preset());
        if (o.condition().equals("caption") && data.captions() == null
                || o.condition().equals("label") && data.labels() == null) {
            throw new Cli.BadInputException("--condition " + o.condition() + " needs data with "
                    + o.condition() + "s (shapes" + (o.condition().equals("label") ? ", fashion-mnist" : "") + ")");
        }
        ObjectNode config = config(o, data);
        Module model = build(config, rng.split());
        Denoiser denoiser = (Denoiser) model;
        NoiseSchedule schedule = NoiseSchedule.linear(o.timesteps());
        double lr = o.lr() > 0 ? o.lr() : data.isPoints() ? 2e-3 : 5e-4;
        AdamW opt = new AdamW(model.parameters(), AdamW.defaults().withLr(lr).withWeightDecay(0));
        Ema ema = new Ema(model, Ema.Options.of(0.999).withWarmup());
        CaptionTokenizer tok = o.condition().equals("caption") ? tokenizer(config) : null;
        var step = new DiffusionStep<>(new Wrapped(model, denoiser), new DiffusionLoss(schedule, Prediction.EPSILON),
                opt, ema, o.condition().equals("none") ? 0 : 0.1, 1.0);

        MetricsLog log = MetricsLog.create(o.out());
        Rng batches = rng.split();
        int batchSize = o.batchSize() > 0 ? o.batchSize() : data.isPoints() ? 256 : 32;
        long start = System.nanoTime();
        double loss = Double.NaN;
        for (int i = 1; i <= o.maxSteps(); i++) {
            long[] idx = new long[batchSize];
            for (int j = 0; j < batchSize; j++) {
                idx[j] = batches.nextLong(data.x().size(0));
            }
            Tensor ids = Tensor.ofLongs(idx, batchSize);
            Tensor x0 = Indexing.indexSelect(data.x(), 0, ids);
            loss = step.run(x0, condition(o.condition(), data, idx, tok), batches);
            x0.close();
            log.append(i, Map.of("loss", loss));
            if (o.checkpointEvery() > 0 && i % o.checkpointEvery() == 0 && i < o.maxSteps()) {
                ema.store();
                ema.copyTo(model);
                save(o.out().resolve("checkpoint"), model, config, i);
                ema.restore();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        ema.copyTo(model);
        save(o.out().resolve("checkpoint"), model, config, o.maxSteps());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("final loss", loss);
        metrics.put("train seconds", seconds);
        sampleAndReport(o, data, denoiser, schedule, config, tok, rng.split(), metrics);
        log.writeJson(metrics);
        log.writeCurves(o.out().resolve("loss.png"), "diffusion training loss", List.of("loss"), Plots.AxisScale.LOG);
        RunIndex.write(o.out(), "Diffusion on " + o.data(), metrics); // the page the README's demo line points at
        return new Result(metrics, o.out());
    }

    /** The module seen as both a Module and a Denoiser, for {@link DiffusionStep}. */
    static final class Wrapped extends Module implements Denoiser {
        private final Denoiser inner;

        Wrapped(Module module, Denoiser inner) {
            registerModule("model", module);
            this.inner = inner;
        }

        @Override
        public Tensor forward(Tensor xt, Tensor t, Condition condition) {
            return inner.forward(xt, t, condition);
        }
    }

    static Condition condition(String kind, Data d, long[] idx, CaptionTokenizer tok) {
        switch (kind) {
            case "label": {
                long[] all = d.labels().toLongArray();
                long[] y = new long[idx.length];
                for (int i = 0; i < idx.length; i++) {
                    y[i] = all[(int) idx[i]];
                }
                return Condition.ofLabels(Tensor.ofLongs(y, idx.length));
            }
            case "caption": {
                List<String> c = new ArrayList<>();
                for (long i : idx) {
                    c.add(d.captions().get((int) i));
                }
                return Condition.ofTokens(tok.encode(c));
            }
            default:
                return Condition.NONE;
        }
    }

    static void save(Path dir, Module model, JsonNode config, long step) {
        try {
            Checkpoint.save(dir, new CheckpointState(model.stateDict(), Map.of(), new long[0], step, config,
                    Map.of("weights", "EMA")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- sampling and pictures ----------------------------------------------------------------------------

    /** The condition for {@code n} samples: cycling through the classes, or the shapes' captions. */
    static Condition sampleCondition(JsonNode c, int n, String caption, long label, CaptionTokenizer tok) {
        String kind = c.get("condition").asText();
        if (kind.equals("label")) {
            long[] y = new long[n];
            for (int i = 0; i < n; i++) {
                y[i] = label >= 0 ? label : i % c.get("numClasses").asInt();
            }
            return Condition.ofLabels(Tensor.ofLongs(y, n));
        }
        if (kind.equals("caption")) {
            return Condition.ofTokens(tok.encode(sampleCaptions(n, caption)));
        }
        return Condition.NONE;
    }

    /** {@code n} copies of {@code caption}, or (when null) captions cycling through the figures and colours. */
    static List<String> sampleCaptions(int n, String caption) {
        List<String> caps = new ArrayList<>();
        ShapesDataset.Figure[] figs = ShapesDataset.Figure.values();
        ShapesDataset.Colour[] cols = ShapesDataset.Colour.values();
        for (int i = 0; i < n; i++) {
            caps.add(caption != null ? caption : ShapesDataset.caption(figs[i % figs.length], cols[i % cols.length]));
        }
        return caps;
    }

    static long[] sampleShape(JsonNode c, int n) {
        JsonNode s = c.get("sampleShape");
        long[] shape = new long[s.size() + 1];
        shape[0] = n;
        for (int i = 0; i < s.size(); i++) {
            shape[i + 1] = s.get(i).asLong();
        }
        return shape;
    }

    private static void sampleAndReport(Options o, Data data, Denoiser model, NoiseSchedule schedule, JsonNode config,
            CaptionTokenizer tok, Rng rng, Map<String, Object> metrics) {
        boolean points = data.isPoints();
        int n = o.sampleCount(points);
        double clip = points ? Double.POSITIVE_INFINITY : 1;
        Denoiser guided = Guidance.classifierFree(model, o.guidance());
        Condition cond = sampleCondition(config, n, null, -1, tok);
        long[] shape = sampleShape(config, n);
        Sampler ddpm = new DdpmSampler(schedule, Prediction.EPSILON, clip);
        Sampler ddim = new DdimSampler(schedule, Prediction.EPSILON, Math.min(50, o.timesteps()), 0, clip);
        long t0 = System.nanoTime();
        Tensor a = ddpm.sample(guided, cond, shape, rng.split());
        long t1 = System.nanoTime();
        Tensor b = ddim.sample(guided, cond, shape, rng.split());
        long t2 = System.nanoTime();
        metrics.put("ddpm seconds", (t1 - t0) / 1e9);
        metrics.put("ddim50 seconds", (t2 - t1) / 1e9);
        try {
            Npy.write(o.out().resolve("samples.npy"), a);
            Npy.write(o.out().resolve("samples-ddim50.npy"), b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (points) {
            Tensor fresh = data.fresh(o.data(), rng.split(), n);
            metrics.put("energy distance ddpm", EnergyDistance.squared(a, fresh));
            metrics.put("energy distance ddim50", EnergyDistance.squared(b, fresh));
            metrics.put("energy distance N(0,I)", EnergyDistance.squared(
                    Random.randn(rng.split(), DType.FLOAT32, n, 2), fresh));
            Plots.writeScatter(o.out().resolve("samples.png"), "diffusion samples", List.of(
                    Series.ofPoints("data", fresh), Series.ofPoints("DDPM-" + o.timesteps(), a),
                    Series.ofPoints("DDIM-50", b)));
        } else {
            GridOptions grid = GridOptions.defaults().withColumns(n > 64 ? 16 : 8);
            ImageGrid.write(o.out().resolve("samples.png"), a, grid);
            ImageGrid.write(o.out().resolve("samples-ddim50.png"), b, grid);
            if (DiffusionJudge.applies(config)) {
                DiffusionJudge judge = DiffusionJudge.create(config, o.classifierDir(), data, o.classifierSteps(), n,
                        rng.split());
                List<Tensor> requested = DiffusionJudge.requested(config, cond, sampleCaptions(n, null));
                judge.describe(metrics, requested);
                judge.judge("ddpm", a, requested, metrics);
                judge.judge("ddim50", b, requested, metrics);
            }
        }
        strip(o, data, model, schedule, cond, rng.split());
    }

    /** Row 1: q(x_t | x₀) at five steps; row 2: the DDIM-50 sampler's x at five points of its run. */
    static void strip(Options o, Data data, Denoiser model, NoiseSchedule schedule, Condition cond, Rng rng) {
        int stages = 5;
        int tMax = o.timesteps() - 1;
        boolean points = data.isPoints();
        int n = points ? Math.min(1000, (int) data.x().size(0)) : 1;
        Tensor x0 = Indexing.indexSelect(data.x(), 0, Random.randint(rng, 0, data.x().size(0), n));
        List<Tensor> forward = new ArrayList<>();
        for (int k = 0; k < stages; k++) {
            long[] t = new long[n];
            java.util.Arrays.fill(t, (long) Math.round((double) k * tMax / (stages - 1)));
            forward.add(schedule.qSample(x0, Tensor.ofLongs(t, n), Random.randn(rng, DType.FLOAT32, x0.shape())));
        }
        List<Tensor> reverse = new ArrayList<>();
        int steps = Math.min(50, o.timesteps());
        Condition c = points || cond.isEmpty() ? Condition.NONE : firstOf(cond);
        Tensor noise = Random.randn(rng, DType.FLOAT32, x0.shape());
        reverse.add(noise);
        new DdimSampler(schedule, Prediction.EPSILON, steps, 0, points ? Double.POSITIVE_INFINITY : 1).sample(
                Guidance.classifierFree(model, o.guidance()), c, noise, rng, (i, t, x) -> {
                    if (i % Math.max(1, steps / (stages - 1)) == 0 && reverse.size() < stages - 1 || t == -1) {
                        reverse.add(Tensor.wrap(x.value().dup()));
                    }
                });
        Path png = o.out().resolve("strip.png");
        if (!points) {
            List<Tensor> frames = new ArrayList<>(forward);
            frames.addAll(reverse);
            ImageGrid.write(png, org.latent4j.core.ops.Shapes.concat(frames, 0),
                    GridOptions.defaults().withColumns(stages));
            return;
        }
        Extent extent = Extent.square(3.5);
        int bins = 64;
        int cell = 2;
        BufferedImage img = new BufferedImage(stages * bins * cell, 2 * bins * cell, BufferedImage.TYPE_INT_RGB);
        var g = img.createGraphics();
        for (int row = 0; row < 2; row++) {
            List<Tensor> frames = row == 0 ? forward : reverse;
            for (int k = 0; k < frames.size(); k++) {
                double[][] h = HeatMap.histogram(frames.get(k), extent, bins);
                double max = 1;
                for (double[] r : h) {
                    for (double v : r) {
                        max = Math.max(max, v);
                    }
                }
                for (double[] r : h) {
                    for (int j = 0; j < r.length; j++) {
                        r[j] = Math.sqrt(r[j] / max);
                    }
                }
                g.drawImage(HeatMap.render(h, Colormap.VIRIDIS, cell), k * bins * cell, row * bins * cell, null);
            }
        }
        g.dispose();
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            javax.imageio.ImageIO.write(img, "png", png.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Condition firstOf(Condition c) {
        return new Condition(c.labels() == null ? null : org.latent4j.core.ops.Shapes.slice(c.labels(), 0, 0, 1),
                c.tokens() == null ? null : org.latent4j.core.ops.Shapes.slice(c.tokens(), 0, 0, 1));
    }

    public static void main(String[] args) {
        Cli.runSubcommand("diffusion", args);
    }
}
