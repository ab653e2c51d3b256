package org.latent4j.core.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latent4j.core.testing.TensorAssert.assertClose;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.latent4j.core.ops.Shapes;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.Fixtures;
import org.nd4j.linalg.api.ndarray.INDArray;

class OptimizerTrajectoryTest {
    private static final Fixtures FIX = Fixtures.load("optim");
    private static final Fixtures.Case PROBLEM = FIX.get("problem");

    /** The fixture's problem: W (3,4) and b (3,) fitted by least squares to fixed data. */
    private static final class Problem {
        final Tensor w = PROBLEM.tensor("w0").requireGrad();
        final Tensor b = PROBLEM.tensor("b0").requireGrad();
        final Tensor x = PROBLEM.tensor("x");
        final Tensor y = PROBLEM.tensor("y");

        Tensor loss() {
            Tensor d = x.matmul(Shapes.transpose(w, 0, 1)).add(b).sub(y);   // (5, 3)
            return d.mul(d).mean();
        }

        List<Tensor> params() {
            return List.of(w, b);
        }

        Map<String, Tensor> named() {
            Map<String, Tensor> m = new LinkedHashMap<>();
            m.put("w", w);
            m.put("b", b);
            return m;
        }

        double step(Optimizer opt) {
            Tensor loss = loss();
            opt.zeroGrad();
            loss.backward();
            opt.step();
            return loss.item();
        }
    }

    private static Function<Problem, Optimizer> optimizer(String name) {
        switch (name) {
            case "sgd":
                return p -> new Sgd(p.params(), Sgd.Options.of(0.1));
            case "sgd_momentum_dampening_decay":
                return p -> new Sgd(p.params(), Sgd.Options.of(0.1).withMomentum(0.9).withDampening(0.1)
                        .withWeightDecay(0.01));
            case "sgd_nesterov_decay":
                return p -> new Sgd(p.params(), Sgd.Options.of(0.1).withMomentum(0.9).withNesterov()
                        .withWeightDecay(0.01));
            case "adam":
                return p -> new Adam(p.params(), Adam.Options.defaults().withLr(0.05));
            case "adam_l2_betas_eps":
                return p -> new Adam(p.params(), Adam.Options.defaults().withLr(0.05).withBetas(0.8, 0.99)
                        .withEps(1e-6).withWeightDecay(0.1));
            case "adamw":
            case "adamw_warmup_cosine":
                return p -> new AdamW(p.params(), AdamW.defaults().withLr(0.05).withWeightDecay(0.1));
            default:
                return p -> new AdamW(AdamW.defaults().withLr(0.05),
                        ParamGroup.of(p.params(), t -> t.rank() >= 2).withWeightDecay(0.1),
                        ParamGroup.of(p.params(), t -> t.rank() < 2).withWeightDecay(0).withLr(0.02));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "sgd_momentum_dampening_decay", "sgd_nesterov_decay", "adam", "adam_l2_betas_eps",
        "adamw", "adamw_groups", "adamw_warmup_cosine"})
    void tenStepTrajectoryMatchesPyTorch(String name) {
        Fixtures.Case c = FIX.get(name);
        Problem p = new Problem();
        Optimizer opt = optimizer(name).apply(p);
        LrSchedule schedule = name.endsWith("warmup_cosine") ? LrSchedule.warmupCosine(3, 10, 0.005)
                : LrSchedule.constant();
        double[] losses = new double[10];
        double[] ws = new double[10 * 12];
        double[] bs = new double[10 * 3];
        for (int i = 0; i < 10; i++) {
            opt.setLr(schedule, i);
            losses[i] = p.step(opt);
            System.arraycopy(p.w.toDoubleArray(), 0, ws, i * 12, 12);
            System.arraycopy(p.b.toDoubleArray(), 0, bs, i * 3, 3);
        }
        assertClose(c.tensor("losses"), Tensor.of(losses, 10), 1e-10, 1e-12);
        assertClose(c.tensor("w"), Tensor.of(ws, 10, 3, 4), 1e-10, 1e-12);
        assertClose(c.tensor("b"), Tensor.of(bs, 10, 3), 1e-10, 1e-12);
    }

    @Test
    void resumingFromStateDictContinuesTheSameTrajectory() {
        Fixtures.Case c = FIX.get("adamw_groups");
        Problem first = new Problem();
        Optimizer opt = optimizer("adamw_groups").apply(first);
        for (int i = 0; i < 5; i++) {
            first.step(opt);
        }
        Map<String, Tensor> saved = new LinkedHashMap<>();
        opt.stateDict(first.named()).forEach((k, v) -> saved.put(k, Tensor.wrap(v.value().dup())));
        assertTrue(saved.containsKey("state.w.exp_avg_sq"), saved.keySet()::toString);
        assertEquals(5, saved.get("state.b.step").item());

        Problem resumed = new Problem();
        resumed.w.value().assign(first.w.value());
        resumed.b.value().assign(first.b.value());
        Optimizer fresh = optimizer("adamw_groups").apply(resumed);
        fresh.loadStateDict(saved, resumed.named());
        for (int i = 5; i < 10; i++) {
            resumed.step(fresh);
        }
        double[] lastW = new double[12];
        System.arraycopy(c.tensor("w").toDoubleArray(), 9 * 12, lastW, 0, 12);
        assertClose(Tensor.of(lastW, 3, 4), resumed.w, 1e-10, 1e-12);
        assertEquals(10, fresh.stepCount(resumed.w));
    }

    @Test
    void loadStateDictNamesUnknownKeysAndWrongShapes() {
        Problem p = new Problem();
        Optimizer opt = new Adam(p.params(), Adam.Options.defaults());
        Map<String, Tensor> bad = new LinkedHashMap<>();
        bad.put("state.w.exp_avg", Tensor.zeros(4, 3));
        bad.put("state.q.exp_avg", Tensor.zeros(3));
        bad.put("state.b.momentum_buffer", Tensor.zeros(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> opt.loadStateDict(bad, p.named()));
        assertEquals("Adam.loadStateDict: state.w.exp_avg: expected (3,4), got (4,3); state.q.exp_avg: unexpected key; "
                + "state.b.momentum_buffer: Adam keeps no buffer 'momentum_buffer' (it keeps [exp_avg, exp_avg_sq])",
                e.getMessage());
    }

    @Test
    void zeroGradKeepsTheGradientBuffersAndStepKeepsStateBuffers() {
        Problem p = new Problem();
        Adam opt = new Adam(p.params(), Adam.Options.defaults());
        p.step(opt);
        INDArray grad = p.w.grad().value();
        INDArray m = opt.stateDict(p.named()).get("state.w.exp_avg").value();
        opt.zeroGrad();
        assertEquals(0.0, grad.sumNumber().doubleValue());
        p.step(opt);
        assertSame(grad, p.w.grad().value());
        assertSame(m, opt.stateDict(p.named()).get("state.w.exp_avg").value());
    }

    /** Float32 gradients are cleared by the Java fill, in place, whatever their size (chunks of 1,024 and a tail). */
    @Test
    void zeroGradClearsFloat32GradientsInPlace() {
        for (int n : new int[] {1, 7, 1024, 3001}) {
            Tensor w = Tensor.full(DType.FLOAT32, 0.5, n).requireGrad();
            w.mul(w).sum().backward();
            INDArray grad = w.grad().value();
            assertEquals(n, grad.sumNumber().doubleValue(), 1e-3);
            new Sgd(List.of(w), Sgd.Options.of(0.1)).zeroGrad();
            assertSame(grad, w.grad().value());
            assertEquals(0.0, grad.amaxNumber().doubleValue(), "size " + n);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd_nesterov_decay", "adam", "adam_l2_betas_eps", "adamw"})
    void stepLeavesTheGradientsUnchanged(String name) {
        Problem p = new Problem();
        Optimizer opt = optimizer(name).apply(p);
        p.loss().backward();
        Tensor before = Tensor.wrap(p.w.grad().value().dup());
        opt.step();
        opt.step();
        assertClose(before, p.w.grad(), 0, 0);
    }

    @Test
    void stepsInsideArenasKeepParametersGradientsAndState() {
        Fixtures.Case c = FIX.get("adam");
        Problem p = new Problem();
        Optimizer opt = optimizer("adam").apply(p);
        for (int i = 0; i < 10; i++) {
            try (Arena step = Arena.open()) {
                p.step(opt);
            }
        }
        double[] lastB = new double[3];
        System.arraycopy(c.tensor("b").toDoubleArray(), 9 * 3, lastB, 0, 3);
        assertClose(Tensor.of(lastB, 3), p.b, 1e-10, 1e-12);
    }

    @Test
    void constructorsRejectBadSettings() {
        Problem p = new Problem();
        assertEquals("AdamW: a parameter of shape (3,4) appears in group 0 and again in group 1",
                assertThrows(IllegalArgumentException.class, () -> new AdamW(AdamW.defaults(),
                        ParamGroup.of(p.params()), ParamGroup.of(List.of(p.w)))).getMessage());
        assertEquals("Sgd: no parameters to optimize", assertThrows(IllegalArgumentException.class,
                () -> new Sgd(List.of(), Sgd.Options.of(0.1))).getMessage());
        assertEquals("Sgd: Nesterov momentum needs momentum > 0 and zero dampening, got momentum 0.0 and dampening 0.0",
                assertThrows(IllegalArgumentException.class, () -> Sgd.Options.of(0.1).withNesterov()).getMessage());
        assertEquals("Adam: betas must lie in [0, 1), got 1.0 and 0.999", assertThrows(IllegalArgumentException.class,
                () -> Adam.Options.defaults().withBetas(1.0, 0.999)).getMessage());
    }

    @Test
    void parametersWithoutGradientAreLeftAlone() {
        Tensor used = Tensor.of(new double[] {1, 2}, 2).requireGrad();
        Tensor unused = Tensor.of(new double[] {3, 4}, 2).requireGrad();
        Sgd opt = new Sgd(List.of(used, unused), Sgd.Options.of(0.5));
        used.mul(used).sum().backward();
        opt.step();
        assertClose(Tensor.of(new double[] {0, 0}, 2), used);
        assertClose(Tensor.of(new double[] {3, 4}, 2), unused);
        assertEquals(0, opt.stepCount(unused));
    }
}
