package org.latent4j.transformer.lora;

/** The linear layers of a transformer block that can carry a LoRA adapter. */
public enum LoraTarget {
    /** The fused query/key/value projection of self-attention. */
    ATTENTION_QKV,
    /** Attention's output projection. */
    ATTENTION_OUTPUT,
    /** The MLP's expanding layer. */
    MLP_FC,
    /** The MLP's contracting layer. */
    MLP_PROJ
}
