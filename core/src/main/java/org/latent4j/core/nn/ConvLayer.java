package org.latent4j.core.nn;

import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * What {@link Conv1d}, {@link Conv2d} and {@link ConvTranspose2d} share: channel counts, a square kernel, a
 * {@code weight} in PyTorch's layout for the kind of convolution, an optional {@code bias} (C_out), and
 * PyTorch's default initialization (uniform in ±1/√fanIn, fanIn taken from the weight's shape).
 */
public abstract class ConvLayer extends Layer {
    private final int inChannels;
    private final int outChannels;
    private final int kernelSize;
    private final Record geometry;
    private final Tensor weight;
    private final Tensor bias;

    ConvLayer(String name, int inChannels, int outChannels, int kernelSize, int groups, Record geometry,
            ParamOptions options, Rng rng, long... weightShape) {
        FanInInit.checkChannels(name, inChannels, outChannels, kernelSize, groups);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize;
        this.geometry = geometry;
        weight = registerParameter("weight", allocate(options.dtype(), weightShape));
        bias = FanInInit.weightAndBias(this, weight, options, outChannels, rng);
    }

    public final Tensor weight() {
        return weight;
    }

    /** The bias, or null for a layer built {@link ParamOptions#withoutBias()}. */
    public final Tensor bias() {
        return bias;
    }

    public final int inChannels() {
        return inChannels;
    }

    public final int outChannels() {
        return outChannels;
    }

    public final int kernelSize() {
        return kernelSize;
    }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", kernel=" + kernelSize + ", " + geometry;
    }
}
