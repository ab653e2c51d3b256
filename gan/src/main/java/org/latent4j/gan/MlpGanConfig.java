package org.latent4j.gan;

/**
 * Shape of an MLP GAN ({@link MlpGenerator}, {@link MlpDiscriminator}): the data dimension, the latent
 * dimension the generator draws z from, the hidden width, and the number of hidden layers of each network.
 * The generator uses ReLU, the discriminator leaky ReLU with {@code leakySlope}.
 */
public record MlpGanConfig(int dataDim, int latentDim, int hiddenDim, int generatorLayers, int discriminatorLayers,
        double leakySlope) {
    public MlpGanConfig {
        requirePositive("dataDim", dataDim);
        requirePositive("latentDim", latentDim);
        requirePositive("hiddenDim", hiddenDim);
        requirePositive("generatorLayers", generatorLayers);
        requirePositive("discriminatorLayers", discriminatorLayers);
        if (!(leakySlope >= 0 && leakySlope < 1)) {
            throw new IllegalArgumentException("MlpGanConfig: leakySlope must be in [0, 1), got " + leakySlope);
        }
    }

    /**
     * For 2-D mixtures (ring of 8, grid of 25): z of 16 dimensions, 2 hidden layers of 64 in each network,
     * leaky slope 0.2.
     */
    public static MlpGanConfig toy2d() {
        return new MlpGanConfig(2, 16, 64, 2, 2, 0.2);
    }

    /** A few dozen parameters per layer: for unit tests and gradient checks. */
    public static MlpGanConfig tiny() {
        return new MlpGanConfig(2, 3, 5, 1, 2, 0.2);
    }

    public MlpGanConfig withHiddenDim(int value) {
        return new MlpGanConfig(dataDim, latentDim, value, generatorLayers, discriminatorLayers, leakySlope);
    }

    public MlpGanConfig withLatentDim(int value) {
        return new MlpGanConfig(dataDim, value, hiddenDim, generatorLayers, discriminatorLayers, leakySlope);
    }

    static void requirePositive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("MlpGanConfig: " + field + " must be positive, got " + value);
        }
    }
}
