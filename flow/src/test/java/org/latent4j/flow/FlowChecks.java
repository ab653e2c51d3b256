package org.latent4j.flow;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.latent4j.core.autograd.Autograd;
import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.autograd.GraphMode;
import org.latent4j.core.nn.Module;
import org.latent4j.core.ops.Elementwise;
import org.latent4j.core.ops.LinearAlgebra;
import org.latent4j.core.ops.Random;
import org.latent4j.core.ops.Shapes;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Test helpers: random parameters, the brute-force Jacobian, a float64 gradient check over parameters. */
final class FlowChecks {
    private FlowChecks() {
    }

    /** Adds N(0, std²) noise to every parameter, so a layer that starts as the identity is not. */
    static <M extends Module> M perturb(M module, Rng rng, double std) {
        for (Tensor p : module.parameters()) {
            Elementwise.addInPlace(p, Random.randn(rng, p.dtype(), p.shape()).mul(std));
        }
        return module;
    }

    /**
     * The Jacobian ∂z/∂x of each example, built one output entry at a time by reverse-mode autograd (examples
     * are independent, so one backward pass per output entry gives that row for every example): (B, D, D).
     */
    static Tensor jacobian(Bijector b, Tensor input) {
        Tensor x = Tensor.wrap(input.value().dup('c')).requireGrad();
        Tensor z = b.forward(x).z();
        int batch = (int) x.size(0);
        int d = (int) (x.numel() / batch);
        Tensor zFlat = Shapes.reshape(z, batch, d);
        double[] jac = new double[batch * d * d];
        for (int i = 0; i < d; i++) {
            double[] onehot = new double[d];
            onehot[i] = 1;
            Tensor picked = Elementwise.mul(zFlat, Tensor.of(onehot, 1, d)).sum();
            double[] row = Autograd.grad(picked, new Tensor[] {x}, GraphMode.RETAIN)[0].toDoubleArray();
            for (int e = 0; e < batch; e++) {
                System.arraycopy(row, e * d, jac, (e * d + i) * d, d);
            }
        }
        return Tensor.of(jac, batch, d, d);
    }

    /** log|det ∂z/∂x| per example from the brute-force Jacobian: (B). */
    static double[] bruteForceLogDet(Bijector b, Tensor x) {
        try (GradMode.Scope g = GradMode.enableGrad()) {
            return LinearAlgebra.slogdet(jacobian(b, x)).logAbsDet().toDoubleArray();
        }
    }

    /**
     * Central differences of Σ w·f() with respect to every parameter of {@code module} (perturbed in place),
     * against the backward pass; returns the worst relative error (absolute floor 1e-3). At most
     * {@code perParam} entries of each parameter are checked.
     */
    static double worstParameterGradError(Module module, Supplier<Tensor> f, int perParam) {
        Map<String, Tensor> params = new LinkedHashMap<>(module.namedParameters());
        for (Tensor p : params.values()) {
            if (p.dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException("worstParameterGradError needs float64 parameters");
            }
            p.clearGrad();
        }
        Tensor out = f.get();
        Rng rng = new Rng(99);
        double[] wd = new double[(int) out.numel()];
        for (int i = 0; i < wd.length; i++) {
            wd[i] = 0.5 + rng.nextDouble();
        }
        Tensor w = Tensor.of(wd, out.shape());
        out.mul(w).sum().backward();
        double eps = 1e-6;
        double worst = 0;
        for (Tensor p : params.values()) {
            INDArray flat = p.value().reshape(-1);
            double[] analytic = p.grad() == null ? new double[(int) p.numel()] : p.grad().toDoubleArray();
            long stride = Math.max(1, flat.length() / perParam);
            for (long j = 0; j < flat.length(); j += stride) {
                double orig = flat.getDouble(j);
                flat.putScalar(j, orig + eps);
                double plus = weighted(f, w);
                flat.putScalar(j, orig - eps);
                double minus = weighted(f, w);
                flat.putScalar(j, orig);
                double numeric = (plus - minus) / (2 * eps);
                double a = analytic[(int) j];
                double err = Math.abs(a - numeric) / Math.max(1e-3, Math.max(Math.abs(a), Math.abs(numeric)));
                worst = Double.isNaN(err) ? Double.POSITIVE_INFINITY : Math.max(worst, err);
            }
        }
        return worst;
    }

    private static double weighted(Supplier<Tensor> f, Tensor w) {
        try (GradMode.Scope ng = GradMode.noGrad()) {
            return f.get().mul(w).sum().item();
        }
    }
}
