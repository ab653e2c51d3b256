package org.latent4j.core.ops;

import java.util.Arrays;
import java.util.function.DoubleSupplier;
import org.latent4j.core.autograd.Graph;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Random tensors and dropout. Every value is drawn from the {@link Rng} passed in, in row-major order, so
 * the same seed gives the same tensor on any machine and ND4J's global generator is never touched.
 * Draws are made in Java and copied into one fresh array (a few nanoseconds per value).
 */
public final class Random {
    /** Whether {@link #multinomial} may draw a category more than once per row. */
    public enum Replacement { WITH, WITHOUT }

    private Random() {
    }

    /** Uniform values in [0, 1) of a floating-point {@code dtype}. */
    public static Tensor rand(Rng rng, DType dtype, long... shape) {
        // float32 draws its own 24-bit floats: a double rounded to float could become 1.0
        DoubleSupplier draw = dtype == DType.FLOAT64 ? rng::nextDouble : () -> rng.nextFloat();
        return Graph.constant(filled("rand", dtype, shape, draw));
    }

    /** Standard normal values of a floating-point {@code dtype}. */
    public static Tensor randn(Rng rng, DType dtype, long... shape) {
        return Graph.constant(filled("randn", dtype, shape, rng::nextGaussian));
    }

    /** Uniform integers in [lo, hi), int64. */
    public static Tensor randint(Rng rng, long lo, long hi, long... shape) {
        if (hi <= lo) {
            throw new IllegalArgumentException("randint: empty range [" + lo + ", " + hi + ")");
        }
        int n = checkedSize("randint", shape);
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + rng.nextLong(hi - lo);
        }
        return Graph.constant(Nd4j.createFromArray(v).reshape('c', shape.clone()));
    }

    /** 1 with probability {@code probs[i]}, else 0; same shape and dtype as {@code probs}. */
    public static Tensor bernoulli(Rng rng, Tensor probs) {
        Elementwise.requireFloat("bernoulli", probs);
        double[] p = probs.toDoubleArray();
        double[] v = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] >= 0 && p[i] <= 1)) {
                throw new IllegalArgumentException("bernoulli: probability " + p[i] + " at element " + i
                        + " is outside [0, 1]");
            }
            v[i] = rng.nextDouble() < p[i] ? 1 : 0;
        }
        return Graph.constant(Nd4j.create(v, probs.shape(), 'c').castTo(probs.value().dataType()));
    }

    /**
     * Category indices (int64) drawn in proportion to the non-negative weights in each row of {@code probs}
     * ((K) → (numSamples), (N, K) → (N, numSamples)); the weights need not sum to 1. Without replacement
     * each row draws distinct categories, so it needs at least {@code numSamples} non-zero weights.
     */
    public static Tensor multinomial(Rng rng, Tensor probs, int numSamples, Replacement replacement) {
        Elementwise.requireFloat("multinomial", probs);
        if (probs.rank() != 1 && probs.rank() != 2) {
            throw new IllegalArgumentException("multinomial: probs must be (K) or (N, K), got "
                    + Shape.format(probs.shape()));
        }
        if (numSamples <= 0) {
            throw new IllegalArgumentException("multinomial: numSamples must be positive, got " + numSamples);
        }
        int k = (int) probs.size(-1);
        int rows = probs.rank() == 1 ? 1 : (int) probs.size(0);
        double[] w = probs.toDoubleArray();
        long[] out = new long[rows * numSamples];
        for (int r = 0; r < rows; r++) {
            double[] row = Arrays.copyOfRange(w, r * k, (r + 1) * k);
            int nonZero = checkWeights(row, r);
            if (replacement == Replacement.WITHOUT && numSamples > nonZero) {
                throw new IllegalArgumentException("multinomial: cannot draw " + numSamples + " samples without "
                        + "replacement from row " + r + ", which has only " + nonZero + " non-zero weights");
            }
            double[] cumulative = new double[k];
            double total = accumulate(row, cumulative);
            for (int s = 0; s < numSamples; s++) {
                int pick = pick(cumulative, row, rng.nextDouble() * total);
                out[r * numSamples + s] = pick;
                if (replacement == Replacement.WITHOUT) {
                    row[pick] = 0;
                    total = accumulate(row, cumulative);
                }
            }
        }
        long[] shape = probs.rank() == 1 ? new long[] {numSamples} : new long[] {rows, numSamples};
        return Graph.constant(Nd4j.createFromArray(out).reshape('c', shape));
    }

    private static int checkWeights(double[] row, int r) {
        int nonZero = 0;
        for (int c = 0; c < row.length; c++) {
            if (!(row[c] >= 0) || Double.isInfinite(row[c])) {
                throw new IllegalArgumentException("multinomial: weight " + row[c] + " in row " + r + ", category "
                        + c + " is negative or not finite");
            }
            if (row[c] > 0) {
                nonZero++;
            }
        }
        if (nonZero == 0) {
            throw new IllegalArgumentException("multinomial: row " + r + " has no positive weight");
        }
        return nonZero;
    }

    /** Running sums of {@code row} into {@code cumulative}; returns the total. */
    private static double accumulate(double[] row, double[] cumulative) {
        double total = 0;
        for (int c = 0; c < row.length; c++) {
            total += row[c];
            cumulative[c] = total;
        }
        return total;
    }

    /** The first category whose cumulative weight exceeds u, skipping zero-weight categories. */
    private static int pick(double[] cumulative, double[] row, double u) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        while (row[lo] == 0) {
            lo--; // u rounded up to the total: fall back to the last category with weight
        }
        return lo;
    }

    /** A random ordering of 0 … n−1 (int64), by Fisher–Yates shuffling. */
    public static Tensor permutation(Rng rng, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("permutation: n must not be negative, got " + n);
        }
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            long t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return Graph.constant(Nd4j.createFromArray(v));
    }

    /**
     * Training-mode dropout: each element is zeroed with probability p and the survivors are scaled by
     * 1/(1 − p), so the expected value is unchanged. The mask is drawn from {@code rng}; p = 0 returns
     * {@code x} itself. In evaluation mode simply do not call it (or use the overload taking a mode flag).
     */
    public static Tensor dropout(Tensor x, double p, Rng rng) {
        Elementwise.requireFloat("dropout", x);
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout: p must be in [0, 1], got " + p);
        }
        if (p == 0) {
            return x;
        }
        double scale = p == 1 ? 0 : 1 / (1 - p);
        INDArray mask = filled("dropout", x.dtype(), x.shape(), () -> rng.nextDouble() < p ? 0 : scale);
        return Elementwise.mul(x, Graph.constant(mask));
    }

    /** {@link #dropout(Tensor, double, Rng)} when {@code training}, else {@code x} unchanged (draws nothing). */
    public static Tensor dropout(Tensor x, double p, Rng rng, boolean training) {
        return training ? dropout(x, p, rng) : x;
    }

    private static int checkedSize(String op, long[] shape) {
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(op + ": negative dimension in shape " + Shape.format(shape));
            }
        }
        long n = Shape.numel(shape);
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(op + ": shape " + Shape.format(shape) + " has " + n
                    + " elements, more than one Java array holds");
        }
        return (int) n;
    }

    /** A fresh array of {@code dtype} filled in row-major order by {@code draw}. */
    private static INDArray filled(String op, DType dtype, long[] shape, DoubleSupplier draw) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": dtype must be floating point, got " + dtype);
        }
        int n = checkedSize(op, shape);
        if (dtype == DType.FLOAT64) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = draw.getAsDouble();
            }
            return Nd4j.create(v, shape.clone(), 'c');
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) draw.getAsDouble();
        }
        INDArray a = Nd4j.create(v, shape.clone(), 'c');
        return dtype == DType.FLOAT32 ? a : a.castTo(dtype.nd4j());
    }
}
