package org.latent4j.diffusion;

import org.latent4j.core.ops.Indexing;
import org.latent4j.core.tensor.Tensor;

/**
 * Adds a class-label embedding to a step embedding (guided-diffusion's {@code label_emb}): row {@code y} of a
 * (numClasses + 1, D) table, the last row standing for {@link Condition#NULL_LABEL}.
 */
final class ClassEmbedding {
    private ClassEmbedding() {
    }

    /** {@code emb} (B, D) plus the labels' rows; {@code table} null means the model is unconditional. */
    static Tensor add(Tensor emb, Tensor table, Condition condition, String owner) {
        Tensor labels = condition.labels();
        if (labels == null) {
            if (table != null) {
                throw new IllegalArgumentException(owner + ": the model is class-conditional; pass labels "
                        + "(Condition.NULL_LABEL for none)");
            }
            return emb;
        }
        if (table == null) {
            throw new IllegalArgumentException(owner + ": labels given to a model built with numClasses 0");
        }
        if (labels.size(0) != emb.size(0)) {
            throw new IllegalArgumentException(owner + ": " + labels.size(0) + " labels for a batch of " + emb.size(0));
        }
        long numClasses = table.size(0) - 1;
        long[] ids = labels.toLongArray();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == Condition.NULL_LABEL) {
                ids[i] = numClasses;
            } else if (ids[i] < 0 || ids[i] >= numClasses) {
                throw new IllegalArgumentException(owner + ": label " + ids[i] + " is outside [0, " + numClasses
                        + ") (or Condition.NULL_LABEL)");
            }
        }
        return emb.add(Indexing.embedding(table, Tensor.ofLongs(ids, ids.length)));             // (B, D)
    }
}
