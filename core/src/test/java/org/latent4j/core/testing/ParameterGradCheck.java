package org.latent4j.core.testing;

import java.util.Map;
import java.util.function.Supplier;
import org.latent4j.core.nn.Module;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Float64 central differences against autograd for the tensors a scalar depends on — a module's parameters,
 * perturbed in place so the check runs through the module exactly as training does, and any inputs. The scalar is
 * re-evaluated with grad mode on (a gradient penalty takes a gradient inside it), each evaluation in its own arena.
 */
public final class ParameterGradCheck {
    private static final double EPS = 1e-6;
    private static final double TOLERANCE = 1e-5;
    /** The default absolute floor of the relative error, as core's {@code GradCheck}. */
    public static final double ABS_FLOOR = 1e-3;

    private ParameterGradCheck() {
    }

    /** Checks up to {@code perParameter} evenly spaced elements of every parameter; returns the worst relative error. */
    public static double assertGradients(Module module, Supplier<Tensor> scalar, int perParameter) {
        return assertGradients(module.namedParameters(), scalar, perParameter, ABS_FLOOR);
    }

    /**
     * Checks d(scalar)/d(target) at up to {@code perTarget} evenly spaced elements of each float64 target against
     * the gradients {@code scalar.get().backward()} leaves in them; the error of each element is relative to the
     * larger of the two values, at least {@code absFloor}. Returns the worst relative error; throws an
     * AssertionError naming every element beyond 1e-5.
     */
    public static double assertGradients(Map<String, Tensor> targets, Supplier<Tensor> scalar, int perTarget,
            double absFloor) {
        for (Map.Entry<String, Tensor> e : targets.entrySet()) {
            if (e.getValue().dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException("ParameterGradCheck needs float64 tensors, " + e.getKey() + " is "
                        + e.getValue().dtype());
            }
            e.getValue().clearGrad();
        }
        scalar.get().backward();
        double worst = 0;
        int checked = 0;
        StringBuilder failures = new StringBuilder();
        for (Map.Entry<String, Tensor> e : targets.entrySet()) {
            Tensor t = e.getValue();
            double[] analytic = t.grad() == null ? new double[(int) t.numel()] : t.grad().toDoubleArray();
            INDArray flat = t.value().reshape(-1);
            long stride = Math.max(1, flat.length() / perTarget);
            for (long j = 0; j < flat.length(); j += stride) {
                double orig = flat.getDouble(j);
                flat.putScalar(j, orig + EPS);
                double plus = value(scalar);
                flat.putScalar(j, orig - EPS);
                double minus = value(scalar);
                flat.putScalar(j, orig);
                double numeric = (plus - minus) / (2 * EPS);
                double a = analytic[(int) j];
                double err = Math.abs(a - numeric) / Math.max(absFloor, Math.max(Math.abs(a), Math.abs(numeric)));
                worst = Math.max(worst, Double.isNaN(err) ? Double.POSITIVE_INFINITY : err);
                checked++;
                if (!(err <= TOLERANCE)) {
                    failures.append(e.getKey()).append('[').append(j).append("]: analytic ").append(a)
                            .append(", numeric ").append(numeric).append('\n');
                }
            }
        }
        for (Tensor t : targets.values()) {
            t.clearGrad();
        }
        if (checked == 0 || failures.length() > 0) {
            throw new AssertionError("gradients differ from central differences (" + checked
                    + " elements checked):\n" + failures);
        }
        return worst;
    }

    private static double value(Supplier<Tensor> scalar) {
        try (Arena arena = Arena.open()) {
            return scalar.get().item();
        }
    }
}
