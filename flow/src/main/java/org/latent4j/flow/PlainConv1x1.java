package org.latent4j.flow;

import org.latent4j.core.ops.Elementwise;
import org.latent4j.core.ops.LinearAlgebra;
import org.latent4j.core.ops.Shapes;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * Glow's invertible 1×1 convolution with the matrix itself as the parameter {@code weight} (C, C):
 * {@code log|det J| = H·W·log|det W|} through {@code slogdet} (an O(C³) LU per call). The LU-parameterized
 * {@link InvertibleConv1x1} is the one to train with; this one checks it, and is fine for a few channels.
 */
public final class PlainConv1x1 extends Bijector {
    private final int channels;
    private final Tensor weight;

    /** Starts at a random rotation. */
    public PlainConv1x1(int channels, DType dtype, Rng rng) {
        if (channels <= 0) {
            throw new IllegalArgumentException("PlainConv1x1: channels must be positive, got " + channels);
        }
        this.channels = channels;
        weight = registerParameter("weight", allocate(dtype, channels, channels));
        weight.value().assign(Tensor.of(ChannelMix.randomOrthogonal(channels, rng), channels, channels).to(dtype).value());
    }

    public Tensor weight() {
        return weight;
    }

    @Override
    public Output forward(Tensor x) {
        check("forward", x);
        Tensor z = ChannelMix.apply(x, weight);
        Tensor logAbsDet = LinearAlgebra.slogdet(weight).logAbsDet();          // ()
        Tensor total = Elementwise.mul(logAbsDet, (double) spatialSize(x));
        return new Output(z, Shapes.expand(Shapes.reshape(total, 1), x.size(0)));
    }

    @Override
    public Tensor inverse(Tensor z) {
        check("inverse", z);
        return ChannelMix.apply(z, LinearAlgebra.inverse(weight));
    }

    private void check(String op, Tensor x) {
        requireChannels("PlainConv1x1." + op, x, channels);
        if (x.dtype() != weight.dtype()) {
            throw new IllegalArgumentException("PlainConv1x1." + op + ": input is " + x.dtype() + " but the layer is "
                    + weight.dtype());
        }
    }

    @Override
    protected String extraRepr() {
        return "channels=" + channels;
    }
}
