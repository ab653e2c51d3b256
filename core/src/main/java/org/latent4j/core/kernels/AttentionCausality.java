package org.latent4j.core.kernels;

/** Whether query i may attend to every key or only to keys j ≤ i (top-left aligned, as PyTorch's {@code is_causal}). */
public enum AttentionCausality {
    CAUSAL,
    NON_CAUSAL
}
