package org.latent4j.flow;

import java.util.Arrays;
import java.util.List;
import org.latent4j.core.nn.Activation;
import org.latent4j.core.nn.Conv2d;
import org.latent4j.core.nn.Init;
import org.latent4j.core.nn.Layer;
import org.latent4j.core.nn.Linear;
import org.latent4j.core.nn.Mlp;
import org.latent4j.core.nn.ParamOptions;
import org.latent4j.core.nn.Sequential;
import org.latent4j.core.ops.Activations;
import org.latent4j.core.ops.Convolution;
import org.latent4j.core.ops.Elementwise;
import org.latent4j.core.ops.Shapes;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * RealNVP's affine coupling layer (Dinh et al. 2016): with a binary mask b, the entries where b = 1 pass
 * through and condition an affine map of the others,
 * <pre>  z = b⊙x + (1−b)⊙(x⊙exp(s(b⊙x)) + t(b⊙x)),   log|det J| = Σ (1−b)⊙s(b⊙x).</pre>
 * The Jacobian is triangular, so the determinant is the product of the scales, and the inverse needs no
 * inversion of the conditioner: {@code x = b⊙z + (1−b)⊙(z − t)⊙exp(−s)} with s, t computed from b⊙z = b⊙x.
 *
 * <p>The conditioner maps the masked input (B, C, …) to (B, 2C, …): the first C outputs are the shift t, the
 * last C the raw log-scale, which is softly clamped, {@code s = c·tanh(raw / c)}, so a single layer can never
 * scale by more than e^{±c} (unbounded scales make training blow up). The conditioner's last layer starts at
 * zero, so a new coupling is the identity. An MLP conditions vectors ({@link #mlp}), a small convolutional net
 * images ({@link #conv}). Buffer: {@code mask}; children: {@code net}.
 */
public final class AffineCoupling extends Bijector {
    private final Tensor mask;
    private final Layer net;
    private final double scaleClamp;

    /**
     * @param mask       the event shape, 1 where entries pass through (see {@link Masks})
     * @param net        conditioner: (B, eventShape) → (B, 2·C, …) with C = mask.size(0)
     * @param scaleClamp c of the soft clamp {@code c·tanh(raw/c)}, positive
     */
    public AffineCoupling(Tensor mask, Layer net, double scaleClamp) {
        if (mask == null || net == null) {
            throw new IllegalArgumentException("AffineCoupling: mask and net must not be null");
        }
        if (!(scaleClamp > 0) || Double.isInfinite(scaleClamp)) {
            throw new IllegalArgumentException("AffineCoupling: scaleClamp must be positive and finite, got "
                    + scaleClamp);
        }
        double[] m = mask.toDoubleArray();
        if (Arrays.stream(m).anyMatch(v -> v != 0 && v != 1)
                || Arrays.stream(m).allMatch(v -> v == 1) || Arrays.stream(m).allMatch(v -> v == 0)) {
            throw new IllegalArgumentException("AffineCoupling: mask " + Shape.format(mask.shape())
                    + " must hold only 0 and 1, and both");
        }
        this.mask = registerBuffer("mask", mask);
        this.net = registerModule("net", net);
        this.scaleClamp = scaleClamp;
    }

    /**
     * A coupling of vectors (dim) conditioned by an MLP {@code dim → hidden ×depth → 2·dim} with ReLU; the
     * last layer starts at zero.
     */
    public static AffineCoupling mlp(Tensor mask, int hidden, int depth, double scaleClamp, DType dtype, Rng rng) {
        if (mask == null || mask.rank() != 1) {
            throw new IllegalArgumentException("AffineCoupling.mlp: mask must be (dim), got "
                    + (mask == null ? "null" : Shape.format(mask.shape())));
        }
        if (hidden <= 0 || depth <= 0) {
            throw new IllegalArgumentException("AffineCoupling.mlp: hidden and depth must be positive, got "
                    + hidden + ", " + depth);
        }
        int dim = (int) mask.size(0);
        int[] widths = new int[depth + 2];
        Arrays.fill(widths, hidden);
        widths[0] = dim;
        widths[depth + 1] = 2 * dim;
        Mlp net = new Mlp(widths, Activation::relu, ParamOptions.defaults().withDType(dtype), rng);
        Linear last = (Linear) net.get(net.size() - 1);
        Init.zeros(last.weight());
        Init.zeros(last.bias());
        return new AffineCoupling(mask.to(dtype), net, scaleClamp);
    }

    /**
     * A coupling of images (C, H, W) conditioned by conv 3×3 (C → hidden), ReLU, conv 1×1 (hidden → hidden),
     * ReLU, conv 3×3 (hidden → 2C), as in RealNVP and Glow; the last convolution starts at zero.
     */
    public static AffineCoupling conv(Tensor mask, int hidden, double scaleClamp, DType dtype, Rng rng) {
        if (mask == null || mask.rank() != 3) {
            throw new IllegalArgumentException("AffineCoupling.conv: mask must be (C, H, W), got "
                    + (mask == null ? "null" : Shape.format(mask.shape())));
        }
        if (hidden <= 0) {
            throw new IllegalArgumentException("AffineCoupling.conv: hidden must be positive, got " + hidden);
        }
        int c = (int) mask.size(0);
        ParamOptions p = ParamOptions.defaults().withDType(dtype);
        Conv2d last = new Conv2d(hidden, 2 * c, 3, Convolution.Conv2dOptions.of(1, 1), p, rng);
        Init.zeros(last.weight());
        Init.zeros(last.bias());
        Sequential net = new Sequential(List.of(
                new Conv2d(c, hidden, 3, Convolution.Conv2dOptions.of(1, 1), p, rng), Activation.relu(),
                new Conv2d(hidden, hidden, 1, Convolution.Conv2dOptions.defaults(), p, rng), Activation.relu(),
                last));
        return new AffineCoupling(mask.to(dtype), net, scaleClamp);
    }

    /** The shift t and the clamped log-scale s, both zero where the mask passes entries through. */
    private Tensor[] shiftAndLogScale(Tensor masked) {
        Tensor h = net.forward(masked);
        long channels = mask.size(0);
        if (h.rank() != masked.rank() || h.size(1) != 2 * channels) {
            throw new IllegalArgumentException("AffineCoupling: the conditioner gave " + Shape.format(h.shape())
                    + " for input " + Shape.format(masked.shape()) + "; expected axis 1 of size " + 2 * channels);
        }
        List<Tensor> parts = Shapes.chunk(h, 2, 1);
        Tensor keep = Elementwise.add(Elementwise.neg(mask), 1.0); // 1 − b, the transformed part
        Tensor t = Elementwise.mul(parts.get(0), keep);
        Tensor raw = parts.get(1);
        Tensor s = Elementwise.mul(Elementwise.mul(Activations.tanh(Elementwise.mul(raw, 1 / scaleClamp)), scaleClamp),
                keep);
        return new Tensor[] {t, s};
    }

    @Override
    public Output forward(Tensor x) {
        checkShape("forward", x);
        Tensor[] ts = shiftAndLogScale(Elementwise.mul(x, mask));
        // on the masked part s = t = 0, so z = x there
        Tensor z = Elementwise.add(Elementwise.mul(x, Elementwise.exp(ts[1])), ts[0]);
        return new Output(z, sumPerExample(ts[1]));
    }

    @Override
    public Tensor inverse(Tensor z) {
        checkShape("inverse", z);
        Tensor[] ts = shiftAndLogScale(Elementwise.mul(z, mask));
        return Elementwise.mul(Elementwise.sub(z, ts[0]), Elementwise.exp(Elementwise.neg(ts[1])));
    }

    private void checkShape(String op, Tensor x) {
        long[] s = x.shape();
        if (s.length != mask.rank() + 1 || !Arrays.equals(Arrays.copyOfRange(s, 1, s.length), mask.shape())) {
            throw new IllegalArgumentException("AffineCoupling." + op + ": input " + Shape.format(s)
                    + " does not match the mask " + Shape.format(mask.shape()) + " (expected (B, …mask))");
        }
        if (x.dtype() != mask.dtype()) {
            throw new IllegalArgumentException("AffineCoupling." + op + ": input is " + x.dtype() + " but the layer is "
                    + mask.dtype());
        }
    }

    public Tensor mask() {
        return mask;
    }

    public double scaleClamp() {
        return scaleClamp;
    }

    @Override
    protected String extraRepr() {
        return "mask=" + Shape.format(mask.shape()) + ", scaleClamp=" + scaleClamp;
    }
}
