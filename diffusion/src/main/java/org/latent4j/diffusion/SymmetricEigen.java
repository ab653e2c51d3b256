package org.latent4j.diffusion;

import java.util.function.DoubleUnaryOperator;

/**
 * The eigen-decomposition {@code A = V·diag(λ)·Vᵀ} of a real symmetric matrix by the cyclic Jacobi method
 * (Golub &amp; Van Loan, §8.5): sweeps of plane rotations, each zeroing one off-diagonal pair, until the
 * off-diagonal mass is negligible next to the diagonal. Float64, O(n³) a sweep, quadratic convergence; meant for
 * the small covariance matrices of {@link FrechetDistance} (tens to a few hundred rows).
 */
final class SymmetricEigen {
    private static final int MAX_SWEEPS = 100;

    private final double[] values;
    private final double[][] vectors;   // column j is the eigenvector of values[j]

    private SymmetricEigen(double[] values, double[][] vectors) {
        this.values = values;
        this.vectors = vectors;
    }

    static SymmetricEigen of(double[][] matrix) {
        int n = matrix.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            if (matrix[i].length != n) {
                throw new IllegalArgumentException("SymmetricEigen: matrix must be square, row " + i + " has "
                        + matrix[i].length + " entries for " + n + " rows");
            }
            a[i] = matrix[i].clone();
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double tol = 1e-9 * (Math.abs(a[i][j]) + Math.abs(a[j][i])) + 1e-300;
                if (!(Math.abs(a[i][j] - a[j][i]) <= tol)) {
                    throw new IllegalArgumentException("SymmetricEigen: matrix is not symmetric at (" + i + ", " + j
                            + "): " + a[i][j] + " vs " + a[j][i]);
                }
            }
        }
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) {
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double off = 0;
            double diag = 0;
            for (int i = 0; i < n; i++) {
                diag += a[i][i] * a[i][i];
                for (int j = i + 1; j < n; j++) {
                    off += a[i][j] * a[i][j];
                }
            }
            if (off == 0 || off <= 1e-30 * diag) {
                return sorted(a, v);
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    rotate(a, v, p, q);
                }
            }
        }
        throw new IllegalStateException("SymmetricEigen: Jacobi sweeps did not converge for a " + n + "x" + n
                + " matrix (is it finite?)");
    }

    /** Applies the rotation in the (p, q) plane that zeroes a[p][q]: A ← JᵀAJ, V ← VJ. */
    private static void rotate(double[][] a, double[][] v, int p, int q) {
        double apq = a[p][q];
        if (apq == 0) {
            return;
        }
        int n = a.length;
        double theta = (a[q][q] - a[p][p]) / (2 * apq);        // cot 2φ
        double t = Math.abs(theta) > 1e150 ? 0.5 / theta
                : Math.signum(theta == 0 ? 1 : theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));   // tan φ
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        for (int k = 0; k < n; k++) {                            // columns p, q of A·J
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; k++) {                            // rows p, q of Jᵀ·(A·J)
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = c * apk - s * aqk;
            a[q][k] = s * apk + c * aqk;
        }
        a[p][q] = 0;
        a[q][p] = 0;
        for (int k = 0; k < n; k++) {
            double vkp = v[k][p];
            double vkq = v[k][q];
            v[k][p] = c * vkp - s * vkq;
            v[k][q] = s * vkp + c * vkq;
        }
    }

    /** Eigenvalues ascending, eigenvectors in the same order. */
    private static SymmetricEigen sorted(double[][] a, double[][] v) {
        int n = a.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(a[x][x], a[y][y]));
        double[] values = new double[n];
        double[][] vectors = new double[n][n];
        for (int j = 0; j < n; j++) {
            values[j] = a[order[j]][order[j]];
            for (int k = 0; k < n; k++) {
                vectors[k][j] = v[k][order[j]];
            }
        }
        return new SymmetricEigen(values, vectors);
    }

    /** The eigenvalues, ascending. */
    double[] values() {
        return values.clone();
    }

    /** Column j is the unit eigenvector of {@code values()[j]}. */
    double[][] vectors() {
        double[][] out = new double[vectors.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = vectors[i].clone();
        }
        return out;
    }

    /**
     * {@code V·diag(f(max(λ, 0)))·Vᵀ}: a function of a positive semi-definite matrix, its small negative
     * round-off eigenvalues taken as zero (f = sqrt gives the symmetric square root).
     */
    double[][] apply(DoubleUnaryOperator f) {
        int n = values.length;
        double[] fl = new double[n];
        for (int j = 0; j < n; j++) {
            fl[j] = f.applyAsDouble(Math.max(0, values[j]));
        }
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = i; k < n; k++) {
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    sum += vectors[i][j] * fl[j] * vectors[k][j];
                }
                out[i][k] = sum;
                out[k][i] = sum;
            }
        }
        return out;
    }
}
