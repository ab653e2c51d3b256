package org.latent4j.core.nn;

/** {@link BatchNorm} of (N, C) or (N, C, L) inputs, PyTorch's {@code nn.BatchNorm1d}. */
public final class BatchNorm1d extends BatchNorm {
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, NormOptions.defaults());
    }

    public BatchNorm1d(int numFeatures, NormOptions options) {
        super("BatchNorm1d", numFeatures, options);
    }

    @Override
    boolean acceptsRank(int rank) {
        return rank == 2 || rank == 3;
    }

    @Override
    String expectedShapes() {
        return "(N, C) or (N, C, L)";
    }
}
