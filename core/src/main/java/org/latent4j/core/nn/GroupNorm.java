package org.latent4j.core.nn;

import org.latent4j.core.ops.Normalization;
import org.latent4j.core.tensor.Tensor;

/**
 * Group normalization (Wu &amp; He, 2018) of (N, C, ...) inputs: the channels are split into {@code numGroups}
 * groups, each normalized per sample over its channels and positions, then scaled and shifted per channel by
 * {@code weight} (ones) and {@code bias} (zeros), as PyTorch's {@code nn.GroupNorm}.
 */
public final class GroupNorm extends Layer {
    private final int numGroups;
    private final int numChannels;
    private final double eps;
    private final Tensor weight;
    private final Tensor bias;

    public GroupNorm(int numGroups, int numChannels) {
        this(numGroups, numChannels, NormOptions.defaults());
    }

    public GroupNorm(int numGroups, int numChannels, NormOptions options) {
        NnChecks.requirePositive("GroupNorm", "numGroups", numGroups);
        NnChecks.requirePositive("GroupNorm", "numChannels", numChannels);
        if (numChannels % numGroups != 0) {
            throw new IllegalArgumentException("GroupNorm: numChannels " + numChannels
                    + " is not divisible by numGroups " + numGroups);
        }
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.eps = options.eps();
        if (options.affine()) {
            weight = registerParameter("weight", Init.ones(allocate(options.dtype(), numChannels)));
            bias = registerParameter("bias", allocate(options.dtype(), numChannels));
        } else {
            weight = null;
            bias = null;
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        return Normalization.groupNorm(x, numGroups, weight, bias, eps);
    }

    /**
     * {@code silu(forward(x + shift))} in one fused pass ({@link Normalization#groupNormSilu}); {@code shift}
     * (N, C), nullable, is added to every position of its sample's channel first.
     */
    public Tensor forwardSilu(Tensor x, Tensor shift) {
        return Normalization.groupNormSilu(x, shift, numGroups, weight, bias, eps);
    }

    @Override
    protected String extraRepr() {
        return numGroups + ", " + numChannels + ", eps=" + eps + ", affine=" + (weight != null);
    }
}
