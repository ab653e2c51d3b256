package org.latent4j.core.ops;

import static org.latent4j.core.testing.TensorAssert.assertClose;

import java.util.function.Function;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.Fixtures;

/** The shared shape of a fixture comparison: inputs x (and y), a weighting w, the output and each gradient. */
final class FixtureCheck {
    private FixtureCheck() {
    }

    /** The case's float inputs, x then y when present. */
    static Tensor[] inputs(Fixtures.Case c) {
        return c.has("y") ? new Tensor[] {c.tensor("x"), c.tensor("y")} : new Tensor[] {c.tensor("x")};
    }

    /** Runs {@code op} on the case's inputs, compares out, backpropagates Σ w·out and compares grad_x (grad_y). */
    static void assertMatchesPyTorch(Fixtures.Case c, Function<Tensor[], Tensor> op) {
        Tensor[] xs = inputs(c);
        for (Tensor x : xs) {
            x.requireGrad();
        }
        Tensor out = op.apply(xs);
        assertClose(c.tensor("out"), out);
        (c.has("w") ? out.mul(c.tensor("w")).sum() : out).backward();
        assertClose(c.tensor("grad_x"), xs[0].grad());
        if (xs.length > 1) {
            assertClose(c.tensor("grad_y"), xs[1].grad());
        }
    }
}
