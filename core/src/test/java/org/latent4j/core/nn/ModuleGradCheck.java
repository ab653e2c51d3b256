package org.latent4j.core.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Float64 central-difference check of a module's gradients with respect to its input and every parameter:
 * the parameters are perturbed in place, so the check runs through the module exactly as training does.
 */
final class ModuleGradCheck {
    private static final double EPS = 1e-6;
    private static final double TOLERANCE = 1e-5;
    private static final double ABS_FLOOR = 1e-3;
    private static final int MAX_ELEMENTS = 16;

    private ModuleGradCheck() {
    }

    /** Checks d(Σ w·forward(x))/d(x, parameters) for a fixed random weighting w; x may be null-gradient (ids). */
    static void assertGradients(Module module, Function<Tensor, Tensor> forward, Tensor input) {
        Tensor x = Tensor.wrap(input.value().dup('c'));
        boolean inputHasGrad = x.dtype().isFloatingPoint();
        if (inputHasGrad) {
            if (x.dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException("ModuleGradCheck needs float64 input");
            }
            x.requireGrad();
        }
        Map<String, Tensor> targets = new LinkedHashMap<>(module.namedParameters());
        for (Tensor p : targets.values()) {
            if (p.dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException("ModuleGradCheck needs float64 parameters");
            }
            p.clearGrad();
        }
        if (inputHasGrad) {
            targets.put("input", x);
        }
        Tensor out = forward.apply(x);
        Rng rng = new Rng(77);
        double[] wd = new double[(int) out.numel()];
        for (int i = 0; i < wd.length; i++) {
            wd[i] = 0.5 + rng.nextDouble();
        }
        Tensor w = Tensor.of(wd, out.shape());
        out.mul(w).sum().backward();
        Function<Tensor, Double> loss = in -> {
            try (GradMode.Scope ng = GradMode.noGrad()) {
                return forward.apply(in).mul(w).sum().item();
            }
        };
        StringBuilder failures = new StringBuilder();
        for (Map.Entry<String, Tensor> e : targets.entrySet()) {
            Tensor t = e.getValue();
            INDArray flat = t.value().reshape(-1);
            double[] analytic = t.grad() == null ? new double[(int) t.numel()] : t.grad().toDoubleArray();
            long stride = Math.max(1, flat.length() / MAX_ELEMENTS);
            for (long j = 0; j < flat.length(); j += stride) {
                double orig = flat.getDouble(j);
                flat.putScalar(j, orig + EPS);
                double plus = loss.apply(x);
                flat.putScalar(j, orig - EPS);
                double minus = loss.apply(x);
                flat.putScalar(j, orig);
                double numeric = (plus - minus) / (2 * EPS);
                double a = analytic[(int) j];
                double err = Math.abs(a - numeric) / Math.max(ABS_FLOOR, Math.max(Math.abs(a), Math.abs(numeric)));
                if (!(err <= TOLERANCE)) {
                    failures.append(e.getKey()).append('[').append(j).append("]: analytic ").append(a)
                            .append(", numeric ").append(numeric).append('\n');
                }
            }
        }
        if (failures.length() > 0) {
            throw new AssertionError("gradient check failed for " + module.getClass().getSimpleName() + ":\n" + failures);
        }
    }
}
