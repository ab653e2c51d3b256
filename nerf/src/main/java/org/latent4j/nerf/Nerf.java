package org.latent4j.nerf;

import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.nn.Module;
import org.latent4j.core.ops.Elementwise;
import org.latent4j.core.ops.Losses;
import org.latent4j.core.ops.Shapes;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * A neural radiance field as the paper trains it: a coarse {@link NerfMlp} queried at stratified samples, and
 * (when {@link RenderOptions#numFine()} > 0) a fine one queried at those plus samples drawn from the coarse
 * weights; both are rendered with {@link VolumeRendering} and trained together on the squared colour error
 * of each (eq. 6). Children are {@code coarse} and {@code fine}.
 */
public final class Nerf extends Module {
    /** The coarse pass and the fine pass (null when there is no fine network). */
    public record Output(VolumeRendering.Rendered coarse, VolumeRendering.Rendered fine) {
        /** The fine pass when there is one, else the coarse: what to show. */
        public VolumeRendering.Rendered best() {
            return fine != null ? fine : coarse;
        }
    }

    /** A rendered image: colour (3, H, W), expected depth (H, W) and opacity (H, W), on the host. */
    public record Image(Tensor rgb, Tensor depth, Tensor opacity) {
    }

    private final NerfMlpConfig mlpConfig;
    private final RenderOptions options;
    private final DType dtype;
    private final NerfMlp coarse;
    private final NerfMlp fine;

    public Nerf(NerfMlpConfig mlpConfig, RenderOptions options, Rng rng) {
        this(mlpConfig, options, DType.FLOAT32, rng);
    }

    public Nerf(NerfMlpConfig mlpConfig, RenderOptions options, DType dtype, Rng rng) {
        if (mlpConfig == null || options == null || dtype == null || rng == null) {
            throw new IllegalArgumentException("Nerf: mlpConfig, options, dtype and rng must not be null");
        }
        this.mlpConfig = mlpConfig;
        this.options = options;
        this.dtype = dtype;
        coarse = registerModule("coarse", new NerfMlp(mlpConfig, dtype, rng));
        fine = options.numFine() > 0 ? registerModule("fine", new NerfMlp(mlpConfig, dtype, rng)) : null;
    }

    public RenderOptions options() {
        return options;
    }

    public NerfMlpConfig mlpConfig() {
        return mlpConfig;
    }

    /** Renders the rays; {@code jitter} draws the sample positions (null: deterministic, for evaluation). */
    public Output render(Rays rays, Rng jitter) {
        RaySamples cs = Sampling.stratified(rays, options.numCoarse(), jitter);
        VolumeRendering.Rendered c = pass(coarse, rays, cs);
        if (fine == null) {
            return new Output(c, null);
        }
        RaySamples fs = Sampling.hierarchical(rays, cs, c.weights(), options.numFine(), jitter);
        return new Output(c, pass(fine, rays, fs));
    }

    private VolumeRendering.Rendered pass(NerfMlp mlp, Rays rays, RaySamples samples) {
        int n = samples.numRays();
        int s = samples.perRay();
        Tensor points = rays.points(samples.t(), s, dtype);                                  // (N, S, 3)
        Tensor dirs = Shapes.unsqueeze(rays.directionTensor(dtype), 1);                       // (N, 1, 3)
        NerfMlp.Radiance r = mlp.forward(points, dirs);
        return VolumeRendering.render(r.density(), r.rgb(), samples, options.background());
    }

    /**
     * The training loss of eq. 6 for a batch of rays and their true colours (N, 3): mean squared error of the
     * coarse rendering plus that of the fine one.
     */
    public Tensor loss(Rays rays, Tensor targets, Rng jitter) {
        if (targets.rank() != 2 || targets.size(0) != rays.count() || targets.size(1) != 3) {
            throw new IllegalArgumentException("Nerf.loss: targets " + Shape.format(targets.shape()) + " must be ("
                    + rays.count() + ",3)");
        }
        Output out = render(rays, jitter);
        Tensor loss = Losses.mse(out.coarse().rgb(), targets);
        return out.fine() == null ? loss : Elementwise.add(loss, Losses.mse(out.fine().rgb(), targets));
    }

    /**
     * Renders a whole camera view without gradients, {@code chunk} rays at a time with deterministic samples,
     * showing the fine pass when there is one.
     */
    public Image renderImage(Camera camera, double near, double far, int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("Nerf.renderImage: chunk must be positive, got " + chunk);
        }
        Rays all = camera.rays(near, far);
        int n = all.count();
        int h = camera.intrinsics().height();
        int w = camera.intrinsics().width();
        double[] rgb = new double[3 * n];
        double[] depth = new double[n];
        double[] opacity = new double[n];
        try (GradMode.Scope ng = GradMode.noGrad()) {
            for (int start = 0; start < n; start += chunk) {
                int end = Math.min(n, start + chunk);
                try (Arena arena = Arena.open()) {
                    VolumeRendering.Rendered r = render(all.slice(start, end), null).best();
                    double[] c = r.rgb().toDoubleArray();                         // (chunk, 3)
                    double[] d = r.depth().toDoubleArray();
                    double[] a = r.opacity().toDoubleArray();
                    for (int k = 0; k < end - start; k++) {
                        int p = start + k;
                        for (int ch = 0; ch < 3; ch++) {
                            rgb[ch * n + p] = c[3 * k + ch];                     // to (3, H, W)
                        }
                        depth[p] = d[k];
                        opacity[p] = a[k];
                    }
                }
            }
        }
        return new Image(Tensor.of(rgb, 3, h, w), Tensor.of(depth, h, w), Tensor.of(opacity, h, w));
    }

    @Override
    protected String extraRepr() {
        return mlpConfig + ", " + options;
    }
}
