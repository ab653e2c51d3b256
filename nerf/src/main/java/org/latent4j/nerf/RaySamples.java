package org.latent4j.nerf;

/**
 * Sample distances along N rays, S per ray, sorted along each ray, with the length δ of the interval each sample
 * stands for: δᵢ = tᵢ₊₁ − tᵢ, and for the last sample the distance to the far bound. Host arrays of shape (N, S),
 * row-major; they carry no gradient (the paper does not differentiate through sample positions).
 */
public record RaySamples(double[] t, double[] deltas, int numRays, int perRay) {
    public RaySamples {
        if (numRays < 1 || perRay < 1 || t == null || deltas == null || t.length != (long) numRays * perRay
                || deltas.length != t.length) {
            throw new IllegalArgumentException("RaySamples: t and deltas must both hold numRays × perRay = " + numRays
                    + " × " + perRay + " values");
        }
    }

    /** Builds the deltas from sorted distances t of shape (N, S) and the far bound. */
    public static RaySamples of(double[] t, int numRays, int perRay, double far) {
        double[] d = new double[t.length];
        for (int r = 0; r < numRays; r++) {
            int base = r * perRay;
            for (int s = 0; s < perRay; s++) {
                double next = s + 1 < perRay ? t[base + s + 1] : Math.max(far, t[base + s]);
                d[base + s] = next - t[base + s];
            }
        }
        return new RaySamples(t, d, numRays, perRay);
    }
}
