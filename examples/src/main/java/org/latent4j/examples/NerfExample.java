/*
 * NeRF in one runnable file: renders its own training views of a small analytic scene (coloured spheres and
 * boxes, Lambert shading, no download), trains a neural radiance field on random rays of those views with the
 * paper's loss (coarse + fine), then renders held-out views and an orbit of novel views.
 * Writes to the run directory: heldout.png (row 1 ground truth, row 2 NeRF), depth.png (true depth, then
 * NeRF's expected depth; near is bright), orbit.png (novel views around the scene), psnr.png (training-batch
 * and held-out PSNR), loss.png, metrics.csv, metrics.json (PSNR per held-out view and the mean-colour
 * baseline), index.html, checkpoint/.
 *
 * Run:  ./latent4j nerf [--steps 250] [--size 20] [--views 20] [--out runs/nerf] [--resume]
 */
package org.latent4j.examples;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.latent4j.core.ops.Elementwise;
import org.latent4j.core.ops.Losses;
import org.latent4j.core.optim.Adam;
import org.latent4j.core.optim.LrSchedule;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.train.Trainer;
import org.latent4j.core.viz.GridOptions;
import org.latent4j.core.viz.ImageGrid;
import org.latent4j.core.viz.PixelRange;
import org.latent4j.core.viz.Plots;
import org.latent4j.core.viz.RunIndex;
import org.latent4j.core.viz.Series;
import org.latent4j.nerf.Background;
import org.latent4j.nerf.Camera;
import org.latent4j.nerf.Intrinsics;
import org.latent4j.nerf.Nerf;
import org.latent4j.nerf.NerfMlpConfig;
import org.latent4j.nerf.Psnr;
import org.latent4j.nerf.RenderOptions;
import org.latent4j.nerf.Scene;
import org.latent4j.nerf.SceneViews;

public final class NerfExample {
    /** Cameras sit on a sphere of this radius around the scene and sample depths in [NEAR, FAR]. */
    static final double RADIUS = 4;
    static final double NEAR = 2;
    static final double FAR = 6;
    static final double FIELD_OF_VIEW = 40;

    private NerfExample() {
    }

    /**
     * @param size      width and height of every view, in pixels
     * @param views     training views, on an orbit at elevations 15°, 35°, 55°
     * @param testViews held-out views, between the training azimuths
     * @param coarse    stratified samples per ray; {@code fine} more drawn from the coarse weights (0: none)
     * @param width     width of the MLPs (the tiny preset's depth, skip and encodings)
     * @param orbitFrames novel views rendered around the scene at the end
     */
    public record Options(int size, int views, int testViews, int steps, int batchSize, int coarse, int fine,
            int width, double lr, int orbitFrames, long seed, Path out, Trainer.Resume resume,
            Trainer.Progress progress) {
        public Options {
            if (size < 2 || views < 1 || testViews < 1 || steps < 1 || batchSize < 1 || width < 1 || orbitFrames < 1
                    || !(lr > 0)) {
                throw new IllegalArgumentException("nerf: size must be >= 2, and views, testViews, steps, batchSize, "
                        + "width, orbitFrames >= 1 and lr > 0; got " + size + ", " + views + ", " + testViews + ", "
                        + steps + ", " + batchSize + ", " + width + ", " + orbitFrames + ", " + lr);
            }
            new RenderOptions(coarse, fine, Background.WHITE); // validates the sample counts
        }

        public static Options defaults() {
            return new Options(20, 20, 4, 250, 256, 24, 0, 64, 1e-2, 12, 1, Path.of("runs", "nerf"),
                    Trainer.Resume.FRESH, Trainer.Progress.BAR);
        }
    }

    /** Mean held-out PSNR, the mean-colour baseline's, per-view PSNR and where the outputs are. */
    public record Result(double heldOutPsnr, double baselinePsnr, double[] viewPsnr, double loss, Path runDir) {
    }

    /** The training views and the held-out views of the built-in scene for these options. */
    static SceneViews[] views(Options o) {
        Scene scene = Scene.builtIn();
        Intrinsics in = Intrinsics.fromFieldOfView(o.size(), o.size(), FIELD_OF_VIEW);
        SceneViews train = SceneViews.render(scene, SceneViews.orbitCameras(in, RADIUS, o.views(), 0, 15, 35, 55),
                NEAR, FAR);
        SceneViews test = SceneViews.render(scene, SceneViews.orbitCameras(in, RADIUS, o.testViews(),
                180.0 / o.views() + 45, 25, 45), NEAR, FAR);
        return new SceneViews[] {train, test};
    }

    public static Result run(Options o) {
        SceneViews[] v = views(o);
        SceneViews train = v[0];
        SceneViews test = v[1];
        Rng rng = new Rng(o.seed());
        NerfMlpConfig mlp = NerfMlpConfig.tiny().withWidth(o.width())
                .withDensityActivation(NerfMlpConfig.DensityActivation.RELU);
        Nerf model = new Nerf(mlp, new RenderOptions(o.coarse(), o.fine(), Background.WHITE), rng.split());
        Adam opt = new Adam(model.parameters(), Adam.Options.defaults().withLr(o.lr()));
        LrSchedule schedule = LrSchedule.cosine(o.steps(), o.lr() / 10);
        Rng batches = rng.split();   // all of a step's randomness: checkpointed with the model
        Trainer trainer = new Trainer(Trainer.Options.of(o.out(), o.steps())
                .withCheckpointEvery(Math.max(1, o.steps() / 4)).withResume(o.resume()).withProgress(o.progress()),
                model, opt, batches, config(o));
        List<double[]> heldOut = new ArrayList<>();   // (step, PSNR) of this process's evaluations
        long evalEvery = Math.max(1, o.steps() / 8);
        Trainer.Result fit = trainer.fit(step -> {
            SceneViews.Batch b = train.batch(batches, o.batchSize(), DType.FLOAT32);
            Nerf.Output out = model.render(b.rays(), batches);
            Tensor coarseLoss = Losses.mse(out.coarse().rgb(), b.colours());
            Tensor loss = out.fine() == null ? coarseLoss
                    : Elementwise.add(coarseLoss, Losses.mse(out.fine().rgb(), b.colours()));
            opt.setLr(schedule, step);
            opt.zeroGrad();
            loss.backward();
            opt.step();
            double shownMse = out.fine() == null ? coarseLoss.item() : loss.item() - coarseLoss.item();
            if ((step + 1) % evalEvery == 0 || step + 1 == o.steps()) {
                heldOut.add(new double[] {step + 1, evaluate(model, test, null, null)});
            }
            return Map.of("loss", loss.item(), "psnr", Psnr.fromMse(shownMse));
        });

        // held-out views: PSNR per view, pictures of truth beside NeRF, depth maps
        List<View> rendered = new ArrayList<>();
        double[] perView = new double[test.size()];
        double heldOutPsnr = evaluate(model, test, rendered, perView);
        double baseline = baselinePsnr(train, test);
        writePictures(o, model, test, rendered);
        writePsnrPlot(o.out(), trainer.metrics().steps(), trainer.metrics().values("psnr"), heldOut, baseline);

        Map<String, Object> evaluation = new LinkedHashMap<>();
        evaluation.put("heldout_psnr", heldOutPsnr);
        evaluation.put("mean_colour_baseline_psnr", baseline);
        for (int i = 0; i < perView.length; i++) {
            evaluation.put("heldout_psnr_view" + i, perView[i]);
        }
        evaluation.put("parameters", model.numParameters());
        evaluation.put("train_views", o.views());
        evaluation.put("image_size", o.size());
        trainer.writeSummary(evaluation);
        Map<String, Object> shown = new LinkedHashMap<>(evaluation);
        shown.put("final loss", fit.lastMetrics().get("loss"));
        shown.put("steps", fit.steps());
        shown.put("seconds (this run)", fit.seconds());
        RunIndex.write(o.out(), "NeRF on the built-in scene", shown);
        return new Result(heldOutPsnr, baseline, perView, fit.lastMetrics().get("loss"), o.out());
    }

    /** A rendered view on the host: colour (3, H, W), expected depth and opacity (H, W), row-major. */
    record View(double[] rgb, double[] depth, double[] opacity) {
    }

    /** Renders {@code camera} inside its own arena and copies the result to the host. */
    static View render(Nerf model, Camera camera) {
        try (Arena arena = Arena.open()) {
            Nerf.Image img = model.renderImage(camera, NEAR, FAR, 4096);
            return new View(img.rgb().toDoubleArray(), img.depth().toDoubleArray(), img.opacity().toDoubleArray());
        }
    }

    /** Renders every held-out view; returns the mean PSNR. Fills {@code views} and {@code perView} when given. */
    static double evaluate(Nerf model, SceneViews test, List<View> views, double[] perView) {
        double mean = 0;
        for (int i = 0; i < test.size(); i++) {
            View v = render(model, test.cameras().get(i));
            double p = Psnr.of(v.rgb(), test.image(i));
            mean += p / test.size();
            if (perView != null) {
                perView[i] = p;
            }
            if (views != null) {
                views.add(v);
            }
        }
        return mean;
    }

    /** PSNR of predicting every held-out pixel as the training views' mean colour. */
    static double baselinePsnr(SceneViews train, SceneViews test) {
        double[] mean = train.meanColour();
        double total = 0;
        for (int i = 0; i < test.size(); i++) {
            double[] truth = test.image(i);   // (3, H, W)
            int hw = truth.length / 3;
            double[] constant = new double[truth.length];
            for (int k = 0; k < truth.length; k++) {
                constant[k] = mean[k / hw];
            }
            total += Psnr.of(constant, truth) / test.size();
        }
        return total;
    }

    private static void writePictures(Options o, Nerf model, SceneViews test, List<View> rendered) {
        int n = test.size();
        int h = test.height();
        int w = test.width();
        int hw = h * w;
        GridOptions grid = GridOptions.defaults().withColumns(n).withRange(PixelRange.ZERO_TO_ONE);
        float[] pair = new float[2 * n * 3 * hw];
        float[] depth = new float[2 * n * hw];
        for (int i = 0; i < n; i++) {
            double[] truth = test.image(i);
            double[] mine = rendered.get(i).rgb();
            double[] trueDepth = test.depth(i);
            double[] nerfDepth = rendered.get(i).depth();
            double[] opacity = rendered.get(i).opacity();
            for (int k = 0; k < 3 * hw; k++) {
                pair[i * 3 * hw + k] = (float) truth[k];
                pair[(n + i) * 3 * hw + k] = (float) mine[k];
            }
            for (int k = 0; k < hw; k++) {
                depth[i * hw + k] = nearIsBright(trueDepth[k]);
                // expected depth Σwt is pulled towards 0 where the ray is transparent: show depth given a hit
                depth[(n + i) * hw + k] = opacity[k] > 0.5 ? nearIsBright(nerfDepth[k] / opacity[k]) : 0f;
            }
        }
        ImageGrid.write(o.out().resolve("heldout.png"), Tensor.of(pair, 2L * n, 3, h, w), grid);
        ImageGrid.write(o.out().resolve("depth.png"), Tensor.of(depth, 2L * n, 1, h, w), grid);
        Intrinsics in = test.cameras().get(0).intrinsics();
        float[] frames = new float[o.orbitFrames() * 3 * hw];
        for (int f = 0; f < o.orbitFrames(); f++) {
            Camera cam = Camera.orbit(in, RADIUS, 360.0 * f / o.orbitFrames(), 30);
            double[] rgb = render(model, cam).rgb();
            for (int k = 0; k < 3 * hw; k++) {
                frames[f * 3 * hw + k] = (float) rgb[k];
            }
        }
        ImageGrid.write(o.out().resolve("orbit.png"), Tensor.of(frames, o.orbitFrames(), 3, h, w),
                grid.withColumns(Math.min(6, o.orbitFrames())));
    }

    /** 1 at the near bound, 0 at the far bound or beyond (and for misses). */
    private static float nearIsBright(double d) {
        if (!Double.isFinite(d)) {
            return 0f;
        }
        return (float) Math.min(1, Math.max(0, (FAR - d) / (FAR - NEAR)));
    }

    private static void writePsnrPlot(Path dir, long[] steps, double[] psnr, List<double[]> heldOut, double baseline) {
        double[] x = new double[steps.length];
        double[] smooth = new double[psnr.length];
        double s = Double.NaN;
        for (int i = 0; i < steps.length; i++) {
            x[i] = steps[i] + 1;
            s = Double.isNaN(s) ? psnr[i] : 0.95 * s + 0.05 * psnr[i];
            smooth[i] = s;
        }
        List<Series> series = new ArrayList<>();
        series.add(new Series("training batch (smoothed)", x, smooth));
        if (!heldOut.isEmpty()) {
            double[] hx = new double[heldOut.size()];
            double[] hy = new double[heldOut.size()];
            for (int i = 0; i < hx.length; i++) {
                hx[i] = heldOut.get(i)[0];
                hy[i] = heldOut.get(i)[1];
            }
            series.add(new Series("held-out views", hx, hy));
        }
        if (x.length > 0) {
            series.add(new Series("mean-colour baseline", new double[] {x[0], x[x.length - 1]},
                    new double[] {baseline, baseline}));
        }
        Plots.writeLines(dir.resolve("psnr.png"), "NeRF PSNR", "step", "PSNR (dB)", series, Plots.AxisScale.LINEAR);
    }

    private static ObjectNode config(Options o) {
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.put("example", "nerf").put("size", o.size()).put("views", o.views()).put("testViews", o.testViews())
                .put("steps", o.steps()).put("batchSize", o.batchSize()).put("coarse", o.coarse())
                .put("fine", o.fine()).put("width", o.width()).put("lr", o.lr()).put("seed", o.seed());
        return c;
    }

    public static void main(String[] args) {
        Cli.runSubcommand("nerf", args);
    }
}
