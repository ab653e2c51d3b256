package org.latent4j.flow;

import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.ops.Elementwise;
import org.latent4j.core.ops.Reductions;
import org.latent4j.core.ops.Shapes;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Tensor;

/**
 * Glow's activation normalization (Kingma and Dhariwal 2018): a per-channel affine map
 * {@code z = (x + bias)·exp(logScale)} over axis 1 of (B, C) or (B, C, H, W), with
 * {@code log|det J| = H·W·Σ logScale}. Data-dependent initialization: the first forward pass in training mode
 * sets bias and logScale so that the batch comes out with zero mean and unit variance per channel, then
 * marks the layer initialized. The mark is the buffer {@code initialized} (0 or 1), so it is saved and restored
 * with the state dict and a resumed run does not initialize twice. Parameters: {@code bias}, {@code logScale}.
 */
public final class ActNorm extends Bijector {
    /** Added to the standard deviation at initialization so a constant channel does not give log(0). */
    public static final double EPS = 1e-6;
    private final int channels;
    private final Tensor bias;
    private final Tensor logScale;
    private final Tensor initialized;

    public ActNorm(int channels, DType dtype) {
        if (channels <= 0) {
            throw new IllegalArgumentException("ActNorm: channels must be positive, got " + channels);
        }
        this.channels = channels;
        bias = registerParameter("bias", allocate(dtype, channels));
        logScale = registerParameter("logScale", allocate(dtype, channels));
        initialized = registerBuffer("initialized", allocate(dtype));
    }

    /** Whether the data-dependent initialization has happened (or a state dict marked it so). */
    public boolean isInitialized() {
        return initialized.item() != 0;
    }

    @Override
    public Output forward(Tensor x) {
        check("forward", x);
        if (isTraining() && !isInitialized()) {
            initialize(x);
        }
        Tensor z = Elementwise.mul(Elementwise.add(x, broadcastable(bias, x)), Elementwise.exp(broadcastable(logScale, x)));
        return new Output(z, logDet(x));
    }

    @Override
    public Tensor inverse(Tensor z) {
        check("inverse", z);
        return Elementwise.sub(Elementwise.mul(z, Elementwise.exp(Elementwise.neg(broadcastable(logScale, z)))),
                broadcastable(bias, z));
    }

    /** H·W·Σ logScale, the same for every example: (B). */
    private Tensor logDet(Tensor x) {
        Tensor total = Elementwise.mul(Reductions.sum(logScale), (double) spatialSize(x));
        return Shapes.expand(Shapes.reshape(total, 1), x.size(0));
    }

    private void initialize(Tensor x) {
        if (x.size(0) * spatialSize(x) < 2) {
            throw new IllegalArgumentException("ActNorm: data-dependent initialization needs at least 2 values per "
                    + "channel, got input " + org.latent4j.core.tensor.Shape.format(x.shape()));
        }
        try (GradMode.Scope ng = GradMode.noGrad()) {
            int[] axes = new int[x.rank() - 1];
            axes[0] = 0;
            for (int i = 2; i < x.rank(); i++) {
                axes[i - 1] = i;
            }
            Tensor mean = Reductions.mean(x, axes, false);                       // (C)
            Tensor std = Elementwise.sqrt(Reductions.var(x, axes, false, 0));   // (C)
            Tensor logS = Elementwise.neg(Elementwise.log(Elementwise.add(std, EPS)));
            bias.value().assign(Elementwise.neg(mean).value());
            logScale.value().assign(logS.value());
            initialized.value().assign(1.0);
        }
    }

    /** (C) → (1, C, 1, …) to broadcast against x. */
    private static Tensor broadcastable(Tensor p, Tensor x) {
        long[] shape = new long[x.rank()];
        java.util.Arrays.fill(shape, 1);
        shape[1] = p.size(0);
        return Shapes.reshape(p, shape);
    }

    private void check(String op, Tensor x) {
        requireChannels("ActNorm." + op, x, channels);
        if (x.dtype() != bias.dtype()) {
            throw new IllegalArgumentException("ActNorm." + op + ": input is " + x.dtype() + " but the layer is "
                    + bias.dtype());
        }
    }

    public Tensor bias() {
        return bias;
    }

    public Tensor logScale() {
        return logScale;
    }

    @Override
    protected String extraRepr() {
        return "channels=" + channels;
    }
}
