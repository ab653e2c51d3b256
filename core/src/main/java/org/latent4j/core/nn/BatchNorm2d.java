package org.latent4j.core.nn;

/** {@link BatchNorm} of (N, C, H, W) inputs, PyTorch's {@code nn.BatchNorm2d}. */
public final class BatchNorm2d extends BatchNorm {
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, NormOptions.defaults());
    }

    public BatchNorm2d(int numFeatures, NormOptions options) {
        super("BatchNorm2d", numFeatures, options);
    }

    @Override
    boolean acceptsRank(int rank) {
        return rank == 4;
    }

    @Override
    String expectedShapes() {
        return "(N, C, H, W)";
    }
}
