package org.latent4j.core.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latent4j.core.testing.TensorAssert.assertClose;
import static org.latent4j.core.testing.TensorAssert.uniform;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.latent4j.core.kernels.Kernels;
import org.latent4j.core.ops.Shapes;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.Fixtures;

/** Float32 parameters take the fused Java Adam step; it must follow PyTorch's trajectory and the float64 route. */
class AdamKernelTest {
    private static Optimizer optimizer(String name, List<Tensor> params) {
        return switch (name) {
            case "adam" -> new Adam(params, Adam.Options.defaults().withLr(0.05));
            case "adam_l2_betas_eps" -> new Adam(params, Adam.Options.defaults().withLr(0.05).withBetas(0.8, 0.99)
                    .withEps(1e-6).withWeightDecay(0.1));
            default -> new AdamW(params, AdamW.defaults().withLr(0.05).withWeightDecay(0.1));
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"adam", "adam_l2_betas_eps", "adamw"})
    void float32TrajectoryMatchesPyTorch(String name) {
        Fixtures fix = Fixtures.load("optim");
        Fixtures.Case problem = fix.get("problem");
        Fixtures.Case c = fix.get(name);
        Tensor w = problem.tensor("w0").to(DType.FLOAT32).requireGrad();
        Tensor b = problem.tensor("b0").to(DType.FLOAT32).requireGrad();
        Tensor x = problem.tensor("x").to(DType.FLOAT32);
        Tensor y = problem.tensor("y").to(DType.FLOAT32);
        assertTrue(Kernels.hasAdamStep(w.value(), w.value(), w.value(), w.value()));
        Optimizer opt = optimizer(name, List.of(w, b));
        double[] ws = new double[10 * 12];
        for (int i = 0; i < 10; i++) {
            Tensor d = x.matmul(Shapes.transpose(w, 0, 1)).add(b).sub(y);   // (5, 3)
            opt.zeroGrad();
            d.mul(d).mean().backward();
            opt.step();
            System.arraycopy(w.toDoubleArray(), 0, ws, i * 12, 12);
        }
        assertClose(c.tensor("w"), Tensor.of(ws, 10, 3, 4), 1e-4, 1e-5);
    }

    /** A parameter long enough to be split over threads, with an odd tail: float32 kernel against float64 ND4J. */
    @Test
    void largeParameterFollowsTheFloat64Route() {
        Rng rng = new Rng(41);
        Tensor p64 = uniform(rng, -1, 1, 140_007).requireGrad();
        Tensor g64 = uniform(rng, -1, 1, 140_007);
        Tensor p32 = p64.to(DType.FLOAT32).requireGrad();
        Optimizer o64 = optimizer("adamw", List.of(p64));
        Optimizer o32 = optimizer("adamw", List.of(p32));
        for (int step = 0; step < 3; step++) {
            p64.sum().backward();
            p32.sum().backward();
            p64.grad().value().assign(g64.value().mul(step + 1));
            p32.grad().value().assign(g64.value().mul(step + 1));
            o64.step();
            o32.step();
            o64.zeroGrad();
            o32.zeroGrad();
        }
        assertClose(p64, p32.to(DType.FLOAT64), 1e-5, 1e-6);
    }
}
