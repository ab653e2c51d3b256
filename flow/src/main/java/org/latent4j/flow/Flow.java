package org.latent4j.flow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.nn.Module;
import org.latent4j.core.ops.Elementwise;
import org.latent4j.core.ops.Reductions;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * A normalizing flow: a {@link Bijector} {@code f} from data to a standard normal latent, giving the exact
 * log-likelihood by the change of variables,
 * <pre>  log p(x) = log N(f(x); 0, I) + log|det ∂f(x)/∂x|,</pre>
 * and samples {@code x = f⁻¹(z)}, {@code z ~ N(0, I)}. Training minimises {@link #nll}, the mean negative
 * log-likelihood in nats (Dinh et al. 2016, "Density estimation using Real NVP"; Kingma and Dhariwal 2018, "Glow").
 * The bijector is registered as {@code bijector}, so parameters are named {@code bijector.0.…}.
 */
public final class Flow extends Module {
    private final Bijector bijector;
    private final long[] eventShape;
    private final long[] latentShape;
    private final DType dtype;

    /**
     * @param eventShape the shape of one example, e.g. (2) for points or (1, 8, 8) for images
     * @param dtype      the dtype of the samples the flow draws (its parameters' dtype)
     */
    public Flow(Bijector bijector, DType dtype, long... eventShape) {
        if (bijector == null || dtype == null) {
            throw new IllegalArgumentException("Flow: bijector and dtype must not be null");
        }
        if (eventShape.length == 0 || Arrays.stream(eventShape).anyMatch(s -> s <= 0)) {
            throw new IllegalArgumentException("Flow: eventShape must be non-empty and positive, got "
                    + Arrays.toString(eventShape));
        }
        this.bijector = registerModule("bijector", bijector);
        this.eventShape = eventShape.clone();
        this.latentShape = bijector.forwardShape(this.eventShape);
        this.dtype = dtype;
    }

    /** RealNVP on vectors (see {@link RealNvpConfig}). */
    public static Flow realNvp(RealNvpConfig c, Rng rng) {
        List<Bijector> steps = new ArrayList<>();
        for (int i = 0; i < c.couplings(); i++) {
            if (c.actNorm()) {
                steps.add(new ActNorm(c.dim(), c.dtype()));
            }
            if (c.mixing()) {
                steps.add(new InvertibleConv1x1(c.dim(), c.dtype(), rng));
            }
            steps.add(AffineCoupling.mlp(Masks.alternating(c.dim(), i % 2, c.dtype()), c.hidden(), c.depth(),
                    c.scaleClamp(), c.dtype(), rng));
        }
        return new Flow(new Chain(steps), c.dtype(), c.dim());
    }

    /** A masked autoregressive flow on vectors (see {@link MafConfig}). */
    public static Flow maf(MafConfig c, Rng rng) {
        List<Bijector> steps = new ArrayList<>();
        int[] hidden = new int[c.depth()];
        Arrays.fill(hidden, c.hidden());
        for (int i = 0; i < c.layers(); i++) {
            if (i > 0) {
                steps.add(Permutation.reverse(c.dim()));
            }
            steps.add(MaskedAutoregressive.of(c.dim(), hidden, c.scaleClamp(), c.dtype(), rng));
        }
        return new Flow(new Chain(steps), c.dtype(), c.dim());
    }

    /** A one-scale Glow on images in [0, 1] (see {@link GlowConfig}). */
    public static Flow glow(GlowConfig c, Rng rng) {
        List<Bijector> steps = new ArrayList<>();
        steps.add(new Logit(c.logitAlpha()));
        steps.add(new Squeeze());
        int ch = 4 * c.channels();
        int h = c.height() / 2;
        int w = c.width() / 2;
        for (int i = 0; i < c.steps(); i++) {
            steps.add(new ActNorm(ch, c.dtype()));
            steps.add(new InvertibleConv1x1(ch, c.dtype(), rng));
            steps.add(AffineCoupling.conv(Masks.channels(ch, h, w, i % 2, c.dtype()), c.hidden(), c.scaleClamp(),
                    c.dtype(), rng));
        }
        return new Flow(new Chain(steps), c.dtype(), c.channels(), c.height(), c.width());
    }

    /** log p(x) in nats for each example of x (B, eventShape…): shape (B). */
    public Tensor logProb(Tensor x) {
        checkInput("logProb", x);
        Bijector.Output o = bijector.forward(x);
        return Elementwise.add(StandardNormal.logProb(o.z()), o.logDet());
    }

    /** The mean negative log-likelihood of the batch in nats: the training loss. */
    public Tensor nll(Tensor x) {
        return Elementwise.neg(Reductions.mean(logProb(x)));
    }

    /** The latent code z = f(x) of each example (no gradient recorded). */
    public Tensor encode(Tensor x) {
        checkInput("encode", x);
        try (GradMode.Scope ng = GradMode.noGrad()) {
            return bijector.forward(x).z();
        }
    }

    /** n samples x = f⁻¹(z), z ~ N(0, I), shape (n, eventShape…) (no gradient recorded). */
    public Tensor sample(int n, Rng rng) {
        try (GradMode.Scope ng = GradMode.noGrad()) {
            return bijector.inverse(StandardNormal.sample(rng, dtype, n, latentShape));
        }
    }

    /** x = f⁻¹(z) for given latents (B, latentShape…) (no gradient recorded). */
    public Tensor decode(Tensor z) {
        checkShape("decode", z, latentShape);
        try (GradMode.Scope ng = GradMode.noGrad()) {
            return bijector.inverse(z);
        }
    }

    public Bijector bijector() {
        return bijector;
    }

    public long[] eventShape() {
        return eventShape.clone();
    }

    /** The number of entries of one example (D in bits per dimension). */
    public long eventSize() {
        return Shape.numel(eventShape);
    }

    /** The shape of one example's latent z = f(x): the event shape unless the flow squeezes. */
    public long[] latentShape() {
        return latentShape.clone();
    }

    public DType dtype() {
        return dtype;
    }

    private void checkInput(String op, Tensor x) {
        checkShape(op, x, eventShape);
    }

    private static void checkShape(String op, Tensor x, long[] eventShape) {
        long[] s = x.shape();
        if (s.length != eventShape.length + 1 || !Arrays.equals(Arrays.copyOfRange(s, 1, s.length), eventShape)) {
            throw new IllegalArgumentException("Flow." + op + ": input " + Shape.format(s) + " must be (B, "
                    + String.join(", ", Arrays.stream(eventShape).mapToObj(Long::toString).toList()) + ")");
        }
    }

    @Override
    protected String extraRepr() {
        return "eventShape=" + Shape.format(eventShape);
    }
}
