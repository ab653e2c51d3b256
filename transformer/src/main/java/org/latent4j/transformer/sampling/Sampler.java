package org.latent4j.transformer.sampling;

import java.util.Arrays;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * Picks next tokens from logits: greedy, temperature, top-k and top-p (see {@link SamplingOptions}), drawing
 * from the given {@link Rng} only, so a seed reproduces a generation. Probabilities are computed in double
 * as {@code softmax(logits / temperature)} over the tokens that survive the truncations.
 */
public final class Sampler {
    private Sampler() {
    }

    /** Generates up to {@code maxNewTokens} tokens after {@code prompt}; the stop token, if met, is left out. */
    public static int[] generate(Decoder decoder, int[] prompt, SamplingOptions options, Rng rng) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("generate: the prompt is empty; give at least one token");
        }
        int[] out = new int[options.maxNewTokens()];
        if (options.maxNewTokens() == 0) {
            return out;
        }
        float[] logits = decoder.start(prompt);
        for (int n = 0; n < out.length; n++) {
            int token = next(logits, options, rng);
            if (options.isStop(token)) {
                return Arrays.copyOf(out, n);
            }
            out[n] = token;
            if (n + 1 < out.length) {
                logits = decoder.next(token);
            }
        }
        return out;
    }

    /** The next token from the last row of {@code logits}, shape (V) or (..., V). */
    public static int next(Tensor logits, SamplingOptions options, Rng rng) {
        if (logits.rank() == 0) {
            throw new IllegalArgumentException("sample: logits must have a vocabulary axis, got shape "
                    + Shape.format(logits.shape()));
        }
        float[] all = logits.toFloatArray();
        int v = (int) logits.size(-1);
        return next(Arrays.copyOfRange(all, all.length - v, all.length), options, rng);
    }

    /** The next token given one logit per vocabulary entry. */
    public static int next(float[] logits, SamplingOptions options, Rng rng) {
        if (logits.length == 0) {
            throw new IllegalArgumentException("sample: logits are empty");
        }
        for (int i = 0; i < logits.length; i++) {
            if (Float.isNaN(logits[i]) || logits[i] == Float.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("sample: logit " + i + " is " + logits[i]);
            }
        }
        if (options.temperature() == 0) {
            return argmax(logits);
        }
        Integer[] order = new Integer[logits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // Most likely first; ties keep the lower id first so the result does not depend on the sort.
        Arrays.sort(order, (a, b) -> logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : a - b);
        if (logits[order[0]] == Float.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("sample: every logit is -infinity");
        }
        int keep = options.topK() == 0 ? order.length : Math.min(options.topK(), order.length);
        double max = logits[order[0]] / options.temperature();
        double[] p = new double[keep];
        double total = 0;
        for (int i = 0; i < keep; i++) {
            p[i] = Math.exp(logits[order[i]] / options.temperature() - max);
            total += p[i];
        }
        if (options.topP() < 1) {
            double cumulative = 0;
            int nucleus = 0;
            while (nucleus < keep && cumulative < options.topP() * total) {
                cumulative += p[nucleus++];
            }
            keep = Math.max(1, nucleus);
            total = cumulative > 0 ? cumulative : p[0];
        }
        double u = rng.nextDouble() * total;
        for (int i = 0; i < keep; i++) {
            u -= p[i];
            if (u < 0) {
                return order[i];
            }
        }
        return order[keep - 1];
    }

    /** Index of the largest logit, the lowest such index on ties. */
    public static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
