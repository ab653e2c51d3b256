package org.latent4j.gan;

import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * Mode coverage of samples from a mixture of Gaussians with known centres (the ring of 8 and the grid of 25 of
 * {@link org.latent4j.core.data.ToyDatasets}), the measure of the unrolled-GAN and VEEGAN papers: each sample
 * is assigned to its nearest centre and is <em>high quality</em> when it lies within {@code 3σ} of it; a mode is
 * <em>covered</em> when at least {@code minCount} high-quality samples fall on it. A collapsed generator covers
 * one or a few modes; a generator that smears mass between the modes has a low high-quality fraction.
 *
 * @param counts              high-quality samples per mode (the histogram)
 * @param samples             number of samples measured
 * @param modesCovered        modes with at least {@code minCount} high-quality samples
 * @param highQualityFraction fraction of all samples within the radius of their nearest mode
 * @param modeKl              KL(p ‖ uniform) of the high-quality samples' distribution over the modes, in nats
 *                            (0 when perfectly balanced, log K when all on one mode; NaN without any)
 * @param radius              the distance that counts as "on a mode" (3σ)
 * @param minCount            high-quality samples a mode needs to count as covered
 */
public record ModeCoverage(long[] counts, int samples, int modesCovered, double highQualityFraction, double modeKl,
        double radius, int minCount) {

    /**
     * Coverage with radius {@code 3·std} and the default threshold: a mode counts as covered when at least a
     * tenth of its even share of the samples, {@code N / (10K)} (at least 1), is within the radius of it — present,
     * if perhaps under-weighted; {@link #modeKl} measures the balance.
     */
    public static ModeCoverage measure(Tensor samples, double[][] modes, double std) {
        if (!(std > 0)) {
            throw new IllegalArgumentException("ModeCoverage: std must be positive, got " + std);
        }
        int n = samples.rank() >= 1 ? (int) samples.size(0) : 0;
        int k = modes.length == 0 ? 1 : modes.length;
        return measure(samples, modes, 3 * std, Math.max(1, n / (10 * k)));
    }

    /** Coverage with an explicit radius and per-mode threshold. */
    public static ModeCoverage measure(Tensor samples, double[][] modes, double radius, int minCount) {
        if (samples.rank() != 2 || samples.size(0) < 1) {
            throw new IllegalArgumentException("ModeCoverage: samples must be a non-empty (N, D) batch, got "
                    + Shape.format(samples.shape()));
        }
        if (modes.length == 0) {
            throw new IllegalArgumentException("ModeCoverage: no modes given");
        }
        int dim = (int) samples.size(1);
        for (double[] m : modes) {
            if (m.length != dim) {
                throw new IllegalArgumentException("ModeCoverage: a mode has " + m.length + " coordinates but the "
                        + "samples have " + dim);
            }
        }
        if (!(radius > 0) || minCount < 1) {
            throw new IllegalArgumentException("ModeCoverage: radius must be positive and minCount >= 1, got "
                    + radius + " and " + minCount);
        }
        double[] x = samples.toDoubleArray();
        int n = (int) samples.size(0);
        long[] counts = new long[modes.length];
        long good = 0;
        for (int i = 0; i < n; i++) {
            int best = -1;
            double bestD2 = Double.POSITIVE_INFINITY;
            for (int m = 0; m < modes.length; m++) {
                double d2 = 0;
                for (int j = 0; j < dim; j++) {
                    double diff = x[i * dim + j] - modes[m][j];
                    d2 += diff * diff;
                }
                if (d2 < bestD2) {
                    bestD2 = d2;
                    best = m;
                }
            }
            if (bestD2 <= radius * radius) {
                counts[best]++;
                good++;
            }
        }
        int covered = 0;
        double kl = 0;
        for (long c : counts) {
            covered += c >= minCount ? 1 : 0;
            if (c > 0) {
                double p = (double) c / good;
                kl += p * Math.log(p * modes.length);
            }
        }
        return new ModeCoverage(counts, n, covered, (double) good / n, good == 0 ? Double.NaN : kl, radius,
                minCount);
    }

    public int numModes() {
        return counts.length;
    }

    /** Whether every mode is covered. */
    public boolean coversAll() {
        return modesCovered == counts.length;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%d/%d modes, %.1f%% high quality, mode KL %.3f, counts %s",
                modesCovered, counts.length, 100 * highQualityFraction, modeKl, java.util.Arrays.toString(counts));
    }
}
