package org.latent4j.core.nn;

import org.latent4j.core.ops.Pooling;
import org.latent4j.core.tensor.Tensor;

/**
 * Up-samples (N, C, H, W) images by an integer factor, by repeating pixels or by bilinear interpolation, as
 * PyTorch's {@code nn.Upsample(scale_factor=s, mode=...)}; the decoders of U-Nets and VAEs use it before a
 * convolution. No parameters.
 */
public final class Upsample extends Layer {
    /** How the new pixels are filled. */
    public enum Mode { NEAREST, BILINEAR }

    private final int scale;
    private final Mode mode;
    private final Pooling.Corners corners;

    private Upsample(int scale, Mode mode, Pooling.Corners corners) {
        NnChecks.requirePositive("Upsample", "scale", scale);
        this.scale = scale;
        this.mode = mode;
        this.corners = corners;
    }

    /** Each pixel repeated {@code scale × scale} times. */
    public static Upsample nearest(int scale) {
        return new Upsample(scale, Mode.NEAREST, null);
    }

    /** Bilinear with PyTorch's default {@code align_corners=False}. */
    public static Upsample bilinear(int scale) {
        return bilinear(scale, Pooling.Corners.HALF_PIXEL);
    }

    public static Upsample bilinear(int scale, Pooling.Corners corners) {
        return new Upsample(scale, Mode.BILINEAR, corners);
    }

    /** (N, C, H, W) → (N, C, H·scale, W·scale). */
    @Override
    public Tensor forward(Tensor x) {
        return mode == Mode.NEAREST ? Pooling.upsampleNearest2d(x, scale) : Pooling.upsampleBilinear2d(x, scale, corners);
    }

    @Override
    protected String extraRepr() {
        return "scale=" + scale + ", " + mode.name().toLowerCase(java.util.Locale.ROOT)
                + (corners != null ? ", " + corners : "");
    }
}
