package org.latent4j.core.autograd;

import java.util.function.Function;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Checks analytic gradients against central finite differences in float64, like PyTorch's
 * {@code gradcheck}. A non-scalar output is reduced to a scalar by a fixed random weighting, so every
 * output element's gradient is exercised. The error of one element is
 * {@code |analytic − numeric| / max(|analytic|, |numeric|, absFloor)}; large inputs are subsampled.
 *
 * <pre>{@code
 * GradCheck.Result r = GradCheck.check(xs -> Activations.gelu(xs[0]), Tensor.of(new double[]{...}, 2, 3));
 * assert r.passed() : r;
 * }</pre>
 */
public final class GradCheck {
    /** Settings of a check; {@link #defaults()} fits float64 ops with smooth derivatives. */
    public record Options(double eps, double tolerance, double absFloor, int maxElementsPerInput, long seed) {
        public Options {
            if (eps <= 0 || tolerance <= 0 || absFloor <= 0 || maxElementsPerInput <= 0) {
                throw new IllegalArgumentException("GradCheck.Options: eps, tolerance, absFloor and "
                        + "maxElementsPerInput must be positive");
            }
        }

        public static Options defaults() {
            return new Options(1e-6, 1e-5, 1e-3, 256, 1234);
        }

        public Options withTolerance(double t) {
            return new Options(eps, t, absFloor, maxElementsPerInput, seed);
        }

        public Options withEps(double e) {
            return new Options(e, tolerance, absFloor, maxElementsPerInput, seed);
        }
    }

    /** The outcome: the worst relative error and where it was. */
    public record Result(boolean passed, double maxError, String worst, int elementsChecked) {
        @Override
        public String toString() {
            return (passed ? "gradient check passed" : "gradient check FAILED") + ": max relative error "
                    + maxError + " (" + worst + "), " + elementsChecked + " elements checked";
        }
    }

    private GradCheck() {
    }

    public static Result check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        return check(f, Options.defaults(), inputs);
    }

    /** Throws an {@link AssertionError} describing the worst element when the check fails. */
    public static void assertGradients(Function<Tensor[], Tensor> f, Tensor... inputs) {
        Result r = check(f, inputs);
        if (!r.passed()) {
            throw new AssertionError(r.toString());
        }
    }

    public static Result check(Function<Tensor[], Tensor> f, Options options, Tensor... inputs) {
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException("GradCheck needs float64 inputs, input " + i + " is "
                        + inputs[i].dtype() + ": float32 keeps ~7 significant digits, so a central difference with a "
                        + "step small enough to be accurate cancels almost all of them and the check would fail "
                        + "or pass by chance");
            }
        }
        Tensor[] leaves = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            leaves[i] = Tensor.wrap(inputs[i].value().dup('c'));
            if (inputs[i].dtype().isFloatingPoint()) {
                leaves[i].requireGrad();
            }
        }
        Tensor w = weightsLike(f.apply(leaves).shape(), options.seed());
        Function<Tensor[], Tensor> scalar = xs -> {
            Tensor o = f.apply(xs);
            if (o.dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException("GradCheck: the function returned " + o.dtype()
                        + " for float64 inputs");
            }
            return o.mul(w).sum();
        };
        Tensor loss = scalar.apply(leaves);
        // An output with no graph is constant in the inputs: its analytic gradient is zero everywhere.
        if (loss.requiresGrad()) {
            loss.backward();
        }

        double maxError = 0;
        String worst = "none";
        int checked = 0;
        {
            // Evaluated with grad mode on: the function may itself take gradients (second-order checks).
            for (int i = 0; i < leaves.length; i++) {
                INDArray flat = leaves[i].value().reshape(-1);
                long n = flat.length();
                Tensor grad = leaves[i].grad();
                INDArray analytic = grad == null ? Nd4j.zeros(flat.dataType(), n) : grad.value().dup('c').reshape(-1);
                long stride = Math.max(1, n / options.maxElementsPerInput());
                for (long j = 0; j < n; j += stride) {
                    double orig = flat.getDouble(j);
                    flat.putScalar(j, orig + options.eps());
                    double plus = scalar.apply(leaves).item();
                    flat.putScalar(j, orig - options.eps());
                    double minus = scalar.apply(leaves).item();
                    flat.putScalar(j, orig);
                    double numeric = (plus - minus) / (2 * options.eps());
                    double a = analytic.getDouble(j);
                    double err = Math.abs(a - numeric)
                            / Math.max(options.absFloor(), Math.max(Math.abs(a), Math.abs(numeric)));
                    checked++;
                    if (err > maxError || Double.isNaN(err)) {
                        maxError = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
                        worst = "input " + i + " " + Shape.format(leaves[i].shape()) + " element " + j
                                + ": analytic " + a + ", numeric " + numeric;
                    }
                }
            }
        }
        return new Result(maxError <= options.tolerance(), maxError, worst, checked);
    }

    /**
     * Checks the gradient of the gradient: differentiates {@code x ↦ Σ v·∂(Σ w·f(x))/∂x} (built with
     * {@link GraphMode#CREATE}) by central differences, as PyTorch's {@code gradgradcheck} does.
     */
    public static Result checkSecondOrder(Function<Tensor[], Tensor> f, Tensor... inputs) {
        return check(xs -> {
            Tensor out = f.apply(xs);
            Tensor weighted = out.mul(weightsLike(out.shape(), 99)).sum();
            Tensor[] grads = Autograd.grad(weighted, xs, GraphMode.CREATE);
            Tensor total = null;
            for (Tensor g : grads) {
                Tensor term = g.mul(g).sum();
                total = total == null ? term : total.add(term);
            }
            return total;
        }, inputs);
    }

    /** Fixed float64 weights in [0.5, 1.5), the same for the same shape and seed. */
    static Tensor weightsLike(long[] shape, long seed) {
        Rng rng = new Rng(seed);
        double[] w = new double[(int) Shape.numel(shape)];
        for (int i = 0; i < w.length; i++) {
            w[i] = 0.5 + rng.nextDouble();
        }
        return Tensor.of(w, shape);
    }
}
