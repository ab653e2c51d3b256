package org.latent4j.vae;

import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.latent4j.core.ops.Random;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.ParameterGradCheck;
import org.latent4j.core.testing.TensorAssert;

/**
 * Float64 central differences of the β-VAE loss (ELBO terms with fixed ε) and of the importance-weighted bound,
 * with respect to every encoder and decoder parameter: the parameters are perturbed in place, so the check runs
 * through the model exactly as training does.
 */
class VaeGradCheckTest {
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
        ParameterGradCheck.assertGradients(vae, scalar, ELEMENTS_PER_PARAMETER);
    }
}
