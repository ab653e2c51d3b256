package org.latent4j.vae;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.ops.Random;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.TensorAssert;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Float64 central differences of the β-VAE loss (ELBO terms with fixed ε) and of the importance-weighted bound,
 * with respect to every encoder and decoder parameter: the parameters are perturbed in place, so the check runs
 * through the model exactly as training does.
 */
class VaeGradCheckTest {
    private static final double EPS = 1e-6;
    private static final double TOLERANCE = 1e-5;
    private static final double ABS_FLOOR = 1e-3;
    private static final int ELEMENTS_PER_PARAMETER = 2;

    @ParameterizedTest
    @ValueSource(strings = {"mlp_bernoulli", "mlp_learned_gaussian_conditional", "conv_bernoulli_conditional"})
    void elboLossGradientsMatchFiniteDifferences(String name) {
        VaeConfig config = VaeFixtureTest.config(name);
        Rng rng = new Rng(11);
        Vae vae = new Vae(config, DType.FLOAT64, rng);
        Tensor x = TensorAssert.uniform(rng, 0.05, 0.95, 3, config.channels(), config.height(), config.width());
        Tensor labels = config.numClasses() == 0 ? null : Random.randint(rng, 0, config.numClasses(), 3);
        Tensor eps = Random.randn(rng, DType.FLOAT64, 3, config.latentDim());
        assertParameterGradients(vae, () -> vae.elbo(x, labels, eps).loss(config.beta()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp_learned_gaussian_conditional"})
    void importanceWeightedBoundGradientsMatchFiniteDifferences(String name) {
        VaeConfig config = VaeFixtureTest.config(name);
        Rng rng = new Rng(12);
        Vae vae = new Vae(config, DType.FLOAT64, rng);
        Tensor x = TensorAssert.uniform(rng, 0.05, 0.95, 2, config.channels(), config.height(), config.width());
        Tensor labels = config.numClasses() == 0 ? null : Random.randint(rng, 0, config.numClasses(), 2);
        Tensor eps = Random.randn(rng, DType.FLOAT64, 4, 2, config.latentDim());
        assertParameterGradients(vae, () -> vae.importanceWeighted(x, labels, eps).mean());
    }

    /** Compares backward's d(scalar)/d(parameter) with central differences on a few elements of each parameter. */
    static void assertParameterGradients(Vae vae, Supplier<Tensor> scalar) {
        Map<String, Tensor> params = vae.namedParameters();
        vae.zeroGrad();
        scalar.get().backward();
        StringBuilder failures = new StringBuilder();
        int checked = 0;
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor p = e.getValue();
            double[] analytic = p.grad() == null ? new double[(int) p.numel()] : p.grad().toDoubleArray();
            INDArray flat = p.value().reshape(-1);
            long stride = Math.max(1, flat.length() / ELEMENTS_PER_PARAMETER);
            for (long j = 0; j < flat.length(); j += stride) {
                double orig = flat.getDouble(j);
                flat.putScalar(j, orig + EPS);
                double plus = evaluate(scalar);
                flat.putScalar(j, orig - EPS);
                double minus = evaluate(scalar);
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
        assertTrue(checked > params.size(), "checked " + checked + " elements");
        assertTrue(failures.length() == 0, "gradient check failed:\n" + failures);
    }

    private static double evaluate(Supplier<Tensor> scalar) {
        try (GradMode.Scope ng = GradMode.noGrad()) {
            return scalar.get().item();
        }
    }
}
