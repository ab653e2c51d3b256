package org.latent4j.core.nn;

import org.latent4j.core.ops.Convolution;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * A 2-D convolution (cross-correlation) of (N, C_in, H, W) inputs, with PyTorch's layout: {@code weight}
 * (C_out, C_in/groups, k, k) and {@code bias} (C_out). Both start uniform in ±1/√fanIn,
 * {@code fanIn = C_in/groups·k²}, PyTorch's default.
 */
public final class Conv2d extends ConvLayer {
    private final Convolution.Conv2dOptions geometry;

    /** Stride 1, no padding, with bias, float32. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, Rng rng) {
        this(inChannels, outChannels, kernelSize, Convolution.Conv2dOptions.defaults(), ParamOptions.defaults(), rng);
    }

    public Conv2d(int inChannels, int outChannels, int kernelSize, Convolution.Conv2dOptions geometry,
            ParamOptions options, Rng rng) {
        super("Conv2d", inChannels, outChannels, kernelSize, geometry.groups(), geometry, options, rng,
                outChannels, inChannels / geometry.groups(), kernelSize, kernelSize);
        this.geometry = geometry;
    }

    /** (N, C_in, H, W) → (N, C_out, H', W'). */
    @Override
    public Tensor forward(Tensor x) {
        return Convolution.conv2d(x, weight(), bias(), geometry);
    }
}
