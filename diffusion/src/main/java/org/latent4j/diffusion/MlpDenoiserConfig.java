package org.latent4j.diffusion;

/**
 * Shape of an {@link MlpDenoiser}: data dimension, hidden width, number of residual blocks, size of the
 * sinusoidal time embedding, and the number of classes it can be conditioned on (0: unconditional).
 */
public record MlpDenoiserConfig(int dataDim, int hiddenDim, int numBlocks, int timeEmbedDim, int numClasses) {
    public MlpDenoiserConfig {
        if (dataDim < 1 || hiddenDim < 1 || numBlocks < 0) {
            throw new IllegalArgumentException("MlpDenoiserConfig: dataDim and hiddenDim must be positive and "
                    + "numBlocks non-negative, got " + dataDim + ", " + hiddenDim + ", " + numBlocks);
        }
        if (timeEmbedDim < 2 || timeEmbedDim % 2 != 0) {
            throw new IllegalArgumentException("MlpDenoiserConfig: timeEmbedDim must be even and at least 2, got "
                    + timeEmbedDim);
        }
        if (numClasses < 0) {
            throw new IllegalArgumentException("MlpDenoiserConfig: numClasses must be non-negative, got " + numClasses);
        }
    }

    /** 2-D data, width 64, 2 blocks: trains on two moons in seconds. */
    public static MlpDenoiserConfig tiny() {
        return new MlpDenoiserConfig(2, 64, 2, 32, 0);
    }

    /** 2-D data, width 128, 3 blocks. */
    public static MlpDenoiserConfig small() {
        return new MlpDenoiserConfig(2, 128, 3, 64, 0);
    }

    public MlpDenoiserConfig withNumClasses(int n) {
        return new MlpDenoiserConfig(dataDim, hiddenDim, numBlocks, timeEmbedDim, n);
    }

    public MlpDenoiserConfig withHiddenDim(int h) {
        return new MlpDenoiserConfig(dataDim, h, numBlocks, timeEmbedDim, numClasses);
    }
}
