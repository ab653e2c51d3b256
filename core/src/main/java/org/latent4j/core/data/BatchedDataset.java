package org.latent4j.core.data;

import java.util.List;
import org.latent4j.core.tensor.Tensor;

/**
 * A dataset of tensor fields that can build a whole batch at once, faster than stacking the examples one by
 * one; the {@link DataLoader} uses {@link #batch} when a dataset offers it.
 */
public interface BatchedDataset extends Dataset<List<Tensor>> {
    /** Examples {@code indices}, each field stacked with the batch as its first axis. */
    Batch batch(int[] indices);
}
