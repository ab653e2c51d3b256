package org.latent4j.transformer.lora;

import java.util.Map;
import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.nn.Init;
import org.latent4j.core.nn.Layer;
import org.latent4j.core.nn.Linear;
import org.latent4j.core.nn.Module;
import org.latent4j.core.nn.ParamOptions;
import org.latent4j.core.ops.LinearAlgebra;
import org.latent4j.core.ops.Random;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * A linear layer {@code y = x·Wᵀ + b} (PyTorch's layout and initialisation, parameters {@code weight} and
 * {@code bias}) that can carry a LoRA adapter: once {@link #attach}ed, {@code y = x·Wᵀ + b + s·drop(x)·Aᵀ·Bᵀ}
 * with {@code s = alpha/rank}, the adapter's matrices registered as {@code lora_A.weight} (rank × in) and
 * {@code lora_B.weight} (out × rank), as PEFT names them. Attaching an adapter {@link Module#freeze() freezes}
 * the base weight and bias, so no gradient reaches them and optimizers skip them. {@link #merge} folds
 * {@code s·B·A} into W for inference and {@link #unmerge} takes it out again.
 */
public final class LoraLinear extends Layer {
    // The plain layer; its weight and bias are registered here under their own names rather than as a child,
    // so the names match the checkpoint of the model without adapters.
    private final Linear base;
    private Linear loraA;
    private Linear loraB;
    private LoraConfig config;
    private Rng dropoutRng;
    private boolean merged;

    public LoraLinear(int inFeatures, int outFeatures, DType dtype, Rng rng) {
        base = new Linear(inFeatures, outFeatures, ParamOptions.defaults().withDType(dtype), rng);
        registerParameter("weight", base.weight());
        registerParameter("bias", base.bias());
    }

    /** (…, in) → (…, out). */
    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() == 0 || x.size(-1) != base.inFeatures()) {
            throw new IllegalArgumentException("LoraLinear: input " + Shape.format(x.shape()) + " must end in "
                    + base.inFeatures() + " features");
        }
        Tensor y = base.forward(x);                                       // (…, in) → (…, out)
        if (loraA == null || merged) {
            return y;
        }
        Tensor h = config.dropout() > 0 ? Random.dropout(x, config.dropout(), dropoutRng, isTraining()) : x;
        Tensor delta = LinearAlgebra.linear(LinearAlgebra.linear(h, loraA.weight(), null),  // (…, r)
                loraB.weight(), null);                                                      // (…, out)
        return y.add(delta.mul(config.scale()));
    }

    /** Freezes the base weight and bias and adds a trainable adapter (A uniform as PyTorch's Linear, B zero). */
    public void attach(LoraConfig config, Rng rng) {
        if (loraA != null) {
            throw new IllegalStateException("LoraLinear: an adapter is already attached");
        }
        freeze();
        this.config = config;
        this.dropoutRng = rng.split();
        ParamOptions noBias = ParamOptions.defaults().withoutBias().withDType(base.weight().dtype());
        loraA = registerModule("lora_A", new Linear(base.inFeatures(), config.rank(), noBias, rng));
        loraB = registerModule("lora_B", new Linear(config.rank(), base.outFeatures(), noBias, rng));
        Init.zeros(loraB.weight());
    }

    public boolean hasAdapter() {
        return loraA != null;
    }

    public boolean isMerged() {
        return merged;
    }

    /** W ← W + s·B·A; the forward pass then skips the adapter. */
    public void merge() {
        requireAdapter("merge");
        if (!merged) {
            addToWeight(1);
            merged = true;
        }
    }

    /** W ← W − s·B·A, undoing {@link #merge} (up to rounding). */
    public void unmerge() {
        requireAdapter("unmerge");
        if (merged) {
            addToWeight(-1);
            merged = false;
        }
    }

    private void addToWeight(double sign) {
        try (GradMode.Scope ng = GradMode.noGrad()) {
            Tensor delta = loraB.weight().matmul(loraA.weight()).mul(sign * config.scale());   // (out, r) @ (r, in)
            Tensor updated = base.weight().add(delta);
            // loadStateDict writes into the existing parameter, so optimizers and tied references stay valid.
            loadStateDict(Map.of("weight", updated), Module.LoadMode.NON_STRICT);
        }
    }

    private void requireAdapter(String op) {
        if (loraA == null) {
            throw new IllegalStateException("LoraLinear." + op + ": no adapter is attached");
        }
    }

    public Tensor weight() {
        return base.weight();
    }

    public Tensor bias() {
        return base.bias();
    }

    public int inFeatures() {
        return base.inFeatures();
    }

    public int outFeatures() {
        return base.outFeatures();
    }

    @Override
    protected String extraRepr() {
        return "in=" + base.inFeatures() + ", out=" + base.outFeatures() + (loraA == null ? ""
                : ", lora rank=" + config.rank() + ", alpha=" + config.alpha() + (merged ? ", merged" : ""));
    }
}
