package org.latent4j.core.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.ParameterGradCheck;

/**
 * Float64 central-difference check of a module's gradients with respect to its input and every parameter
 * ({@link ParameterGradCheck} on {@code Σ w·forward(x)} for a fixed random weighting w).
 */
final class ModuleGradCheck {
    private static final int MAX_ELEMENTS = 16;

    private ModuleGradCheck() {
    }

    /** Checks d(Σ w·forward(x))/d(x, parameters); an integer input (ids) gets no gradient and is not checked. */
    static void assertGradients(Module module, Function<Tensor, Tensor> forward, Tensor input) {
        Tensor x = Tensor.wrap(input.value().dup('c'));
        Map<String, Tensor> targets = new LinkedHashMap<>(module.namedParameters());
        if (x.dtype().isFloatingPoint()) {
            if (x.dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException("ModuleGradCheck needs float64 input");
            }
            targets.put("input", x.requireGrad());
        }
        Tensor probe = forward.apply(x);
        Rng rng = new Rng(77);
        double[] wd = new double[(int) probe.numel()];
        for (int i = 0; i < wd.length; i++) {
            wd[i] = 0.5 + rng.nextDouble();
        }
        Tensor w = Tensor.of(wd, probe.shape());
        ParameterGradCheck.assertGradients(targets, () -> forward.apply(x).mul(w).sum(), MAX_ELEMENTS,
                ParameterGradCheck.ABS_FLOOR);
    }
}
