package org.latent4j.core.nn;

import static org.latent4j.core.testing.TensorAssert.assertClose;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.Fixtures;

/** Runs a layer on a PyTorch fixture case made by fixtures_nn.py's layer_case. */
final class LayerFixtures {
    static final Fixtures NN = Fixtures.load("nn");

    private LayerFixtures() {
    }

    /** The case's weights under the module's own state-dict names, which must equal PyTorch's. */
    static Map<String, Tensor> stateOf(Fixtures.Case c, Module module) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (String key : module.stateDict().keySet()) {
            state.put(key, c.has("param." + key) ? c.tensor("param." + key) : c.tensor("buffer." + key));
        }
        return state;
    }

    /**
     * Loads the case's weights strictly, runs {@code forward} on its input and compares the output, the input's
     * gradient and every parameter's gradient with PyTorch's.
     */
    static void assertMatchesPyTorch(String caseName, Module module, Function<Tensor, Tensor> forward) {
        Fixtures.Case c = NN.get(caseName);
        module.loadStateDict(stateOf(c, module), Module.LoadMode.STRICT);
        module.parameters().forEach(Tensor::clearGrad);
        Tensor x = c.has("grad_x") ? c.tensor("x").requireGrad() : c.longs("x");
        Tensor out = forward.apply(x);
        assertClose(c.tensor("out"), out);
        out.mul(c.tensor("w")).sum().backward();
        if (c.has("grad_x")) {
            assertClose(c.tensor("grad_x"), x.grad());
        }
        module.namedParameters().forEach((name, p) -> assertClose(c.tensor("grad." + name), p.grad()));
    }
}
