package org.latent4j.nerf;

import org.latent4j.core.ops.Elementwise;
import org.latent4j.core.ops.Shapes;
import org.latent4j.core.ops.Trigonometry;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * The NeRF paper's Fourier features (Mildenhall et al. 2020, eq. 4), applied to each coordinate p of the last
 * axis: γ(p) = (p, sin(2⁰πp), cos(2⁰πp), …, sin(2^{L−1}πp), cos(2^{L−1}πp)), the leading p only with
 * {@code includeInput}. For an input of D coordinates the output has D·(2L + 1) (or D·2L) features, laid out
 * as the reference implementation does: the input, then per frequency the D sines followed by the D cosines.
 * Differentiable with respect to the input.
 */
public record PositionalEncoding(int numFrequencies, boolean includeInput) {
    public PositionalEncoding {
        if (numFrequencies < 0 || numFrequencies > 20) {
            throw new IllegalArgumentException("PositionalEncoding: numFrequencies must be in [0, 20], got "
                    + numFrequencies);
        }
        if (numFrequencies == 0 && !includeInput) {
            throw new IllegalArgumentException("PositionalEncoding: with 0 frequencies the input must be included");
        }
    }

    /** L frequencies, the input included (the paper's γ with the raw coordinates prepended, as its code does). */
    public static PositionalEncoding withInput(int numFrequencies) {
        return new PositionalEncoding(numFrequencies, true);
    }

    /** Number of output features for {@code inputDim} coordinates. */
    public int outputDim(int inputDim) {
        return inputDim * (2 * numFrequencies + (includeInput ? 1 : 0));
    }

    /** (…, D) → (…, outputDim(D)). */
    public Tensor encode(Tensor x) {
        if (x.rank() < 1 || x.size(-1) < 1) {
            throw new IllegalArgumentException("PositionalEncoding: input " + Shape.format(x.shape())
                    + " must have a non-empty last axis of coordinates");
        }
        if (numFrequencies == 0) {
            return x;
        }
        int rank = x.rank();
        long d = x.size(-1);
        // one sine of (…, 2L, D) phases: cos θ = sin(θ + π/2), so the sines and cosines come out interleaved per
        // frequency in a single op instead of two ops and a stack
        double[] f = new double[2 * numFrequencies];
        double[] shift = new double[2 * numFrequencies];
        for (int k = 0; k < numFrequencies; k++) {
            f[2 * k] = Math.PI * Math.pow(2, k);
            f[2 * k + 1] = f[2 * k];
            shift[2 * k + 1] = Math.PI / 2;
        }
        Tensor freqs = Rays.toTensor(f, x.dtype(), 2L * numFrequencies, 1);      // (2L, 1)
        Tensor phase = Rays.toTensor(shift, x.dtype(), 2L * numFrequencies, 1);  // (2L, 1)
        Tensor angles = Elementwise.add(Elementwise.mul(Shapes.unsqueeze(x, rank - 1), freqs), phase); // (…, 2L, D)
        long[] outShape = x.shape().clone();
        outShape[rank - 1] = 2L * numFrequencies * d;
        Tensor features = Shapes.reshape(Trigonometry.sin(angles), outShape);    // (…, 2LD)
        return includeInput ? Shapes.concat(rank - 1, x, features) : features;   // (…, outputDim)
    }
}
