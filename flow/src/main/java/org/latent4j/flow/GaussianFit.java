package org.latent4j.flow;

import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * The maximum-likelihood Gaussian of points (N, D): mean and full covariance, and its mean negative
 * log-likelihood on other points, {@code ½[(x−μ)ᵀΣ⁻¹(x−μ) + log det Σ + D log 2π]} (Cholesky in float64).
 * The baseline a flow must beat: a flow with no coupling layers can do exactly this well.
 */
public final class GaussianFit {
    private final int dim;
    private final double[] mean;
    private final double[] chol; // lower-triangular L with Σ = L·Lᵀ, row-major (D, D)

    private GaussianFit(int dim, double[] mean, double[] chol) {
        this.dim = dim;
        this.mean = mean;
        this.chol = chol;
    }

    public static GaussianFit fit(Tensor points) {
        if (points.rank() != 2 || points.size(0) < 2) {
            throw new IllegalArgumentException("GaussianFit.fit: points must be (N, D) with N ≥ 2, got "
                    + Shape.format(points.shape()));
        }
        int n = (int) points.size(0);
        int d = (int) points.size(1);
        double[] p = points.toDoubleArray();
        double[] mu = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mu[j] += p[i * d + j] / n;
            }
        }
        double[] cov = new double[d * d];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < d; a++) {
                double da = p[i * d + a] - mu[a];
                for (int b = 0; b <= a; b++) {
                    cov[a * d + b] += da * (p[i * d + b] - mu[b]) / n;
                }
            }
        }
        double[] l = new double[d * d];
        for (int a = 0; a < d; a++) {
            for (int b = 0; b <= a; b++) {
                double s = cov[a * d + b];
                for (int k = 0; k < b; k++) {
                    s -= l[a * d + k] * l[b * d + k];
                }
                if (a == b) {
                    if (!(s > 0)) {
                        throw new IllegalArgumentException("GaussianFit.fit: the covariance is singular (coordinate "
                                + a + " is a linear function of the others)");
                    }
                    l[a * d + a] = Math.sqrt(s);
                } else {
                    l[a * d + b] = s / l[b * d + b];
                }
            }
        }
        return new GaussianFit(d, mu, l);
    }

    /** Mean −log N(x; μ, Σ) over the points, in nats. */
    public double nll(Tensor points) {
        if (points.rank() != 2 || points.size(1) != dim) {
            throw new IllegalArgumentException("GaussianFit.nll: points " + Shape.format(points.shape())
                    + " must be (N, " + dim + ")");
        }
        int n = (int) points.size(0);
        double[] p = points.toDoubleArray();
        double logDet = 0;
        for (int a = 0; a < dim; a++) {
            logDet += 2 * Math.log(chol[a * dim + a]);
        }
        double constant = 0.5 * (logDet + dim * Math.log(2 * Math.PI));
        double total = 0;
        double[] y = new double[dim];
        for (int i = 0; i < n; i++) {
            double maha = 0;
            for (int a = 0; a < dim; a++) { // solve L y = x − μ
                double s = p[i * dim + a] - mean[a];
                for (int k = 0; k < a; k++) {
                    s -= chol[a * dim + k] * y[k];
                }
                y[a] = s / chol[a * dim + a];
                maha += y[a] * y[a];
            }
            total += 0.5 * maha + constant;
        }
        return total / n;
    }
}
