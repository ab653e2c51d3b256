package org.latent4j.nerf;

import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/** Peak signal-to-noise ratio of images in [0, 1]: PSNR = −10·log₁₀(MSE), in decibels. */
public final class Psnr {
    private Psnr() {
    }

    /** PSNR between two tensors of the same shape. */
    public static double of(Tensor prediction, Tensor target) {
        if (!java.util.Arrays.equals(prediction.shape(), target.shape())) {
            throw new IllegalArgumentException("Psnr: prediction " + Shape.format(prediction.shape())
                    + " and target " + Shape.format(target.shape()) + " differ in shape");
        }
        return of(prediction.toDoubleArray(), target.toDoubleArray());
    }

    /** PSNR between two arrays of the same length. */
    public static double of(double[] prediction, double[] target) {
        if (prediction.length != target.length || prediction.length == 0) {
            throw new IllegalArgumentException("Psnr: need two non-empty arrays of the same length, got "
                    + prediction.length + " and " + target.length);
        }
        double se = 0;
        for (int i = 0; i < prediction.length; i++) {
            double e = prediction[i] - target[i];
            se += e * e;
        }
        return fromMse(se / prediction.length);
    }

    /** −10·log₁₀(mse); infinite for a perfect match. */
    public static double fromMse(double mse) {
        if (!(mse >= 0)) {
            throw new IllegalArgumentException("Psnr: mse must be non-negative, got " + mse);
        }
        return -10 * Math.log10(mse);
    }
}
