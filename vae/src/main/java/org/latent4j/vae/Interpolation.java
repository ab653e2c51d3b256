package org.latent4j.vae;

import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * Paths between two latent vectors, to decode into a row of images. Linear interpolation walks the straight
 * line; spherical interpolation (slerp, Shoemake 1985; White 2016 for generative models) follows the great
 * circle, which keeps the norm near that of typical N(0, I) draws instead of passing through the low-norm
 * middle that a Gaussian prior rarely produces in many dimensions.
 */
public final class Interpolation {
    private Interpolation() {
    }

    /** {@code steps} points (1 − t)·a + t·b for t = 0, 1/(steps−1), …, 1; a and b are (L): (steps, L). */
    public static Tensor linear(Tensor a, Tensor b, int steps) {
        double[] x = check("linear", a, b, steps);
        double[] y = b.toDoubleArray();
        int l = x.length;
        double[] out = new double[steps * l];
        for (int s = 0; s < steps; s++) {
            double t = fraction(s, steps);
            for (int i = 0; i < l; i++) {
                out[s * l + i] = (1 - t) * x[i] + t * y[i];
            }
        }
        return Tensor.of(out, steps, l).to(a.dtype());
    }

    /**
     * {@code steps} points sin((1 − t)Ω)/sin Ω · a + sin(tΩ)/sin Ω · b, Ω the angle between a and b; falls back
     * to {@link #linear} when a and b are (nearly) parallel. a and b are (L): (steps, L).
     */
    public static Tensor spherical(Tensor a, Tensor b, int steps) {
        double[] x = check("spherical", a, b, steps);
        double[] y = b.toDoubleArray();
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < x.length; i++) {
            dot += x[i] * y[i];
            na += x[i] * x[i];
            nb += y[i] * y[i];
        }
        double cos = dot / Math.sqrt(na * nb);
        if (!(Math.abs(cos) < 1 - 1e-7)) {
            return linear(a, b, steps);
        }
        double omega = Math.acos(cos);
        double sin = Math.sin(omega);
        int l = x.length;
        double[] out = new double[steps * l];
        for (int s = 0; s < steps; s++) {
            double t = fraction(s, steps);
            double wa = Math.sin((1 - t) * omega) / sin;
            double wb = Math.sin(t * omega) / sin;
            for (int i = 0; i < l; i++) {
                out[s * l + i] = wa * x[i] + wb * y[i];
            }
        }
        return Tensor.of(out, steps, l).to(a.dtype());
    }

    private static double fraction(int s, int steps) {
        return steps == 1 ? 0 : (double) s / (steps - 1);
    }

    private static double[] check(String op, Tensor a, Tensor b, int steps) {
        if (a.rank() != 1 || b.rank() != 1 || a.size(0) != b.size(0)) {
            throw new IllegalArgumentException("Interpolation." + op + ": endpoints " + Shape.format(a.shape())
                    + " and " + Shape.format(b.shape()) + " must both be (L)");
        }
        if (steps < 2) {
            throw new IllegalArgumentException("Interpolation." + op + ": steps must be at least 2, got " + steps);
        }
        return a.toDoubleArray();
    }
}
