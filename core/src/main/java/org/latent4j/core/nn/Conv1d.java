package org.latent4j.core.nn;

import org.latent4j.core.ops.Convolution;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * A 1-D convolution of (N, C_in, L) inputs, with PyTorch's layout: {@code weight} (C_out, C_in/groups, k) and
 * {@code bias} (C_out), both uniform in ±1/√(C_in/groups·k) at the start.
 */
public final class Conv1d extends ConvLayer {
    private final Convolution.Conv1dOptions geometry;

    /** Stride 1, no padding, with bias, float32. */
    public Conv1d(int inChannels, int outChannels, int kernelSize, Rng rng) {
        this(inChannels, outChannels, kernelSize, Convolution.Conv1dOptions.defaults(), ParamOptions.defaults(), rng);
    }

    public Conv1d(int inChannels, int outChannels, int kernelSize, Convolution.Conv1dOptions geometry,
            ParamOptions options, Rng rng) {
        super("Conv1d", inChannels, outChannels, kernelSize, geometry.groups(), geometry, options, rng,
                outChannels, inChannels / geometry.groups(), kernelSize);
        this.geometry = geometry;
    }

    /** (N, C_in, L) → (N, C_out, L'). */
    @Override
    public Tensor forward(Tensor x) {
        return Convolution.conv1d(x, weight(), bias(), geometry);
    }
}
