package org.latent4j.core.data;

import java.util.Arrays;
import java.util.List;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Next-token prediction windows over a token sequence, as nanoGPT trains on a text: example {@code i} is
 * the input {@code tokens[i, i+T)} and the target {@code tokens[i+1, i+T+1)}, both {@code (T)} int64, for
 * a block size {@code T}. There are {@code length - T} examples.
 *
 * <pre>{@code
 * CharTokenizer tok = CharTokenizer.fromText(text);
 * TokenWindows windows = new TokenWindows(tok.encode(text), 64);
 * Batch b = windows.randomBatch(rng, 32);   // b.x(), b.y(): (32, 64)
 * }</pre>
 */
public final class TokenWindows implements BatchedDataset {
    private final long[] tokens;
    private final int blockSize;

    public TokenWindows(long[] tokens, int blockSize) {
        if (blockSize < 1) {
            throw new IllegalArgumentException("TokenWindows: block size must be positive, got " + blockSize);
        }
        if (tokens.length <= blockSize) {
            throw new IllegalArgumentException("TokenWindows: " + tokens.length + " tokens are too few for one "
                    + "window of " + blockSize + " plus its target");
        }
        this.tokens = tokens.clone();
        this.blockSize = blockSize;
    }

    public int blockSize() {
        return blockSize;
    }

    @Override
    public int size() {
        return tokens.length - blockSize;
    }

    /** Input and target of window {@code index}, each {@code (T)}. */
    @Override
    public List<Tensor> get(int index) {
        Batch b = batch(new int[] {index});
        return List.of(b.x().reshape(blockSize), b.y().reshape(blockSize));
    }

    /** Inputs and targets {@code (B, T)} of the windows starting at {@code indices}. */
    @Override
    public Batch batch(int[] indices) {
        long[][] x = new long[indices.length][];
        long[][] y = new long[indices.length][];
        for (int b = 0; b < indices.length; b++) {
            int start = indices[b];
            if (start < 0 || start >= size()) {
                throw new IndexOutOfBoundsException("TokenWindows: window " + start + " out of range [0, " + size() + ")");
            }
            x[b] = Arrays.copyOfRange(tokens, start, start + blockSize);
            y[b] = Arrays.copyOfRange(tokens, start + 1, start + 1 + blockSize);
        }
        // fresh (B, T) arrays that own their memory, so a step's arena can free them
        return new Batch(indices.clone(), List.of(Tensor.wrap(Nd4j.createFromArray(x)), Tensor.wrap(Nd4j.createFromArray(y))));
    }

    /** {@code batchSize} windows starting at uniformly random positions (with replacement). */
    public Batch randomBatch(Rng rng, int batchSize) {
        int[] starts = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            starts[i] = rng.nextInt(size());
        }
        return batch(starts);
    }
}
