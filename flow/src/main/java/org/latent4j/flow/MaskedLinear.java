package org.latent4j.flow;

import org.latent4j.core.nn.Layer;
import org.latent4j.core.nn.Linear;
import org.latent4j.core.nn.ParamOptions;
import org.latent4j.core.ops.Elementwise;
import org.latent4j.core.ops.LinearAlgebra;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * A linear layer whose weight is multiplied by a fixed 0/1 mask, {@code y = x·(M⊙W)ᵀ + b}: MADE's building
 * block (Germain et al. 2015). Parameters {@code weight} (out, in) and {@code bias} (out) start as
 * {@link Linear}'s; buffer {@code mask} (out, in).
 */
public final class MaskedLinear extends Layer {
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor mask;

    public MaskedLinear(double[][] mask, ParamOptions options, Rng rng) {
        if (mask == null || mask.length == 0 || mask[0].length == 0) {
            throw new IllegalArgumentException("MaskedLinear: mask must be a non-empty (out, in) matrix");
        }
        int out = mask.length;
        int in = mask[0].length;
        double[] flat = new double[out * in];
        for (int o = 0; o < out; o++) {
            if (mask[o].length != in) {
                throw new IllegalArgumentException("MaskedLinear: mask row " + o + " has " + mask[o].length
                        + " entries, row 0 has " + in);
            }
            System.arraycopy(mask[o], 0, flat, o * in, in);
        }
        Linear init = new Linear(in, out, options, rng); // PyTorch's initialization, then taken over
        weight = registerParameter("weight", init.weight());
        bias = registerParameter("bias", init.bias());
        this.mask = registerBuffer("mask", Arena.outside(() -> Tensor.of(flat, out, in).to(options.dtype())));
    }

    /** (…, in) → (…, out). */
    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() == 0 || x.size(-1) != weight.size(1)) {
            throw new IllegalArgumentException("MaskedLinear: input " + Shape.format(x.shape()) + " must end in "
                    + weight.size(1) + " features");
        }
        return LinearAlgebra.linear(x, Elementwise.mul(weight, mask), bias);
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    @Override
    protected String extraRepr() {
        return "in=" + weight.size(1) + ", out=" + weight.size(0);
    }
}
