package org.latent4j.core.nn;

import org.latent4j.core.ops.Convolution;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * A transposed 2-D convolution (the gradient of {@link Conv2d}, used to upsample in decoders and generators),
 * with PyTorch's layout: {@code weight} (C_in, C_out/groups, k, k) and {@code bias} (C_out). Initialized as
 * PyTorch does, uniform in ±1/√fanIn with fanIn computed from the weight's shape, i.e. {@code C_out/groups·k²}.
 */
public final class ConvTranspose2d extends ConvLayer {
    private final Convolution.ConvTranspose2dOptions geometry;

    /** Stride 1, no padding, with bias, float32. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, Rng rng) {
        this(inChannels, outChannels, kernelSize, Convolution.ConvTranspose2dOptions.defaults(),
                ParamOptions.defaults(), rng);
    }

    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize,
            Convolution.ConvTranspose2dOptions geometry, ParamOptions options, Rng rng) {
        super("ConvTranspose2d", inChannels, outChannels, kernelSize, geometry.groups(), geometry, options, rng,
                inChannels, outChannels / geometry.groups(), kernelSize, kernelSize);
        this.geometry = geometry;
    }

    /** (N, C_in, H, W) → (N, C_out, H', W'). */
    @Override
    public Tensor forward(Tensor x) {
        return Convolution.convTranspose2d(x, weight(), bias(), geometry);
    }
}
