package org.latent4j.core.autograd;

/** What a backward pass does with the graph it walks. */
public enum GraphMode {
    /** Free the graph as it is walked (the default, like PyTorch's {@code retain_graph=False}). */
    DISCARD,
    /** Keep the graph so that backward can run through it again. */
    RETAIN,
    /** Record the backward computation itself, so the gradients can be differentiated again. */
    CREATE
}
