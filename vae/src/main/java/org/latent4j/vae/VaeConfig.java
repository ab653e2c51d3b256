package org.latent4j.vae;

import java.util.Arrays;

/**
 * Shape of a {@link Vae}: the image it models (channels, height, width), the encoder/decoder
 * {@link Architecture} and its hidden sizes (layer widths for an MLP, channels per stride-2 stage for a
 * convolutional net; the decoder mirrors them), the latent dimension, the {@link Likelihood} p(x | z) with the
 * Gaussian's (fixed or initial) standard deviation, the number of classes a conditional VAE is conditioned on
 * (0: unconditional), and β, the weight of the KL term in the training loss (1: the ELBO; β-VAE above 1).
 */
public record VaeConfig(Architecture architecture, int channels, int height, int width, int[] hiddenDims,
        int latentDim, Likelihood likelihood, double outputStd, int numClasses, double beta) {
    public VaeConfig {
        if (architecture == null || likelihood == null) {
            throw new IllegalArgumentException("VaeConfig: architecture and likelihood must not be null");
        }
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("VaeConfig: channels, height and width must be positive, got "
                    + channels + ", " + height + ", " + width);
        }
        if (hiddenDims == null || hiddenDims.length == 0) {
            throw new IllegalArgumentException("VaeConfig: hiddenDims needs at least one entry, got "
                    + Arrays.toString(hiddenDims));
        }
        for (int h : hiddenDims) {
            if (h < 1) {
                throw new IllegalArgumentException("VaeConfig: hiddenDims must be positive, got "
                        + Arrays.toString(hiddenDims));
            }
        }
        hiddenDims = hiddenDims.clone();
        if (architecture == Architecture.CONV) {
            int factor = 1 << hiddenDims.length;
            if (height % factor != 0 || width % factor != 0) {
                throw new IllegalArgumentException("VaeConfig: a CONV VAE with " + hiddenDims.length
                        + " stride-2 stages needs height and width divisible by " + factor + ", got " + height + "x"
                        + width);
            }
        }
        if (latentDim < 1) {
            throw new IllegalArgumentException("VaeConfig: latentDim must be positive, got " + latentDim);
        }
        if (!(outputStd > 0) || Double.isInfinite(outputStd)) {
            throw new IllegalArgumentException("VaeConfig: outputStd must be positive and finite, got " + outputStd);
        }
        if (numClasses < 0) {
            throw new IllegalArgumentException("VaeConfig: numClasses must be non-negative, got " + numClasses);
        }
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("VaeConfig: beta must be non-negative and finite, got " + beta);
        }
    }

    /** An MLP VAE for scikit-learn's 8×8 digits: 64 → 256 → 128 → 8-D latent, Bernoulli pixels. */
    public static VaeConfig digits() {
        return new VaeConfig(Architecture.MLP, 1, 8, 8, new int[] {256, 128}, 8, Likelihood.BERNOULLI, 0.1, 0, 1);
    }

    /** An MLP VAE for 28×28 Fashion-MNIST: 784 → 512 → 256 → 16-D latent, Bernoulli pixels. */
    public static VaeConfig fashionMnist() {
        return new VaeConfig(Architecture.MLP, 1, 28, 28, new int[] {512, 256}, 16, Likelihood.BERNOULLI, 0.1, 0, 1);
    }

    /** A small convolutional VAE for 28×28 greyscale: 1 → 32 → 64 channels (28 → 14 → 7), 16-D latent. */
    public static VaeConfig smallConv() {
        return new VaeConfig(Architecture.CONV, 1, 28, 28, new int[] {32, 64}, 16, Likelihood.BERNOULLI, 0.1, 0, 1);
    }

    /** Pixels per example, C·H·W. */
    public int dataDim() {
        return channels * height * width;
    }

    @Override
    public int[] hiddenDims() {
        return hiddenDims.clone();
    }

    public VaeConfig withImage(int c, int h, int w) {
        return new VaeConfig(architecture, c, h, w, hiddenDims, latentDim, likelihood, outputStd, numClasses, beta);
    }

    public VaeConfig withHiddenDims(int... dims) {
        return new VaeConfig(architecture, channels, height, width, dims, latentDim, likelihood, outputStd, numClasses,
                beta);
    }

    public VaeConfig withLatentDim(int d) {
        return new VaeConfig(architecture, channels, height, width, hiddenDims, d, likelihood, outputStd, numClasses,
                beta);
    }

    /** The likelihood and the Gaussian's standard deviation (fixed, or where a learned one starts). */
    public VaeConfig withLikelihood(Likelihood l, double std) {
        return new VaeConfig(architecture, channels, height, width, hiddenDims, latentDim, l, std, numClasses, beta);
    }

    public VaeConfig withNumClasses(int n) {
        return new VaeConfig(architecture, channels, height, width, hiddenDims, latentDim, likelihood, outputStd, n,
                beta);
    }

    public VaeConfig withBeta(double b) {
        return new VaeConfig(architecture, channels, height, width, hiddenDims, latentDim, likelihood, outputStd,
                numClasses, b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VaeConfig c && architecture == c.architecture && channels == c.channels
                && height == c.height && width == c.width && Arrays.equals(hiddenDims, c.hiddenDims)
                && latentDim == c.latentDim && likelihood == c.likelihood
                && Double.compare(outputStd, c.outputStd) == 0 && numClasses == c.numClasses
                && Double.compare(beta, c.beta) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Objects.hash(architecture, channels, height, width, latentDim, likelihood, outputStd,
                numClasses, beta) + Arrays.hashCode(hiddenDims);
    }

    @Override
    public String toString() {
        return "VaeConfig[" + architecture + " " + channels + "x" + height + "x" + width + ", hidden "
                + Arrays.toString(hiddenDims) + ", latent " + latentDim + ", " + likelihood
                + (likelihood.isGaussian() ? " std " + outputStd : "") + ", classes " + numClasses + ", beta " + beta
                + "]";
    }
}
