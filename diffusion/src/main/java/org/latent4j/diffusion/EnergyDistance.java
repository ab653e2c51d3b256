package org.latent4j.diffusion;

import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * The energy distance between two samples (Székely &amp; Rizzo 2013),
 * {@code D² = 2·E‖X − Y‖ − E‖X − X'‖ − E‖Y − Y'‖}, which is zero exactly when the two distributions are equal.
 * The within-sample means run over distinct pairs (the unbiased U-statistic), so two samples of one
 * distribution give values scattered around zero. O(n·m) time, no extra memory: a few thousand 2-D points
 * take well under a second.
 */
public final class EnergyDistance {
    private EnergyDistance() {
    }

    /** D² between the rows of {@code a} (N, D) and of {@code b} (M, D), N, M ≥ 2. */
    public static double squared(Tensor a, Tensor b) {
        if (a.rank() != 2 || b.rank() != 2 || a.size(1) != b.size(1) || a.size(0) < 2 || b.size(0) < 2) {
            throw new IllegalArgumentException("EnergyDistance: need (N, D) and (M, D) with N, M >= 2, got "
                    + Shape.format(a.shape()) + " and " + Shape.format(b.shape()));
        }
        int d = (int) a.size(1);
        double[] x = a.toDoubleArray();
        double[] y = b.toDoubleArray();
        double xy = meanDistance(x, y, d, false);
        double xx = meanDistance(x, x, d, true);
        double yy = meanDistance(y, y, d, true);
        return 2 * xy - xx - yy;
    }

    private static double meanDistance(double[] x, double[] y, int d, boolean same) {
        int n = x.length / d;
        int m = y.length / d;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            for (int j = same ? i + 1 : 0; j < m; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    double diff = x[i * d + k] - y[j * d + k];
                    s += diff * diff;
                }
                sum += Math.sqrt(s);
            }
        }
        return same ? sum / (n * (n - 1) / 2.0) : sum / ((double) n * m);
    }
}
