package org.latent4j.core.ops;

import static org.latent4j.core.testing.TensorAssert.assertClose;
import static org.latent4j.core.testing.TensorAssert.uniform;

import java.util.function.Function;
import org.latent4j.core.autograd.Autograd;
import org.latent4j.core.autograd.GraphMode;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * The neural ops have two backward paths: raw kernels, and Tensor ops when the backward records a graph
 * ({@link GraphMode#CREATE}). A second-order check only proves the second path is differentiated
 * consistently; this proves both paths give the same first-order gradients.
 */
final class CreateModeGradients {
    private CreateModeGradients() {
    }

    static void assertMatchRawBackward(Function<Tensor[], Tensor> f, Tensor... inputs) {
        Tensor[] raw = leaves(inputs);
        Tensor out = f.apply(raw);
        Tensor w = uniform(new Rng(99), 0.5, 1.5, out.shape());
        out.mul(w).sum().backward();
        Tensor[] recorded = leaves(inputs);
        Tensor[] grads = Autograd.grad(f.apply(recorded).mul(w).sum(), recorded, GraphMode.CREATE);
        for (int i = 0; i < inputs.length; i++) {
            assertClose(raw[i].grad(), grads[i], 1e-9, 1e-12);
        }
    }

    private static Tensor[] leaves(Tensor[] inputs) {
        Tensor[] out = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            out[i] = Tensor.wrap(inputs[i].value().dup()).requireGrad();
        }
        return out;
    }
}
