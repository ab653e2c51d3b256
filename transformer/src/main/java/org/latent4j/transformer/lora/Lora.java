package org.latent4j.transformer.lora;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.latent4j.core.io.SafeTensors;
import org.latent4j.core.nn.Module;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.transformer.Block;
import org.latent4j.transformer.Gpt;

/**
 * Attaching, training, merging and storing LoRA adapters on a {@link Gpt}. {@link #attach} {@link Module#freeze()
 * freezes} the whole base model (no gradient reaches its parameters, optimizers skip them) and adds the
 * adapters, so {@link #parameters} and {@code model.trainableParameters()} are the same list: the adapters'.
 * {@link #save} writes the adapters alone, a few kilobytes, to a safetensors file that {@link #load} puts back
 * onto a model with the same adapters attached.
 */
public final class Lora {
    private static final String MARK = "lora_";

    private Lora() {
    }

    /** Freezes the model and adds an adapter to each targeted linear layer of every block. */
    public static void attach(Gpt model, LoraConfig config, Rng rng) {
        model.freeze();
        for (LoraLinear layer : targets(model, config)) {
            layer.attach(config, rng);
        }
    }

    private static List<LoraLinear> targets(Gpt model, LoraConfig config) {
        List<LoraLinear> out = new ArrayList<>();
        for (Block b : model.blocks()) {
            for (LoraTarget t : LoraTarget.values()) {
                if (config.targets().contains(t)) {
                    out.add(switch (t) {
                        case ATTENTION_QKV -> b.attn().qkv();
                        case ATTENTION_OUTPUT -> b.attn().proj();
                        case MLP_FC -> b.mlp().fc();
                        case MLP_PROJ -> b.mlp().proj();
                    });
                }
            }
        }
        return out;
    }

    /** Every adapted layer of {@code model}, in module order. */
    public static List<LoraLinear> adaptedLayers(Module model) {
        List<LoraLinear> out = new ArrayList<>();
        for (Module m : model.namedModules().values()) {
            if (m instanceof LoraLinear l && l.hasAdapter()) {
                out.add(l);
            }
        }
        return out;
    }

    /** The adapters' parameters by name ({@code blocks.0.attn.qkv.lora_A.weight}, ...): what to train. */
    public static LinkedHashMap<String, Tensor> namedParameters(Module model) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        model.namedParameters().forEach((name, p) -> {
            if (name.contains(MARK)) {
                out.put(name, p);
            }
        });
        if (out.isEmpty()) {
            throw new IllegalStateException("Lora: the model has no adapters; call Lora.attach first");
        }
        return out;
    }

    public static List<Tensor> parameters(Module model) {
        return new ArrayList<>(namedParameters(model).values());
    }

    /** Folds every adapter into its base weight (for inference at the base model's cost). */
    public static void merge(Module model) {
        adaptedLayers(model).forEach(LoraLinear::merge);
    }

    /** Takes the adapters out of the base weights again. */
    public static void unmerge(Module model) {
        adaptedLayers(model).forEach(LoraLinear::unmerge);
    }

    /** Writes the adapters' weights alone to a safetensors file. */
    public static void save(Module model, Path file) throws IOException {
        SafeTensors.save(file, namedParameters(model));
    }

    /** Loads adapter weights saved by {@link #save} into a model with the same adapters attached. */
    public static void load(Module model, Path file) throws IOException {
        Map<String, Tensor> saved = SafeTensors.load(file);
        Map<String, Tensor> own = namedParameters(model);
        if (!saved.keySet().equals(own.keySet())) {
            List<String> missing = new ArrayList<>(own.keySet());
            missing.removeAll(saved.keySet());
            List<String> unexpected = new ArrayList<>(saved.keySet());
            unexpected.removeAll(own.keySet());
            throw new IllegalArgumentException("Lora.load: " + file + " does not match the model's adapters; missing "
                    + missing + ", unexpected " + unexpected);
        }
        model.loadStateDict(saved, Module.LoadMode.NON_STRICT);
    }
}
