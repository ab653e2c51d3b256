package org.latent4j.transformer;

import org.latent4j.core.nn.Module;
import org.latent4j.core.ops.Activations;
import org.latent4j.core.ops.Random;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.transformer.lora.LoraLinear;

/**
 * The position-wise MLP of a transformer block: {@code proj(gelu(fc(x)))}, widening to {@code hiddenDim} and
 * back, with GELU in its tanh form as in GPT-2.
 */
public final class FeedForward extends Module {
    private final LoraLinear fc;
    private final LoraLinear proj;
    private final double dropout;
    private final Rng dropoutRng;

    public FeedForward(int embedDim, int hiddenDim, double dropout, DType dtype, Rng rng) {
        this.fc = registerModule("fc", new LoraLinear(embedDim, hiddenDim, dtype, rng));
        this.proj = registerModule("proj", new LoraLinear(hiddenDim, embedDim, dtype, rng));
        this.dropout = dropout;
        this.dropoutRng = rng.split();
    }

    /** (…, E) → (…, E). */
    public Tensor forward(Tensor x) {
        Tensor y = proj.forward(Activations.geluTanh(fc.forward(x)));
        return isTraining() && dropout > 0 ? Random.dropout(y, dropout, dropoutRng, true) : y;
    }

    public LoraLinear fc() {
        return fc;
    }

    public LoraLinear proj() {
        return proj;
    }
}
