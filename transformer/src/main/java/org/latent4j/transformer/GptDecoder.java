package org.latent4j.transformer;

import java.util.Arrays;
import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.transformer.sampling.Decoder;

/**
 * Drives a {@link Gpt} one token at a time for {@link org.latent4j.transformer.sampling.Sampler}, in eval mode
 * and without gradients, freeing each step's intermediates. {@link Caching#KV_CACHE} feeds only the new token
 * through the model and reuses the cached keys and values; {@link Caching#NONE} recomputes the context every
 * step. Contexts longer than the block size: without a cache, the last {@code blockSize} tokens are used;
 * with one, when the cache is full it is refilled from the last {@code blockSize/2} tokens (positions restart,
 * so the learned position embeddings stay in range).
 */
public final class GptDecoder implements Decoder, AutoCloseable {
    /** Whether to reuse keys and values between steps. */
    public enum Caching { KV_CACHE, NONE }

    private final Gpt model;
    private final Caching caching;
    private final int block;
    private final KvCache cache;
    private int[] context = new int[0];

    GptDecoder(Gpt model, Caching caching) {
        this.model = model;
        this.caching = caching;
        this.block = model.config().blockSize();
        this.cache = model.newCache();
    }

    @Override
    public float[] start(int[] prompt) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("GptDecoder.start: the prompt is empty");
        }
        cache.clear();
        context = prompt.clone();
        return caching == Caching.KV_CACHE ? refill() : recompute();
    }

    @Override
    public float[] next(int token) {
        if (token < 0 || token >= model.config().vocabSize()) {
            throw new IllegalArgumentException("GptDecoder.next: token " + token + " is outside the vocabulary of "
                    + model.config().vocabSize());
        }
        context = Arrays.copyOf(context, context.length + 1);
        context[context.length - 1] = token;
        if (caching == Caching.NONE) {
            return recompute();
        }
        if (cache.length() + 1 > block) {
            return refill();
        }
        return run(new int[] {token});
    }

    private float[] recompute() {
        return run(Arrays.copyOfRange(context, Math.max(0, context.length - block), context.length));
    }

    private float[] refill() {
        cache.clear();
        int keep = context.length > block / 2 ? block / 2 : context.length;
        return run(Arrays.copyOfRange(context, context.length - keep, context.length));
    }

    /** Feeds {@code ids} (through the cache when caching) and returns the logits after the last one. */
    private float[] run(int[] ids) {
        boolean wasTraining = model.isTraining();
        model.eval();
        try (Arena arena = Arena.open(); GradMode.Scope ng = GradMode.noGrad()) {
            long[] l = new long[ids.length];
            for (int i = 0; i < ids.length; i++) {
                l[i] = ids[i];
            }
            Tensor input = Tensor.ofLongs(l, 1, ids.length);
            Tensor logits = caching == Caching.KV_CACHE ? model.forward(input, cache) : model.forward(input);
            if (caching == Caching.KV_CACHE) {
                cache.keepIn(arena);
            }
            float[] all = logits.toFloatArray();
            int v = model.config().vocabSize();
            return Arrays.copyOfRange(all, all.length - v, all.length);
        } finally {
            if (wasTraining) {
                model.train();
            }
        }
    }

    /** The tokens fed so far (prompt and generated). */
    public int[] context() {
        return context.clone();
    }

    /** Frees the cache. */
    @Override
    public void close() {
        cache.clear();
    }
}
