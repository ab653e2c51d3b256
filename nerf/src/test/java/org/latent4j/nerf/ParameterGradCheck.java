package org.latent4j.nerf;

import java.util.Map;
import java.util.function.Supplier;
import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.nn.Module;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Float64 central differences against autograd for every parameter of a module, perturbed in place (so the
 * check goes through the module exactly as training does): a few evenly spaced elements of each parameter.
 */
final class ParameterGradCheck {
    private static final double EPS = 1e-6;
    private static final double TOLERANCE = 1e-5;
    private static final double ABS_FLOOR = 1e-3;

    private ParameterGradCheck() {
    }

    /** Checks d(objective)/d(each parameter) at up to {@code perParameter} elements each. */
    static void assertGradients(Module module, Supplier<Tensor> objective, int perParameter) {
        Map<String, Tensor> params = module.namedParameters();
        for (Tensor p : params.values()) {
            if (p.dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException("ParameterGradCheck needs float64 parameters");
            }
            p.clearGrad();
        }
        objective.get().backward();
        StringBuilder failures = new StringBuilder();
        int checked = 0;
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor p = e.getValue();
            INDArray flat = p.value().reshape(-1);
            double[] analytic = p.grad() == null ? new double[(int) p.numel()] : p.grad().toDoubleArray();
            long stride = Math.max(1, flat.length() / perParameter);
            for (long j = 0; j < flat.length(); j += stride) {
                double orig = flat.getDouble(j);
                flat.putScalar(j, orig + EPS);
                double plus = value(objective);
                flat.putScalar(j, orig - EPS);
                double minus = value(objective);
                flat.putScalar(j, orig);
                double numeric = (plus - minus) / (2 * EPS);
                double a = analytic[(int) j];
                double err = Math.abs(a - numeric) / Math.max(ABS_FLOOR, Math.max(Math.abs(a), Math.abs(numeric)));
                checked++;
                if (!(err <= TOLERANCE)) {
                    failures.append(e.getKey()).append('[').append(j).append("]: analytic ").append(a)
                            .append(", numeric ").append(numeric).append('\n');
                }
            }
        }
        if (failures.length() > 0) {
            throw new AssertionError("parameter gradients differ from central differences (" + checked
                    + " elements checked):\n" + failures);
        }
    }

    private static double value(Supplier<Tensor> objective) {
        try (GradMode.Scope ng = GradMode.noGrad()) {
            return objective.get().item();
        }
    }
}
