package org.latent4j.diffusion;

import org.latent4j.core.nn.Module;
import org.latent4j.core.tensor.Tensor;

/**
 * A {@link TextEncoder} and a cross-attending {@link UNet} trained together: the caption tokens of the
 * {@link Condition} are encoded to a (B, L, dim) context that the U-Net attends to (labels, if any, are passed
 * on as well).
 */
public final class TextConditionedUNet extends Module implements Denoiser {
    private final TextEncoder textEncoder;
    private final UNet unet;

    public TextConditionedUNet(TextEncoder textEncoder, UNet unet) {
        if (unet.config().contextDim() != textEncoder.dim()) {
            throw new IllegalArgumentException("TextConditionedUNet: the U-Net's contextDim "
                    + unet.config().contextDim() + " differs from the text encoder's dim " + textEncoder.dim());
        }
        this.textEncoder = registerModule("textEncoder", textEncoder);
        this.unet = registerModule("unet", unet);
    }

    @Override
    public Tensor forward(Tensor xt, Tensor t, Condition condition) {
        if (condition.tokens() == null) {
            throw new IllegalArgumentException("TextConditionedUNet: the condition has no caption tokens");
        }
        return unet.forward(xt, t, condition.labels(), textEncoder.forward(condition.tokens()));
    }

    public UNet unet() {
        return unet;
    }

    public TextEncoder textEncoder() {
        return textEncoder;
    }
}
