package org.latent4j.gan;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Map;
import java.util.function.Supplier;
import org.latent4j.core.nn.Module;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Float64 central-difference check of a scalar function of a module's parameters (a GAN loss, a gradient
 * penalty): the parameters are perturbed in place and the function re-run with grad mode on (a penalty takes a
 * gradient inside), against the gradients its backward leaves in the parameters.
 */
final class ParameterGradCheck {
    private static final double EPS = 1e-6;
    private static final double TOLERANCE = 1e-5;
    private static final double ABS_FLOOR = 1e-4;

    private ParameterGradCheck() {
    }

    /** Checks up to {@code perParameter} elements of every parameter; returns the worst relative error. */
    static double assertGradients(Module module, Supplier<Tensor> scalar, int perParameter) {
        Map<String, Tensor> params = module.namedParameters();
        for (Tensor p : params.values()) {
            if (p.dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException("ParameterGradCheck needs float64 parameters");
            }
            p.clearGrad();
        }
        scalar.get().backward();
        double worst = 0;
        StringBuilder failures = new StringBuilder();
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor p = e.getValue();
            double[] analytic = p.grad() == null ? new double[(int) p.numel()] : p.grad().toDoubleArray();
            INDArray flat = p.value().reshape(-1);
            long stride = Math.max(1, flat.length() / perParameter);
            for (long j = 0; j < flat.length(); j += stride) {
                double orig = flat.getDouble(j);
                flat.putScalar(j, orig + EPS);
                double plus = scalar.get().item();
                flat.putScalar(j, orig - EPS);
                double minus = scalar.get().item();
                flat.putScalar(j, orig);
                double numeric = (plus - minus) / (2 * EPS);
                double a = analytic[(int) j];
                double err = Math.abs(a - numeric) / Math.max(ABS_FLOOR, Math.max(Math.abs(a), Math.abs(numeric)));
                worst = Math.max(worst, Double.isNaN(err) ? Double.POSITIVE_INFINITY : err);
                if (!(err <= TOLERANCE)) {
                    failures.append(e.getKey()).append('[').append(j).append("]: analytic ").append(a)
                            .append(", numeric ").append(numeric).append('\n');
                }
            }
        }
        for (Tensor p : params.values()) {
            p.clearGrad();
        }
        if (failures.length() > 0) {
            fail("gradient check failed:\n" + failures);
        }
        return worst;
    }
}
