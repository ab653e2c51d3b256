package org.latent4j.core.viz;

import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/** The rectangle of the plane a {@link HeatMap} shows: x to the right, y up. */
public record Extent(double xMin, double xMax, double yMin, double yMax) {
    public Extent {
        if (!(xMin < xMax) || !(yMin < yMax)) {
            throw new IllegalArgumentException("Extent: need xMin < xMax and yMin < yMax, got x [" + xMin + ", "
                    + xMax + "], y [" + yMin + ", " + yMax + "]");
        }
    }

    /** The square [-half, half]². */
    public static Extent square(double half) {
        return new Extent(-half, half, -half, half);
    }

    /** The bounding box of points (N, 2), widened by {@code margin} times its size on each side. */
    public static Extent around(Tensor points, double margin) {
        double[] p = xy(points, "Extent.around");
        double x0 = Double.POSITIVE_INFINITY;
        double x1 = Double.NEGATIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY;
        double y1 = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < p.length; i += 2) {
            if (Double.isFinite(p[i]) && Double.isFinite(p[i + 1])) {
                x0 = Math.min(x0, p[i]);
                x1 = Math.max(x1, p[i]);
                y0 = Math.min(y0, p[i + 1]);
                y1 = Math.max(y1, p[i + 1]);
            }
        }
        if (x0 > x1) {
            return square(1);
        }
        double dx = Math.max(x1 - x0, 1e-6) * margin + 1e-6;
        double dy = Math.max(y1 - y0, 1e-6) * margin + 1e-6;
        return new Extent(x0 - dx, x1 + dx, y0 - dy, y1 + dy);
    }

    /**
     * The centres of a {@code resolution}×{@code resolution} grid of cells covering this extent, as a float32
     * tensor (resolution², 2), row-major from the top row (largest y) down: evaluate a model on it and pass
     * the values to {@link HeatMap#writeField}.
     */
    public Tensor gridPoints(int resolution) {
        if (resolution < 1) {
            throw new IllegalArgumentException("Extent.gridPoints: resolution must be >= 1, got " + resolution);
        }
        float[] out = new float[resolution * resolution * 2];
        for (int row = 0; row < resolution; row++) {
            double y = yMax - (row + 0.5) * (yMax - yMin) / resolution;
            for (int col = 0; col < resolution; col++) {
                int k = 2 * (row * resolution + col);
                out[k] = (float) (xMin + (col + 0.5) * (xMax - xMin) / resolution);
                out[k + 1] = (float) y;
            }
        }
        return Tensor.of(out, (long) resolution * resolution, 2);
    }

    /** Row-major (x, y) pairs of a tensor of shape (N, 2). */
    static double[] xy(Tensor points, String op) {
        long[] s = points.shape();
        if (s.length != 2 || s[1] != 2) {
            throw new IllegalArgumentException(op + ": expected points of shape (N,2), got " + Shape.format(s));
        }
        return points.toDoubleArray();
    }
}
