package org.latent4j.transformer.sampling;

/**
 * A language model seen one step at a time, as {@link Sampler#generate} drives it: {@link #start} reads the
 * prompt and returns the logits of the next token, {@link #next} appends one token and returns the logits
 * after it. An implementation may cache keys and values between calls or recompute the whole context.
 */
public interface Decoder {
    /** Logits (one per vocabulary entry) of the token after {@code prompt}, which is not empty. */
    float[] start(int[] prompt);

    /** Appends {@code token} and returns the logits of the token after it. */
    float[] next(int token);
}
