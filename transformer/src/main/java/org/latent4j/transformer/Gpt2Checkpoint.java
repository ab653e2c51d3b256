package org.latent4j.transformer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.latent4j.core.io.SafeTensors;
import org.latent4j.core.nn.Module;
import org.latent4j.core.ops.Shapes;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * Reads and writes Hugging Face's GPT-2 layout: the names of {@code GPT2Model}'s state dict
 * ({@code h.N.attn.c_attn.weight}, optionally prefixed {@code transformer.}) with its Conv1D weights stored
 * (in, out) and applied as {@code x·W + b}. Loading transposes those to our (out, in) {@link Gpt} layout; the
 * causal-mask buffers ({@code h.N.attn.bias}, {@code h.N.attn.masked_bias}) and a tied {@code lm_head.weight}
 * are skipped. GPT-2 uses GELU's tanh form and layer-norm eps 1e-5, as {@link Gpt} does, so logits agree.
 */
public final class Gpt2Checkpoint {
    private Gpt2Checkpoint() {
    }

    /** A {@link Gpt} of shape {@code config} with the weights of a GPT-2 safetensors file. */
    public static Gpt load(Path file, GptConfig config) throws IOException {
        Gpt model = new Gpt(config, new Rng(0));
        model.loadStateDict(fromHuggingFace(SafeTensors.load(file)), Module.LoadMode.STRICT);
        return model;
    }

    /** Renames and transposes a Hugging Face GPT-2 state dict into {@link Gpt}'s names and layouts. */
    public static Map<String, Tensor> fromHuggingFace(Map<String, Tensor> hf) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : hf.entrySet()) {
            String name = e.getKey().startsWith("transformer.") ? e.getKey().substring("transformer.".length())
                    : e.getKey();
            if (name.endsWith(".attn.bias") || name.endsWith(".attn.masked_bias") || name.equals("lm_head.weight")) {
                continue;
            }
            String ours = rename(name);
            Tensor t = e.getValue();
            out.put(ours, isConv1dWeight(name) ? Shapes.contiguous(Shapes.transpose(t, 0, 1)) : t);
        }
        return out;
    }

    /** {@link Gpt}'s weights in Hugging Face's GPT-2 names and layouts (without the mask buffers). */
    public static Map<String, Tensor> toHuggingFace(Gpt model) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        model.stateDict().forEach((name, t) -> {
            if (name.contains("lora_")) {
                return;
            }
            String hf = name.replace("blocks.", "h.").replace(".ln1.", ".ln_1.").replace(".ln2.", ".ln_2.")
                    .replace(".attn.qkv.", ".attn.c_attn.").replace(".attn.proj.", ".attn.c_proj.")
                    .replace(".mlp.fc.", ".mlp.c_fc.").replace(".mlp.proj.", ".mlp.c_proj.");
            out.put(hf, isConv1dWeight(hf) ? Shapes.contiguous(Shapes.transpose(t, 0, 1)) : t);
        });
        return out;
    }

    /** Writes {@code model} as a GPT-2 safetensors file. */
    public static void save(Gpt model, Path file) throws IOException {
        SafeTensors.save(file, toHuggingFace(model), Map.of("format", "pt"));
    }

    private static boolean isConv1dWeight(String hfName) {
        return hfName.startsWith("h.") && hfName.endsWith(".weight")
                && (hfName.contains(".attn.c_") || hfName.contains(".mlp.c_"));
    }

    private static String rename(String hf) {
        if (hf.startsWith("h.")) {
            return "blocks." + hf.substring(2).replace(".ln_1.", ".ln1.").replace(".ln_2.", ".ln2.")
                    .replace(".attn.c_attn.", ".attn.qkv.").replace(".attn.c_proj.", ".attn.proj.")
                    .replace(".mlp.c_fc.", ".mlp.fc.").replace(".mlp.c_proj.", ".mlp.proj.");
        }
        return hf;
    }
}
