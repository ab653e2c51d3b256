package org.latent4j.nerf;

import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Tensor;

/**
 * A batch of N rays r(t) = o + t·d, kept on the host as (N, 3) row-major arrays of origins and unit directions,
 * with the bounds [near, far] the renderer samples between. Tensors are made from it when a model needs them.
 */
public record Rays(double[] origins, double[] directions, double near, double far) {
    public Rays {
        if (origins == null || directions == null) {
            throw new IllegalArgumentException("Rays: origins and directions must not be null");
        }
        if (origins.length % 3 != 0 || origins.length != directions.length) {
            throw new IllegalArgumentException("Rays: origins (" + origins.length + " values) and directions ("
                    + directions.length + " values) must both hold N×3 values");
        }
        if (!(near >= 0) || !(far > near) || !Double.isFinite(far)) {
            throw new IllegalArgumentException("Rays: need 0 <= near < far < ∞, got near " + near + ", far " + far);
        }
        for (int i = 0; i < directions.length; i += 3) {
            double n = Math.sqrt(directions[i] * directions[i] + directions[i + 1] * directions[i + 1]
                    + directions[i + 2] * directions[i + 2]);
            if (!(Math.abs(n - 1) < 1e-6)) {
                throw new IllegalArgumentException("Rays: direction " + i / 3 + " has length " + n + ", not 1");
            }
        }
    }

    /** N. */
    public int count() {
        return origins.length / 3;
    }

    /** Rays {@code start} (inclusive) to {@code end} (exclusive). */
    public Rays slice(int start, int end) {
        if (start < 0 || end > count() || start > end) {
            throw new IllegalArgumentException("Rays.slice: [" + start + ", " + end + ") out of " + count() + " rays");
        }
        return new Rays(java.util.Arrays.copyOfRange(origins, 3 * start, 3 * end),
                java.util.Arrays.copyOfRange(directions, 3 * start, 3 * end), near, far);
    }

    /** The rays at {@code index}, in that order. */
    public Rays select(int[] index) {
        double[] o = new double[3 * index.length];
        double[] d = new double[3 * index.length];
        for (int k = 0; k < index.length; k++) {
            int i = index[k];
            if (i < 0 || i >= count()) {
                throw new IllegalArgumentException("Rays.select: index " + i + " out of " + count() + " rays");
            }
            System.arraycopy(origins, 3 * i, o, 3 * k, 3);
            System.arraycopy(directions, 3 * i, d, 3 * k, 3);
        }
        return new Rays(o, d, near, far);
    }

    /** Unit directions as an (N, 3) tensor. */
    public Tensor directionTensor(DType dtype) {
        return toTensor(directions, dtype, count(), 3);
    }

    /** The points o + t·d at sample distances t of shape (N, S), as an (N, S, 3) tensor (no gradient). */
    public Tensor points(double[] t, int samplesPerRay, DType dtype) {
        int n = count();
        if (t.length != n * samplesPerRay) {
            throw new IllegalArgumentException("Rays.points: " + t.length + " distances for " + n + " rays × "
                    + samplesPerRay + " samples");
        }
        double[] p = new double[n * samplesPerRay * 3];
        for (int r = 0; r < n; r++) {
            for (int s = 0; s < samplesPerRay; s++) {
                double ts = t[r * samplesPerRay + s];
                int k = 3 * (r * samplesPerRay + s);
                for (int c = 0; c < 3; c++) {
                    p[k + c] = origins[3 * r + c] + ts * directions[3 * r + c];
                }
            }
        }
        return toTensor(p, dtype, n, samplesPerRay, 3);
    }

    static Tensor toTensor(double[] v, DType dtype, long... shape) {
        if (dtype == DType.FLOAT64) {
            return Tensor.of(v, shape);
        }
        if (dtype != DType.FLOAT32) {
            throw new IllegalArgumentException("Rays: dtype must be FLOAT32 or FLOAT64, got " + dtype);
        }
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return Tensor.of(f, shape);
    }
}
