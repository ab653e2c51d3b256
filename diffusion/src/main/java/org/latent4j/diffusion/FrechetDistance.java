package org.latent4j.diffusion;

import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * The Fréchet distance between two Gaussians fitted to feature vectors (Heusel et al. 2017, the "FID" when the
 * features are Inception's): {@code d² = ‖μ₁ − μ₂‖² + tr(Σ₁) + tr(Σ₂) − 2·tr((Σ₁Σ₂)^{1/2})}. The trace of the
 * matrix square root is taken in the symmetric form {@code tr((Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2})}, which has the same
 * eigenvalues as Σ₁Σ₂ but is symmetric positive semi-definite, so two Jacobi eigen-decompositions in float64
 * give it exactly (no complex round-off to discard, unlike a general {@code sqrtm}). Covariances use the
 * unbiased 1/(N−1) normalisation, as {@code numpy.cov}. The estimate is biased upwards for small samples, by
 * roughly D/N for D features: compare sets of equal size.
 */
public final class FrechetDistance {
    private FrechetDistance() {
    }

    /** The mean (D) and covariance (D, D) of a set of feature vectors. */
    public record Statistics(double[] mean, double[][] covariance, int count) {
        public Statistics {
            int d = mean.length;
            if (covariance.length != d) {
                throw new IllegalArgumentException("FrechetDistance: mean of size " + d + " but covariance of "
                        + covariance.length + " rows");
            }
            for (double[] row : covariance) {
                if (row.length != d) {
                    throw new IllegalArgumentException("FrechetDistance: covariance must be " + d + "x" + d);
                }
            }
        }

        public int dim() {
            return mean.length;
        }

        /** The statistics of the rows of {@code features} (N, D), N ≥ 2. */
        public static Statistics of(Tensor features) {
            if (features.rank() != 2 || features.size(0) < 2) {
                throw new IllegalArgumentException("FrechetDistance: features must be (N, D) with N >= 2, got "
                        + Shape.format(features.shape()));
            }
            int n = (int) features.size(0);
            int d = (int) features.size(1);
            double[] x = features.toDoubleArray();
            double[] mean = new double[d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    mean[j] += x[i * d + j];
                }
            }
            for (int j = 0; j < d; j++) {
                mean[j] /= n;
            }
            double[][] cov = new double[d][d];
            double[] centred = new double[d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    centred[j] = x[i * d + j] - mean[j];
                }
                for (int a = 0; a < d; a++) {
                    for (int b = a; b < d; b++) {
                        cov[a][b] += centred[a] * centred[b];
                    }
                }
            }
            for (int a = 0; a < d; a++) {
                for (int b = a; b < d; b++) {
                    cov[a][b] /= n - 1;
                    cov[b][a] = cov[a][b];
                }
            }
            return new Statistics(mean, cov, n);
        }
    }

    /** d² between the rows of {@code a} (N, D) and {@code b} (M, D). */
    public static double between(Tensor a, Tensor b) {
        if (a.rank() != 2 || b.rank() != 2 || a.size(1) != b.size(1)) {
            throw new IllegalArgumentException("FrechetDistance: need (N, D) and (M, D) features, got "
                    + Shape.format(a.shape()) + " and " + Shape.format(b.shape()));
        }
        return between(Statistics.of(a), Statistics.of(b));
    }

    /** d² between two fitted Gaussians. */
    public static double between(Statistics s1, Statistics s2) {
        int d = s1.dim();
        if (s2.dim() != d) {
            throw new IllegalArgumentException("FrechetDistance: statistics of " + d + " and " + s2.dim()
                    + " features");
        }
        double meanTerm = 0;
        for (int j = 0; j < d; j++) {
            double diff = s1.mean()[j] - s2.mean()[j];
            meanTerm += diff * diff;
        }
        double traces = 0;
        for (int j = 0; j < d; j++) {
            traces += s1.covariance()[j][j] + s2.covariance()[j][j];
        }
        return Math.max(0, meanTerm + traces - 2 * traceSqrtProduct(s1.covariance(), s2.covariance()));
    }

    /**
     * {@code tr((Σ₁Σ₂)^{1/2})} for symmetric positive semi-definite Σ₁, Σ₂: with {@code S = Σ₁^{1/2}} (from the
     * eigen-decomposition of Σ₁, negative round-off eigenvalues set to zero), the eigenvalues of {@code S Σ₂ S}
     * are those of Σ₁Σ₂; the result is the sum of their square roots.
     */
    static double traceSqrtProduct(double[][] sigma1, double[][] sigma2) {
        int d = sigma1.length;
        SymmetricEigen e1 = SymmetricEigen.of(sigma1);
        double[][] s = e1.apply(Math::sqrt);
        double[][] m = multiply(multiply(s, sigma2), s);
        for (int i = 0; i < d; i++) {            // symmetrise the round-off
            for (int j = i + 1; j < d; j++) {
                double avg = 0.5 * (m[i][j] + m[j][i]);
                m[i][j] = avg;
                m[j][i] = avg;
            }
        }
        double sum = 0;
        for (double lambda : SymmetricEigen.of(m).values()) {
            sum += Math.sqrt(Math.max(0, lambda));
        }
        return sum;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        int k = b.length;
        int m = b[0].length;
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < k; p++) {
                double aip = a[i][p];
                if (aip == 0) {
                    continue;
                }
                for (int j = 0; j < m; j++) {
                    c[i][j] += aip * b[p][j];
                }
            }
        }
        return c;
    }
}
