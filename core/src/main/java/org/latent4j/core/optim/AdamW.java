package org.latent4j.core.optim;

import java.util.List;
import org.latent4j.core.tensor.Tensor;

/**
 * AdamW (Loshchilov &amp; Hutter, 2019): Adam with decoupled weight decay, applied to the parameter before the
 * Adam step as PyTorch does, {@code θ ← θ·(1 − lr·λ)}, instead of being added to the gradient. Defaults as
 * PyTorch's, with λ = 0.01. Choose which parameters decay with {@link ParamGroup}s
 * ({@code p -> p.rank() >= 2}).
 */
public final class AdamW extends Adam {
    public AdamW(List<Tensor> params, Options options) {
        this(options, ParamGroup.of(params));
    }

    /** One group per {@link ParamGroup}; settings a group leaves unset come from {@code options}. */
    public AdamW(Options options, ParamGroup... groups) {
        super("AdamW", List.of(groups), options, true);
    }

    /** PyTorch's AdamW defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0.01. */
    public static Options defaults() {
        return Options.defaults().withWeightDecay(0.01);
    }
}
