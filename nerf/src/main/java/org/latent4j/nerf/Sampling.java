package org.latent4j.nerf;

import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * Where along each ray the network is queried (Mildenhall et al. 2020, §4 and §5.2). {@link #stratified}
 * splits [near, far] into S equal bins and draws one uniform sample in each (eq. 2); without an Rng it takes the
 * bin midpoints, for evaluation. {@link #hierarchical} draws more samples where a coarse pass put its weight, by
 * inverting the piecewise-constant CDF of the weights over the intervals between coarse samples (eq. 5), and
 * merges them with the coarse ones; the weights are read as plain numbers, so no gradient flows into the
 * sample positions, as in the paper.
 */
public final class Sampling {
    /** Added to every weight before normalizing, so an empty ray still spreads its fine samples evenly. */
    public static final double WEIGHT_FLOOR = 1e-5;

    private Sampling() {
    }

    /** S stratified samples per ray in [near, far]; {@code rng} null gives the bin midpoints. */
    public static RaySamples stratified(Rays rays, int perRay, Rng rng) {
        if (perRay < 1) {
            throw new IllegalArgumentException("Sampling.stratified: perRay must be positive, got " + perRay);
        }
        int n = rays.count();
        if (n < 1) {
            throw new IllegalArgumentException("Sampling.stratified: no rays");
        }
        double near = rays.near();
        double bin = (rays.far() - near) / perRay;
        double[] t = new double[n * perRay];
        for (int r = 0; r < n; r++) {
            for (int s = 0; s < perRay; s++) {
                double u = rng == null ? 0.5 : rng.nextDouble();
                t[r * perRay + s] = near + (s + u) * bin;
            }
        }
        return RaySamples.of(t, n, perRay, rays.far());
    }

    /**
     * {@code numFine} samples per ray drawn from the coarse weights (N, S), merged in order with the coarse samples:
     * (N, S + numFine). The fine draws are stratified in CDF space, u_k = (k + U)/numFine, or (k + ½)/numFine
     * without an Rng.
     */
    public static RaySamples hierarchical(Rays rays, RaySamples coarse, Tensor weights, int numFine, Rng rng) {
        int n = coarse.numRays();
        int s = coarse.perRay();
        if (numFine < 1) {
            throw new IllegalArgumentException("Sampling.hierarchical: numFine must be positive, got " + numFine);
        }
        if (s < 3) {
            throw new IllegalArgumentException("Sampling.hierarchical: needs at least 3 coarse samples per ray, got "
                    + s);
        }
        if (rays.count() != n || weights.rank() != 2 || weights.size(0) != n || weights.size(1) != s) {
            throw new IllegalArgumentException("Sampling.hierarchical: weights " + Shape.format(weights.shape())
                    + " must be (" + n + "," + s + ") for " + rays.count() + " rays of " + s + " coarse samples");
        }
        double[] w = weights.toDoubleArray();
        double[] ct = coarse.t();
        int m = s + numFine;
        double[] out = new double[n * m];
        double[] bins = new double[s - 1];
        double[] cdf = new double[s - 1];
        double[] fine = new double[numFine];
        for (int r = 0; r < n; r++) {
            int base = r * s;
            for (int i = 0; i < s - 1; i++) {
                bins[i] = 0.5 * (ct[base + i] + ct[base + i + 1]);
            }
            // the interval between midpoints i and i+1 holds coarse sample i+1, so it gets that sample's weight
            double total = 0;
            for (int i = 1; i < s - 1; i++) {
                total += Math.max(w[base + i], 0) + WEIGHT_FLOOR;
            }
            cdf[0] = 0;
            for (int i = 1; i < s - 1; i++) {
                cdf[i] = cdf[i - 1] + (Math.max(w[base + i], 0) + WEIGHT_FLOOR) / total;
            }
            cdf[s - 2] = 1;
            int b = 0;
            for (int k = 0; k < numFine; k++) {
                double u = (k + (rng == null ? 0.5 : rng.nextDouble())) / numFine;
                while (b < s - 3 && cdf[b + 1] <= u) {
                    b++;
                }
                double span = cdf[b + 1] - cdf[b];
                double frac = span > 0 ? (u - cdf[b]) / span : 0;
                fine[k] = bins[b] + Math.min(Math.max(frac, 0), 1) * (bins[b + 1] - bins[b]);
            }
            merge(ct, base, s, fine, out, r * m);
        }
        return RaySamples.of(out, n, m, rays.far());
    }

    /** Merges the sorted runs a[aStart, aStart + aLen) and b into out[outStart, …). */
    private static void merge(double[] a, int aStart, int aLen, double[] b, double[] out, int outStart) {
        int i = 0;
        int j = 0;
        int k = outStart;
        while (i < aLen || j < b.length) {
            if (j >= b.length || i < aLen && a[aStart + i] <= b[j]) {
                out[k++] = a[aStart + i++];
            } else {
                out[k++] = b[j++];
            }
        }
    }
}
