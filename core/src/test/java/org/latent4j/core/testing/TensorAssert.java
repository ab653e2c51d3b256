package org.latent4j.core.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.function.Function;
import org.latent4j.core.autograd.GradCheck;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/** Assertions on tensors: closeness with a message naming the worst element, and gradient checks. */
public final class TensorAssert {
    private TensorAssert() {
    }

    /** Same shape, and every element within {@code atol + rtol·|expected|}. */
    public static void assertClose(Tensor expected, Tensor actual, double rtol, double atol) {
        assertArrayEquals(expected.shape(), actual.shape(), () -> "shape: expected " + Shape.format(expected.shape())
                + " but was " + Shape.format(actual.shape()));
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < e.length; i++) {
            double excess = Math.abs(e[i] - a[i]) - (atol + rtol * Math.abs(e[i]));
            if (excess > worstExcess || Double.isNaN(a[i]) != Double.isNaN(e[i])) {
                worstExcess = Double.isNaN(excess) ? Double.POSITIVE_INFINITY : excess;
                worst = i;
            }
        }
        if (worst >= 0) {
            throw new AssertionError("element " + worst + " of " + Shape.format(expected.shape()) + ": expected "
                    + e[worst] + " but was " + a[worst] + " (rtol " + rtol + ", atol " + atol + ")");
        }
    }

    /** Float64 closeness for values compared against PyTorch fixtures. */
    public static void assertClose(Tensor expected, Tensor actual) {
        assertClose(expected, actual, 1e-6, 1e-8);
    }

    /** The float64 finite-difference gradient check must pass. */
    public static void assertGradients(Function<Tensor[], Tensor> f, Tensor... inputs) {
        GradCheck.Result r = GradCheck.check(f, inputs);
        if (!r.passed()) {
            throw new AssertionError(r.toString());
        }
    }

    /** The gradient of the gradient must pass the check as well (for ops used under GraphMode.CREATE). */
    public static void assertSecondOrderGradients(Function<Tensor[], Tensor> f, Tensor... inputs) {
        GradCheck.Result r = GradCheck.checkSecondOrder(f, inputs);
        if (!r.passed()) {
            throw new AssertionError("second order: " + r);
        }
    }

    /** A float64 tensor of the given shape, uniform in [lo, hi), from a seeded generator. */
    public static Tensor uniform(org.latent4j.core.tensor.Rng rng, double lo, double hi, long... shape) {
        double[] d = new double[(int) Shape.numel(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = lo + (hi - lo) * rng.nextDouble();
        }
        return Tensor.of(d, shape);
    }
}
