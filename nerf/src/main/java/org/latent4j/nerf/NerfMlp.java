package org.latent4j.nerf;

import org.latent4j.core.nn.Linear;
import org.latent4j.core.nn.Module;
import org.latent4j.core.nn.ModuleList;
import org.latent4j.core.nn.ParamOptions;
import org.latent4j.core.ops.Activations;
import org.latent4j.core.ops.Shapes;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * The NeRF network F(x, d) → (σ, c) (Mildenhall et al. 2020, fig. 7): the encoded position γ(x) goes through
 * {@code depth} ReLU layers (γ(x) concatenated again after layer {@code skip}); a linear head reads the density
 * σ from that trunk, which does not see the view direction, and a feature vector joined with the encoded view
 * direction γ(d) goes through one more ReLU layer to a sigmoid RGB colour. The view direction is a unit vector,
 * the usual stand-in for the paper's two angles (θ, φ). Parameter names follow the reference PyTorch port
 * (nerf-pytorch): {@code pts_linears.i}, {@code feature_linear}, {@code alpha_linear}, {@code views_linears.0},
 * {@code rgb_linear}.
 */
public final class NerfMlp extends Module {
    /** Density σ ≥ 0 of shape (…) and colour in (0, 1) of shape (…, 3). */
    public record Radiance(Tensor density, Tensor rgb) {
    }

    private final NerfMlpConfig config;
    private final PositionalEncoding positionEncoding;
    private final PositionalEncoding directionEncoding;
    private final ModuleList<Linear> ptsLinears;
    private final Linear featureLinear;
    private final Linear alphaLinear;
    private final ModuleList<Linear> viewsLinears;
    private final Linear rgbLinear;

    public NerfMlp(NerfMlpConfig config, Rng rng) {
        this(config, DType.FLOAT32, rng);
    }

    public NerfMlp(NerfMlpConfig config, DType dtype, Rng rng) {
        if (config == null || dtype == null || rng == null) {
            throw new IllegalArgumentException("NerfMlp: config, dtype and rng must not be null");
        }
        this.config = config;
        positionEncoding = config.positionEncoding();
        directionEncoding = config.directionEncoding();
        ParamOptions o = ParamOptions.defaults().withDType(dtype);
        int in = positionEncoding.outputDim(3);
        int w = config.width();
        ptsLinears = registerModule("pts_linears", new ModuleList<>());
        for (int i = 0; i < config.depth(); i++) {
            int fanIn = i == 0 ? in : i == config.skip() + 1 ? w + in : w;
            ptsLinears.add(new Linear(fanIn, w, o, rng));
        }
        featureLinear = registerModule("feature_linear", new Linear(w, w, o, rng));
        alphaLinear = registerModule("alpha_linear", new Linear(w, 1, o, rng));
        viewsLinears = registerModule("views_linears", new ModuleList<>());
        viewsLinears.add(new Linear(w + directionEncoding.outputDim(3), config.colorWidth(), o, rng));
        rgbLinear = registerModule("rgb_linear", new Linear(config.colorWidth(), 3, o, rng));
    }

    public NerfMlpConfig config() {
        return config;
    }

    /**
     * Positions (…, 3) and unit view directions → σ (…) and RGB (…, 3). The directions have the points' shape or
     * size 1 on some of the leading axes, (N, 1, 3) for the S samples of N rays: they are encoded before being
     * broadcast, once per ray.
     */
    public Radiance forward(Tensor points, Tensor directions) {
        if (points.rank() < 1 || points.size(-1) != 3) {
            throw new IllegalArgumentException("NerfMlp: points " + Shape.format(points.shape()) + " must be (…,3)");
        }
        boolean broadcastable = directions.rank() == points.rank() && directions.size(-1) == 3;
        for (int a = 0; broadcastable && a < points.rank() - 1; a++) {
            broadcastable = directions.size(a) == points.size(a) || directions.size(a) == 1;
        }
        if (!broadcastable) {
            throw new IllegalArgumentException("NerfMlp: directions " + Shape.format(directions.shape())
                    + " must have the points' shape " + Shape.format(points.shape()) + " or size 1 on leading axes");
        }
        int last = points.rank() - 1;
        Tensor encoded = positionEncoding.encode(points);                       // (…, Ex)
        Tensor h = encoded;
        for (int i = 0; i < ptsLinears.size(); i++) {
            h = Activations.relu(ptsLinears.get(i).forward(h));                 // (…, W)
            if (i == config.skip()) {
                h = Shapes.concat(last, encoded, h);                            // (…, Ex + W)
            }
        }
        Tensor raw = Shapes.squeeze(alphaLinear.forward(h), last);              // (…)
        Tensor density = config.densityActivation() == NerfMlpConfig.DensityActivation.RELU
                ? Activations.relu(raw) : Activations.softplus(raw);
        Tensor feature = featureLinear.forward(h);                              // (…, W)
        Tensor viewCode = directionEncoding.encode(directions);                 // (…, Ed), maybe size 1 on some axes
        long[] full = points.shape().clone();
        full[last] = viewCode.size(-1);
        Tensor v = Shapes.concat(last, feature, Shapes.expand(viewCode, full)); // (…, W + Ed)
        v = Activations.relu(viewsLinears.get(0).forward(v));                   // (…, colorWidth)
        Tensor rgb = Activations.sigmoid(rgbLinear.forward(v));                 // (…, 3)
        return new Radiance(density, rgb);
    }

    @Override
    protected String extraRepr() {
        return config.toString();
    }
}
