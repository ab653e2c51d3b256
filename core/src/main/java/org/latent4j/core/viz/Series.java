package org.latent4j.core.viz;

import org.latent4j.core.tensor.Tensor;

/** One named line or point set of a {@link Plots} chart. */
public record Series(String name, double[] x, double[] y) {
    public Series {
        if (name == null || x == null || y == null) {
            throw new IllegalArgumentException("Series: name, x and y must not be null");
        }
        if (x.length != y.length) {
            throw new IllegalArgumentException("Series '" + name + "': " + x.length + " x values but " + y.length
                    + " y values");
        }
    }

    /** A series from points of shape (N, 2). */
    public static Series ofPoints(String name, Tensor points) {
        double[] p = Extent.xy(points, "Series.ofPoints");
        double[] x = new double[p.length / 2];
        double[] y = new double[p.length / 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = p[2 * i];
            y[i] = p[2 * i + 1];
        }
        return new Series(name, x, y);
    }
}
