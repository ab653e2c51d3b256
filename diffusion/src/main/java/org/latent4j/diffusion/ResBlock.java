package org.latent4j.diffusion;

import org.latent4j.core.nn.Conv2d;
import org.latent4j.core.nn.GroupNorm;
import org.latent4j.core.nn.Linear;
import org.latent4j.core.nn.Module;
import org.latent4j.core.nn.NormOptions;
import org.latent4j.core.nn.ParamOptions;
import org.latent4j.core.ops.Activations;
import org.latent4j.core.ops.Convolution;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * The U-Net's residual block (Ho et al. 2020, after Wide ResNets): {@code h = conv1(SiLU(norm1(x)))}, plus a
 * per-channel projection of the step embedding {@code embProj(SiLU(emb))}, then {@code conv2(SiLU(norm2(h)))},
 * added to {@code x} (through a 1×1 convolution when the width changes). GroupNorm throughout, 3×3 convolutions.
 */
public final class ResBlock extends Module {
    private final GroupNorm norm1;
    private final Conv2d conv1;
    private final Linear embProj;
    private final GroupNorm norm2;
    private final Conv2d conv2;
    private final Conv2d skip;

    public ResBlock(int inChannels, int outChannels, int embDim, int numGroups, DType dtype, Rng rng) {
        ParamOptions o = ParamOptions.defaults().withDType(dtype);
        NormOptions n = NormOptions.defaults().withDType(dtype);
        Convolution.Conv2dOptions same = Convolution.Conv2dOptions.of(1, 1);
        norm1 = registerModule("norm1", new GroupNorm(numGroups, inChannels, n));
        conv1 = registerModule("conv1", new Conv2d(inChannels, outChannels, 3, same, o, rng));
        embProj = registerModule("embProj", new Linear(embDim, outChannels, o, rng));
        norm2 = registerModule("norm2", new GroupNorm(numGroups, outChannels, n));
        conv2 = registerModule("conv2", new Conv2d(outChannels, outChannels, 3, same, o, rng));
        skip = inChannels == outChannels ? null
                : registerModule("skip", new Conv2d(inChannels, outChannels, 1, Convolution.Conv2dOptions.defaults(),
                        o, rng));
    }

    /** (B, C_in, H, W), (B, E) → (B, C_out, H, W). */
    public Tensor forward(Tensor x, Tensor emb) {
        return forwardActivated(x, Activations.silu(emb));
    }

    /** {@link #forward} given {@code SiLU(emb)}, which a U-Net computes once for all its blocks. */
    Tensor forwardActivated(Tensor x, Tensor siluEmb) {
        Tensor h = conv1.forward(norm1.forwardSilu(x, null));
        Tensor e = embProj.forward(siluEmb);                                             // (B, C_out)
        // the embedding is added to every position of h before norm2, inside the fused kernel
        h = conv2.forward(norm2.forwardSilu(h, e));
        return (skip == null ? x : skip.forward(x)).add(h);
    }
}
