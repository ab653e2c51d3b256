package org.latent4j.core.nn;

import org.latent4j.core.ops.LinearAlgebra;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * A fully connected layer {@code y = x·Wᵀ + b} over the last axis, with PyTorch's layout: {@code weight}
 * of shape (out, in) and {@code bias} of shape (out). Both start uniform in ±1/√in, PyTorch's default
 * (Kaiming uniform with a = √5 for the weight).
 */
public final class Linear extends Layer {
    private final int inFeatures;
    private final int outFeatures;
    private final Tensor weight;
    private final Tensor bias;

    public Linear(int inFeatures, int outFeatures, Rng rng) {
        this(inFeatures, outFeatures, ParamOptions.defaults(), rng);
    }

    public Linear(int inFeatures, int outFeatures, ParamOptions options, Rng rng) {
        NnChecks.requirePositive("Linear", "inFeatures", inFeatures);
        NnChecks.requirePositive("Linear", "outFeatures", outFeatures);
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        weight = registerParameter("weight", allocate(options.dtype(), outFeatures, inFeatures));
        bias = FanInInit.weightAndBias(this, weight, options, outFeatures, rng);
    }

    /** (…, in) → (…, out). */
    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() == 0 || x.size(-1) != inFeatures) {
            throw new IllegalArgumentException("Linear: input " + Shape.format(x.shape()) + " must end in "
                    + inFeatures + " features");
        }
        return LinearAlgebra.linear(x, weight, bias);                    // (…, in) → (…, out)
    }

    public Tensor weight() {
        return weight;
    }

    /** The bias, or null for a layer built {@link ParamOptions#withoutBias()}. */
    public Tensor bias() {
        return bias;
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    protected String extraRepr() {
        return "in=" + inFeatures + ", out=" + outFeatures + ", bias=" + (bias != null);
    }
}
