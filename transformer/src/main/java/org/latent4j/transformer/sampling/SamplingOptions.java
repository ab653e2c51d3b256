package org.latent4j.transformer.sampling;

import java.util.Arrays;

/**
 * How to pick each next token. {@code temperature} 0 is greedy (argmax); otherwise logits are divided by it,
 * then restricted to the {@code topK} most likely tokens (0 = no limit) and to the smallest set whose
 * probability reaches {@code topP} (1 = no limit, nucleus sampling, Holtzman et al., 2019), and one is drawn.
 * Generation stops after {@code maxNewTokens} or at one of {@code stopTokens} (which is not returned).
 */
public record SamplingOptions(double temperature, int topK, double topP, int maxNewTokens, int[] stopTokens) {
    public SamplingOptions {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("SamplingOptions: temperature must be finite and >= 0, got "
                    + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("SamplingOptions: topK must be >= 0 (0 = no limit), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("SamplingOptions: topP must be in (0, 1], got " + topP);
        }
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("SamplingOptions: maxNewTokens must be >= 0, got " + maxNewTokens);
        }
        stopTokens = stopTokens == null ? new int[0] : stopTokens.clone();
    }

    /** Argmax at every step. */
    public static SamplingOptions greedy(int maxNewTokens) {
        return new SamplingOptions(0, 0, 1, maxNewTokens, new int[0]);
    }

    /** Plain sampling from the model's distribution (temperature 1, no truncation). */
    public static SamplingOptions sampling(int maxNewTokens) {
        return new SamplingOptions(1, 0, 1, maxNewTokens, new int[0]);
    }

    public SamplingOptions withTemperature(double t) {
        return new SamplingOptions(t, topK, topP, maxNewTokens, stopTokens);
    }

    public SamplingOptions withTopK(int k) {
        return new SamplingOptions(temperature, k, topP, maxNewTokens, stopTokens);
    }

    public SamplingOptions withTopP(double p) {
        return new SamplingOptions(temperature, topK, p, maxNewTokens, stopTokens);
    }

    public SamplingOptions withStopTokens(int... tokens) {
        return new SamplingOptions(temperature, topK, topP, maxNewTokens, tokens);
    }

    @Override
    public int[] stopTokens() {
        return stopTokens.clone();
    }

    boolean isStop(int token) {
        for (int s : stopTokens) {
            if (s == token) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SamplingOptions s && s.temperature == temperature && s.topK == topK && s.topP == topP
                && s.maxNewTokens == maxNewTokens && Arrays.equals(s.stopTokens, stopTokens);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(temperature) * 31 + topK * 17 + Double.hashCode(topP) + maxNewTokens
                + Arrays.hashCode(stopTokens);
    }

    @Override
    public String toString() {
        return "SamplingOptions[temperature=" + temperature + ", topK=" + topK + ", topP=" + topP + ", maxNewTokens="
                + maxNewTokens + ", stopTokens=" + Arrays.toString(stopTokens) + "]";
    }
}
