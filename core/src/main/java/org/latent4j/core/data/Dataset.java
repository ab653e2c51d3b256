package org.latent4j.core.data;

/**
 * A finite, indexable collection of examples, as PyTorch's map-style {@code Dataset}. A dataset of
 * {@code List<Tensor>} (one tensor per field, such as image and label) is what a {@link DataLoader} stacks
 * into batches; other element types are batched with a collate function.
 */
public interface Dataset<T> {
    /** Number of examples. */
    int size();

    /** The example at {@code index}, in {@code [0, size())}. */
    T get(int index);
}
