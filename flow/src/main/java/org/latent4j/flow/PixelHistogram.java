package org.latent4j.flow;

import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * The independent-pixel baseline for discrete images: each pixel its own categorical distribution over
 * {@code levels} values, fitted by counting (plus one, Laplace smoothing). Its bits per dimension on held-out
 * images is the exact discrete NLL, {@code −mean log₂ P_pixel(value)}; a flow that models how pixels depend
 * on each other must beat it.
 */
public final class PixelHistogram {
    private final int levels;
    private final double[][] logProb; // (pixels, levels), natural log

    private PixelHistogram(int levels, double[][] logProb) {
        this.levels = levels;
        this.logProb = logProb;
    }

    /** Fits on images (N, …) whose values are k/(levels−1) for integers k (as {@link Dequantization#uniform}). */
    public static PixelHistogram fit(Tensor images, int levels) {
        if (images.rank() < 2 || levels < 2) {
            throw new IllegalArgumentException("PixelHistogram.fit: images must be (N, …) and levels at least 2, got "
                    + Shape.format(images.shape()) + ", " + levels);
        }
        int n = (int) images.size(0);
        int pixels = (int) (images.numel() / n);
        double[] v = images.toDoubleArray();
        double[][] counts = new double[pixels][levels];
        for (double[] row : counts) {
            java.util.Arrays.fill(row, 1.0);
        }
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < pixels; p++) {
                counts[p][level(v[i * pixels + p], levels)]++;
            }
        }
        for (double[] row : counts) {
            double total = n + levels;
            for (int k = 0; k < levels; k++) {
                row[k] = Math.log(row[k] / total);
            }
        }
        return new PixelHistogram(levels, counts);
    }

    /** Mean bits per pixel of held-out images. */
    public double bitsPerDim(Tensor images) {
        int n = (int) images.size(0);
        int pixels = (int) (images.numel() / n);
        if (pixels != logProb.length) {
            throw new IllegalArgumentException("PixelHistogram.bitsPerDim: images " + Shape.format(images.shape())
                    + " have " + pixels + " pixels, the fit had " + logProb.length);
        }
        double[] v = images.toDoubleArray();
        double total = 0;
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < pixels; p++) {
                total -= logProb[p][level(v[i * pixels + p], levels)];
            }
        }
        return total / ((double) n * pixels * Math.log(2));
    }

    private static int level(double unitScaled, int levels) {
        int k = (int) Math.round(unitScaled * (levels - 1));
        if (k < 0 || k >= levels) {
            throw new IllegalArgumentException("PixelHistogram: value " + unitScaled + " is outside [0, 1]");
        }
        return k;
    }
}
