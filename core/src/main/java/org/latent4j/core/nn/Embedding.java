package org.latent4j.core.nn;

import org.latent4j.core.ops.Indexing;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * A lookup table of {@code numEmbeddings} learned vectors of size {@code embeddingDim}: int64 ids of any shape
 * (…) map to (…, embeddingDim). The {@code weight} (numEmbeddings, embeddingDim) starts N(0, 1), PyTorch's
 * default; the gradient reaches only the rows that were looked up.
 */
public final class Embedding extends Layer {
    private final int numEmbeddings;
    private final int embeddingDim;
    private final Tensor weight;

    public Embedding(int numEmbeddings, int embeddingDim, Rng rng) {
        this(numEmbeddings, embeddingDim, DType.FLOAT32, rng);
    }

    public Embedding(int numEmbeddings, int embeddingDim, DType dtype, Rng rng) {
        NnChecks.requirePositive("Embedding", "numEmbeddings", numEmbeddings);
        NnChecks.requirePositive("Embedding", "embeddingDim", embeddingDim);
        NnChecks.requireFloat("Embedding", dtype);
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        weight = registerParameter("weight", Init.normal(allocate(dtype, numEmbeddings, embeddingDim), 0, 1, rng));
    }

    /** int64 ids (…) → (…, embeddingDim). */
    @Override
    public Tensor forward(Tensor ids) {
        if (ids.dtype() != DType.INT64) {
            throw new IllegalArgumentException("Embedding: ids must be int64, got " + ids.dtype() + " of shape "
                    + Shape.format(ids.shape()));
        }
        return Indexing.embedding(weight, ids);
    }

    public Tensor weight() {
        return weight;
    }

    public int numEmbeddings() {
        return numEmbeddings;
    }

    public int embeddingDim() {
        return embeddingDim;
    }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim;
    }
}
