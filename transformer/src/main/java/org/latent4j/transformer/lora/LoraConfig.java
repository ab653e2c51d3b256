package org.latent4j.transformer.lora;

import java.util.EnumSet;
import java.util.Set;

/**
 * Settings of LoRA adapters (Hu et al., 2021): each chosen weight W (out × in) gets a trainable low-rank update
 * {@code ΔW = (alpha / rank) · B·A}, A (rank × in), B (out × rank), with dropout on the adapter's input. B starts
 * at zero, so an adapted model starts out computing exactly what the base model does.
 */
public record LoraConfig(int rank, double alpha, double dropout, Set<LoraTarget> targets) {
    public LoraConfig {
        if (rank <= 0) {
            throw new IllegalArgumentException("LoraConfig: rank must be positive, got " + rank);
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("LoraConfig: alpha must be positive and finite, got " + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("LoraConfig: dropout must be in [0, 1), got " + dropout);
        }
        if (targets == null || targets.isEmpty()) {
            throw new IllegalArgumentException("LoraConfig: choose at least one target layer");
        }
        targets = Set.copyOf(targets);
    }

    /** Adapters of the given rank on every attention and MLP projection, alpha = 2·rank, no dropout. */
    public static LoraConfig of(int rank) {
        return new LoraConfig(rank, 2.0 * rank, 0.0, EnumSet.allOf(LoraTarget.class));
    }

    public LoraConfig withAlpha(double a) {
        return new LoraConfig(rank, a, dropout, targets);
    }

    public LoraConfig withDropout(double p) {
        return new LoraConfig(rank, alpha, p, targets);
    }

    public LoraConfig withTargets(LoraTarget first, LoraTarget... rest) {
        return new LoraConfig(rank, alpha, dropout, EnumSet.of(first, rest));
    }

    /** The factor {@code alpha / rank} applied to B·A. */
    public double scale() {
        return alpha / rank;
    }
}
