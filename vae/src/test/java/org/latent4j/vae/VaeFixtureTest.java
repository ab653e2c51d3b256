package org.latent4j.vae;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.latent4j.core.autograd.Autograd;
import org.latent4j.core.autograd.GraphMode;
import org.latent4j.core.nn.Module;
import org.latent4j.core.ops.Losses;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.Fixtures;
import org.latent4j.core.testing.TensorAssert;

/** The ELBO, its parts, the importance-weighted bound and the ELBO's gradients against PyTorch (fixtures_vae.py). */
class VaeFixtureTest {
    private static final Fixtures FIX = Fixtures.load("vae");

    /** The configs of fixtures_vae.py's cases. */
    static VaeConfig config(String name) {
        return switch (name) {
            case "mlp_bernoulli" -> new VaeConfig(Architecture.MLP, 1, 3, 4, new int[] {8, 6}, 3,
                    Likelihood.BERNOULLI, 0.1, 0, 1.0);
            case "mlp_learned_gaussian_conditional" -> new VaeConfig(Architecture.MLP, 2, 2, 3, new int[] {7}, 2,
                    Likelihood.GAUSSIAN_LEARNED, 0.5, 3, 2.5);
            case "mlp_fixed_gaussian" -> new VaeConfig(Architecture.MLP, 1, 2, 5, new int[] {6}, 4,
                    Likelihood.GAUSSIAN_FIXED, 0.3, 0, 1.0);
            case "conv_bernoulli_conditional" -> new VaeConfig(Architecture.CONV, 1, 8, 8, new int[] {3, 4}, 3,
                    Likelihood.BERNOULLI, 0.1, 2, 1.0);
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** A float64 model carrying the case's weights. */
    static Vae load(Fixtures.Case c) {
        Vae vae = new Vae(config(c.name()), DType.FLOAT64, new Rng(0));
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (String key : vae.namedParameters().keySet()) {
            state.put(key, c.tensor("param:" + key));
        }
        vae.loadStateDict(state, Module.LoadMode.STRICT);
        return vae;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp_bernoulli", "mlp_learned_gaussian_conditional", "mlp_fixed_gaussian",
        "conv_bernoulli_conditional"})
    void elboTermsImportanceWeightedBoundAndGradientsMatchPyTorch(String name) {
        Fixtures.Case c = FIX.get(name);
        Vae vae = load(c);
        Tensor x = c.tensor("x");
        Tensor labels = c.has("labels") ? c.longs("labels") : null;

        DiagonalGaussian q = vae.encode(x, labels);
        TensorAssert.assertClose(c.tensor("mu"), q.mu(), 1e-9, 1e-11);
        TensorAssert.assertClose(c.tensor("log_var"), q.logVar(), 1e-9, 1e-11);

        Elbo elbo = vae.elbo(x, labels, c.tensor("eps"));
        TensorAssert.assertClose(c.tensor("reconstruction"), elbo.reconstruction(), 1e-9, 1e-10);
        TensorAssert.assertClose(c.tensor("kl"), elbo.kl(), 1e-9, 1e-11);
        TensorAssert.assertClose(c.tensor("elbo"), elbo.perExample(), 1e-9, 1e-10);
        Tensor loss = elbo.loss(vae.config().beta());
        TensorAssert.assertClose(c.tensor("loss"), loss, 1e-9, 1e-10);
        // the batch-mean KL agrees with core's Losses.gaussianKl
        TensorAssert.assertClose(Losses.gaussianKl(q.mu(), q.logVar()), elbo.kl().mean(), 1e-12, 1e-12);

        var params = vae.namedParameters();
        Tensor[] grads = Autograd.grad(loss, params.values().toArray(new Tensor[0]), GraphMode.RETAIN);
        int i = 0;
        for (String key : params.keySet()) {
            TensorAssert.assertClose(c.tensor("grad:" + key), grads[i++], 1e-8, 1e-10);
        }

        TensorAssert.assertClose(c.tensor("iw"), vae.importanceWeighted(x, labels, c.tensor("eps_iw")), 1e-9, 1e-10);
    }
}
