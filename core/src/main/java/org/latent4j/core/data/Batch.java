package org.latent4j.core.data;

import java.util.List;
import org.latent4j.core.tensor.Tensor;

/**
 * One batch from a {@link DataLoader}: the dataset indices it holds and one stacked tensor per field, each
 * with the batch as its first axis, e.g. images {@code (B, C, H, W)} and labels {@code (B)}.
 */
public record Batch(int[] indices, List<Tensor> fields) {
    public Batch {
        fields = List.copyOf(fields);
    }

    /** Number of examples in the batch. */
    public int size() {
        return indices.length;
    }

    public Tensor field(int i) {
        if (i < 0 || i >= fields.size()) {
            throw new IndexOutOfBoundsException("Batch: field " + i + " of " + fields.size());
        }
        return fields.get(i);
    }

    /** The first field (inputs). */
    public Tensor x() {
        return field(0);
    }

    /** The second field (targets or labels). */
    public Tensor y() {
        return field(1);
    }

    /** Frees the batch's tensors now. */
    public void close() {
        fields.forEach(Tensor::close);
    }
}
