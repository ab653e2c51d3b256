package org.latent4j.core.nn;

import org.latent4j.core.ops.Normalization;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * Batch normalization (Ioffe &amp; Szegedy, 2015) per channel of (N, C, ...) inputs, with PyTorch's parameters
 * {@code weight}, {@code bias} and buffers {@code running_mean}, {@code running_var}, {@code num_batches_tracked}.
 * In training mode it normalizes with the batch statistics and updates the running ones
 * ({@code running = (1 − momentum)·running + momentum·batch}, unbiased variance); in eval mode it uses the
 * running statistics. {@link BatchNorm1d} and {@link BatchNorm2d} fix the accepted ranks.
 */
public abstract class BatchNorm extends Layer {
    private final String name;
    private final int numFeatures;
    private final NormOptions options;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor numBatchesTracked;

    BatchNorm(String name, int numFeatures, NormOptions options) {
        NnChecks.requirePositive(name, "numFeatures", numFeatures);
        this.name = name;
        this.numFeatures = numFeatures;
        this.options = options;
        if (options.affine()) {
            weight = registerParameter("weight", Init.ones(allocate(options.dtype(), numFeatures)));
            bias = registerParameter("bias", allocate(options.dtype(), numFeatures));
        } else {
            weight = null;
            bias = null;
        }
        runningMean = registerBuffer("running_mean", allocate(options.dtype(), numFeatures));
        runningVar = registerBuffer("running_var", Init.ones(allocate(options.dtype(), numFeatures)));
        numBatchesTracked = registerBuffer("num_batches_tracked", Tensor.ofLongs(new long[] {0}));
    }

    /** Whether {@code rank} is an input rank this layer accepts. */
    abstract boolean acceptsRank(int rank);

    /** The accepted input shapes, for the error message. */
    abstract String expectedShapes();

    @Override
    public Tensor forward(Tensor x) {
        if (!acceptsRank(x.rank()) || x.size(1) != numFeatures) {
            throw new IllegalArgumentException(name + ": expected input " + expectedShapes() + " with C = "
                    + numFeatures + ", got " + Shape.format(x.shape()));
        }
        if (isTraining()) {
            numBatchesTracked.value().addi(1);
        }
        return Normalization.batchNorm(x, runningMean, runningVar, weight, bias,
                isTraining() ? Normalization.BatchNormMode.TRAIN : Normalization.BatchNormMode.EVAL,
                options.momentum(), options.eps());
    }

    public Tensor runningMean() {
        return runningMean;
    }

    public Tensor runningVar() {
        return runningVar;
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + options.eps() + ", momentum=" + options.momentum() + ", affine="
                + (weight != null);
    }
}
