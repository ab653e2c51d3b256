package org.latent4j.flow;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.latent4j.core.nn.Module;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.Fixtures;
import org.latent4j.core.testing.TensorAssert;

/**
 * A Glow step (ActNorm → LU 1×1 convolution → convolutional affine coupling) on fixed weights against PyTorch:
 * the log-probability of each example and the gradients of their sum with respect to every parameter and the
 * input (fixture from src/test/python/fixtures_flow_chain.py).
 */
class FlowFixtureTest {
    @Test
    void glowStepLogProbAndGradientsMatchPyTorch() {
        Fixtures.Case c = Fixtures.load("flow_chain").get("glow_step");
        DType f64 = DType.FLOAT64;
        Rng rng = new Rng(1);
        Flow flow = new Flow(new Chain(new ActNorm(4, f64), new InvertibleConv1x1(4, f64, rng),
                AffineCoupling.conv(Masks.channels(4, 3, 3, 0, f64), 6, 2.0, f64, rng)), f64, 4, 3, 3);
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (String name : flow.stateDict().keySet()) {
            state.put(name, c.tensor(name));
        }
        flow.loadStateDict(state, Module.LoadMode.STRICT);

        Tensor x = c.tensor("x").requireGrad();
        Tensor logProb = flow.logProb(x);
        TensorAssert.assertClose(c.tensor("logProb"), logProb, 1e-10, 1e-10);
        logProb.sum().backward();
        TensorAssert.assertClose(c.tensor("grad.x"), x.grad(), 1e-9, 1e-10);
        flow.namedParameters().forEach((name, p) ->
                TensorAssert.assertClose(c.tensor("grad." + name), p.grad(), 1e-9, 1e-10));
    }
}
