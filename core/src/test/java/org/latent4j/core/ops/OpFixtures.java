package org.latent4j.core.ops;

import static org.latent4j.core.testing.TensorAssert.assertClose;

import java.util.function.Function;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.Fixtures;

/** The common fixture check of the op tests: forward {@code out} and every {@code grad_<input>} against PyTorch. */
final class OpFixtures {
    private OpFixtures() {
    }

    /** The named float64 inputs of a case, fresh leaves (no gradient requested). */
    static Tensor[] inputs(Fixtures.Case c, String... names) {
        Tensor[] xs = new Tensor[names.length];
        for (int i = 0; i < names.length; i++) {
            xs[i] = c.tensor(names[i]);
        }
        return xs;
    }

    /** Runs {@code op} on the named inputs and compares {@code out} and, after backward of Σ w·out, each gradient. */
    static void assertMatchesPyTorch(Fixtures.Case c, Function<Tensor[], Tensor> op, String... names) {
        Tensor[] xs = inputs(c, names);
        for (Tensor x : xs) {
            x.requireGrad();
        }
        Tensor out = op.apply(xs);
        assertClose(c.tensor("out"), out);
        out.mul(c.tensor("w")).sum().backward();
        for (int i = 0; i < xs.length; i++) {
            assertClose(c.tensor("grad_" + names[i]), xs[i].grad());
        }
    }
}
