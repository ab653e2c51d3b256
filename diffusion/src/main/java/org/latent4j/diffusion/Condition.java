package org.latent4j.diffusion;

import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * What a denoiser is conditioned on, per batch element: class labels (int64 (B)) and/or caption tokens (int64
 * (B, L), 0 is padding). Either may be null. The "no condition" of classifier-free guidance (Ho &amp; Salimans
 * 2022) is the label {@link #NULL_LABEL} and the all-padding caption; {@link #dropped} swaps them in at random
 * during training and {@link #unconditional} everywhere at sampling.
 */
public record Condition(Tensor labels, Tensor tokens) {
    /** The label that stands for "no class" (the denoiser has an embedding row for it). */
    public static final long NULL_LABEL = -1;
    /** The token id of padding; a caption of only padding stands for "no caption". */
    public static final long PAD_TOKEN = 0;

    public static final Condition NONE = new Condition(null, null);

    public Condition {
        if (labels != null && (labels.rank() != 1 || labels.dtype() != DType.INT64)) {
            throw new IllegalArgumentException("Condition: labels must be int64 (B), got " + labels.dtype() + " "
                    + Shape.format(labels.shape()));
        }
        if (tokens != null && (tokens.rank() != 2 || tokens.dtype() != DType.INT64)) {
            throw new IllegalArgumentException("Condition: tokens must be int64 (B, L), got " + tokens.dtype() + " "
                    + Shape.format(tokens.shape()));
        }
        if (labels != null && tokens != null && labels.size(0) != tokens.size(0)) {
            throw new IllegalArgumentException("Condition: " + labels.size(0) + " labels but " + tokens.size(0)
                    + " captions");
        }
    }

    public static Condition ofLabels(Tensor labels) {
        return new Condition(labels, null);
    }

    public static Condition ofTokens(Tensor tokens) {
        return new Condition(null, tokens);
    }

    /** The same labels for every one of {@code n} samples. */
    public static Condition ofLabel(long label, int n) {
        long[] v = new long[n];
        java.util.Arrays.fill(v, label);
        return ofLabels(Tensor.ofLongs(v, n));
    }

    public boolean isEmpty() {
        return labels == null && tokens == null;
    }

    /** Every label replaced by {@link #NULL_LABEL} and every caption by padding. */
    public Condition unconditional() {
        return new Condition(labels == null ? null : Tensor.full(DType.INT64, NULL_LABEL, labels.shape()),
                tokens == null ? null : Tensor.zeros(DType.INT64, tokens.shape()));
    }

    /**
     * Each batch element's condition dropped (label to {@link #NULL_LABEL}, caption to padding) with
     * probability {@code p}, one draw per element shared by label and caption: the training half of
     * classifier-free guidance.
     */
    public Condition dropped(double p, Rng rng) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Condition.dropped: p must lie in [0, 1], got " + p);
        }
        if (isEmpty() || p == 0) {
            return this;
        }
        int n = (int) (labels != null ? labels.size(0) : tokens.size(0));
        boolean[] drop = new boolean[n];
        for (int i = 0; i < n; i++) {
            drop[i] = rng.nextDouble() < p;
        }
        Tensor newLabels = null;
        if (labels != null) {
            long[] v = labels.toLongArray();
            for (int i = 0; i < n; i++) {
                v[i] = drop[i] ? NULL_LABEL : v[i];
            }
            newLabels = Tensor.ofLongs(v, n);
        }
        Tensor newTokens = null;
        if (tokens != null) {
            long[] v = tokens.toLongArray();
            int len = (int) tokens.size(1);
            for (int i = 0; i < n; i++) {
                if (drop[i]) {
                    java.util.Arrays.fill(v, i * len, (i + 1) * len, PAD_TOKEN);
                }
            }
            newTokens = Tensor.ofLongs(v, n, len);
        }
        return new Condition(newLabels, newTokens);
    }

    /** The two conditions stacked along the batch, {@code this} first (one forward pass for guidance). */
    public Condition concat(Condition other) {
        return new Condition(labels == null ? null : org.latent4j.core.ops.Shapes.concat(0, labels, other.labels),
                tokens == null ? null : org.latent4j.core.ops.Shapes.concat(0, tokens, other.tokens));
    }
}
